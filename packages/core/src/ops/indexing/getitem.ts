import { callOp, copyInto } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { tensor as makeTensor } from '../../creation.js';

/**
 * Python's tensor indexing, `x[...]` and `x[...] = v`, for JS:
 *
 * - a number selects (`x[1]`), `null` is None (a new dim), `'...'` is Ellipsis, a string
 *   `'start:stop:step'` (any part may be empty, e.g. `':'`, `'1:'`, `'::2'`) is a slice, and
 *   `{start, stop, step}` too;
 * - a Tensor (integer or bool) or a JS array of numbers/booleans is an advanced index;
 * - several indices (Python's tuple) are an array holding at least one array, tensor, slice, null
 *   or '...', which PyTorch 1.13 (like old NumPy) reads as a tuple: `x.__getitem__([0, '1:3', null])`
 *   is `x[0, 1:3, None]` and `x.__getitem__([[0, 1], [2, 3]])` is `x[[0, 1], [2, 3]]`; an array
 *   of plain numbers is one advanced index (`x[[0, 2]]`), so write `x[0, 1]` as `[0, 1, '...']`.
 *
 * Basic indices give a view; advanced ones go through `aten::index` (a copy).
 */
type Slice = { start?: number | null; stop?: number | null; step?: number | null };
type Item = number | boolean | null | string | Slice | Tensor | readonly unknown[];

function isSliceString(s: string): boolean {
  return /^\s*-?\d*\s*:\s*-?\d*\s*(:\s*-?\d*\s*)?$/.test(s);
}

function parseSlice(v: string | Slice): Required<Slice> {
  if (typeof v === 'string') {
    const parts = v.split(':').map((p) => p.trim());
    const num = (p: string | undefined): number | null => (p === undefined || p === '' ? null : Number(p));
    return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
  }
  return { start: v.start ?? null, stop: v.stop ?? null, step: v.step ?? null };
}

function isSliceObject(v: unknown): v is Slice {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor) && ('start' in v || 'stop' in v || 'step' in v);
}

/** PyTorch's treatSequenceAsTuple: a list holding sequences, tensors, slices, None or Ellipsis is a tuple. */
function toItems(a: unknown): Item[] {
  if (Array.isArray(a) && a.length < 32 && a.some((e) => Array.isArray(e) || e instanceof Tensor || e === null || isSliceObject(e) || (typeof e === 'string'))) {
    return a as Item[];
  }
  return [a as Item];
}

function consumes(it: Item): number {
  if (it === null || it === '...' || typeof it === 'boolean') return 0;
  if (it instanceof Tensor) return it.dtype === 'bool' || it.dtype === 'uint8' ? Math.max(it.ndim, 1) : 1;
  return 1;
}

function asIndexTensor(v: readonly unknown[]): Tensor {
  if (v.length === 0) return makeTensor([], { dtype: 'int64' });
  return makeTensor(v as never);
}

/** Applies the basic indices (a chain of views) and collects the advanced ones. */
function applyIndex(self: Tensor, items: Item[]): { view: Tensor; advanced: (Tensor | null)[]; temps: Tensor[] } {
  const temps: Tensor[] = [];
  const specified = items.reduce<number>((n, it) => n + consumes(it), 0);
  if (specified > self.ndim) throw new RangeError(`too many indices for tensor of dimension ${self.ndim}`);
  let t = self;
  const keep = (x: Tensor): Tensor => {
    temps.push(x);
    return x;
  };
  let dim = 0;
  const advanced: (Tensor | null)[] = [];
  const setAdvanced = (d: number, ix: Tensor): void => {
    while (advanced.length < d) advanced.push(null);
    advanced[d] = ix;
  };
  for (const it of items) {
    if (it === '...') {
      dim += self.ndim - specified;
    } else if (it === null) {
      t = keep(callOp('aten::unsqueeze', [t, dim]) as Tensor);
      dim++;
    } else if (typeof it === 'boolean') {
      // x[True] adds a dim of size 1; x[False] one of size 0
      t = keep(callOp('aten::unsqueeze', [t, dim]) as Tensor);
      if (!it) setAdvanced(dim, keep(makeTensor([], { dtype: 'int64' })));
      dim++;
    } else if (typeof it === 'number') {
      if (!Number.isInteger(it)) throw new TypeError(`only integers, slices, None, Ellipsis, tensors and lists are valid indices (got ${it})`);
      if (t.ndim === 0) throw new RangeError('invalid index of a 0-dim tensor.');
      const size = t.shape[dim]!;
      if (it < -size || it >= size) throw new RangeError(`index ${it} is out of bounds for dimension ${dim} with size ${size}`);
      t = keep(callOp('aten::select', [t, dim, it]) as Tensor);
    } else if (typeof it === 'string' || isSliceObject(it)) {
      if (typeof it === 'string' && !isSliceString(it)) throw new TypeError(`not a slice: '${it}' (use 'start:stop:step' or '...')`);
      const s = parseSlice(it);
      const step = s.step ?? 1;
      if (step <= 0) throw new RangeError('step must be greater than zero');
      t = keep(callOp('aten::slice', [t, dim, s.start, s.stop, step]) as Tensor);
      dim++;
    } else if (it instanceof Tensor) {
      setAdvanced(dim, it);
      dim += consumes(it);
    } else if (Array.isArray(it)) {
      const ix = keep(asIndexTensor(it));
      setAdvanced(dim, ix);
      dim += consumes(ix);
    } else {
      throw new TypeError(`unsupported index ${String(it)}`);
    }
  }
  return { view: t, advanced, temps };
}

export const getitem = defineOp({
  name: '__getitem__',
  variants: ['method'],
  overloads: [
    {
      schema: 'torchlet::__getitem__(Tensor self, Any index) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor;
        const { view, advanced, temps } = applyIndex(self, toItems(a.index));
        try {
          if (advanced.length === 0) return callOp('aten::alias', [view]);
          return callOp('aten::index', [view, advanced]);
        } finally {
          for (const x of temps) x.dispose();
        }
      },
    },
  ],
});

export const setitem = defineOp({
  name: '__setitem__',
  variants: ['method'],
  tags: ['inplace'],
  overloads: [
    {
      schema: 'torchlet::__setitem__(Tensor(a!) self, Any index, Any value) -> Tensor(a!)',
      cpuDynamic: (a) => {
        const self = a.self as Tensor;
        const value = a.value as unknown;
        const { view, advanced, temps } = applyIndex(self, toItems(a.index));
        try {
          const v = value instanceof Tensor ? value : keepScalar(value, self, temps);
          if (advanced.length === 0) copyInto(view, v);
          else {
            const vv = v.dtype === self.dtype ? v : (callOp('aten::_to_copy', [v], { dtype: self.dtype }) as Tensor);
            if (vv !== v) temps.push(vv);
            callOp('aten::index_put_', [view, advanced, vv]);
          }
          return self;
        } finally {
          for (const x of temps) x.dispose();
        }
      },
    },
  ],
});

function keepScalar(v: unknown, self: Tensor, temps: Tensor[]): Tensor {
  if (typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`can't assign a ${typeof v} to a Tensor`);
  const t = makeTensor(typeof v === 'boolean' ? Number(v) : v, { dtype: self.dtype });
  temps.push(t);
  return t;
}
