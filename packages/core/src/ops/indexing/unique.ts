import { callOp } from '../../dispatch.js';
import type { DType } from '../../dtype.js';
import { defineOp, type Args } from '../../registry.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import { unorderedSetOrder } from '../../cpu/index_stdhash.js';
import { Tensor } from '../../tensor.js';

function make(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const t = Tensor.empty(shape, dtype);
  t.hostArray.set(values as ArrayLike<number>);
  return t;
}

/**
 * PyTorch 1.13's CPU _unique2: the distinct values in std::unordered_set order (ascending when
 * sorted), the index of each input element in them, and their counts. Inverse/counts are empty
 * unless requested.
 */
function unique2(self: Tensor, sorted: boolean, returnInverse: boolean, returnCounts: boolean): Tensor[] {
  const v = self.contiguousArray();
  // bool inputs take PyTorch's counting path: always [False, True]
  let uniq = self.dtype === 'bool' ? [0, 1].filter((b) => Array.prototype.some.call(v, (x: number) => x === b)) : unorderedSetOrder(v, self.dtype);
  if (sorted) uniq = [...uniq].sort((a, b) => a - b);
  const output = make(uniq, [uniq.length], self.dtype);
  if (!returnInverse && !returnCounts) return [output, Tensor.empty([0], 'int64'), Tensor.empty([0], 'int64')];
  const pos = new Map<number, number>();
  uniq.forEach((u, i) => pos.set(u === 0 ? 0 : u, i));
  const inv = new Float64Array(v.length);
  const counts = new Float64Array(uniq.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    const p = pos.get(x === 0 ? 0 : x) ?? 0;
    inv[i] = p;
    if (!Number.isNaN(x)) counts[p]!++;
  }
  return [output, make(inv, [...self.shape], 'int64'), returnCounts ? make(counts, [uniq.length], 'int64') : Tensor.empty([0], 'int64')];
}

/** unique over slices along `dim` (sorted lexicographically unless consecutive), as _unique_dim_cpu_template. */
function uniqueDim(self: Tensor, dim: number, consecutive: boolean, returnInverse: boolean, returnCounts: boolean): Tensor[] {
  const d = wrapDim(dim, self.ndim);
  const moved = callOp('aten::movedim', [self, d, 0]) as Tensor;
  const flat = moved.contiguousArray();
  const rows = self.shape[d]!;
  const width = rows === 0 ? 0 : flat.length / rows;
  const order = [...Array(rows).keys()];
  const cmp = (a: number, b: number): number => {
    for (let i = 0; i < width; i++) {
      const l = flat[a * width + i]!, r = flat[b * width + i]!;
      if (l < r) return -1;
      if (l > r) return 1;
    }
    return 0;
  };
  if (!consecutive) order.sort((a, b) => cmp(a, b) || a - b);
  const keep: number[] = [];
  const inverse = new Float64Array(rows);
  const counts: number[] = [];
  for (let i = 0; i < order.length; i++) {
    if (keep.length === 0 || cmp(keep[keep.length - 1]!, order[i]!) !== 0) {
      keep.push(order[i]!);
      counts.push(0);
    }
    inverse[order[i]!] = keep.length - 1;
    counts[counts.length - 1]!++;
  }
  const outMoved = [keep.length, ...moved.shape.slice(1)];
  const data = new Float64Array(keep.length * width);
  keep.forEach((r, i) => data.set(Array.from({ length: width }, (_, k) => flat[r * width + k]!), i * width));
  const o = make(data, outMoved, self.dtype);
  const output = callOp('aten::movedim', [o, 0, d]) as Tensor;
  const contiguous = callOp('aten::contiguous', [output]) as Tensor;
  moved.dispose();
  o.dispose();
  output.dispose();
  return [
    contiguous,
    returnInverse || returnCounts ? make(inverse, [rows], 'int64') : Tensor.empty([0], 'int64'),
    returnCounts ? make(counts, [counts.length], 'int64') : Tensor.empty([0], 'int64'),
  ];
}

function consecutiveFlat(self: Tensor, returnInverse: boolean, returnCounts: boolean): Tensor[] {
  const v = self.contiguousArray();
  const out: number[] = [], counts: number[] = [];
  const inv = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (out.length === 0 || out[out.length - 1] !== v[i]) {
      out.push(v[i]!);
      counts.push(0);
    }
    counts[counts.length - 1]!++;
    inv[i] = out.length - 1;
  }
  return [
    make(out, [out.length], self.dtype),
    returnInverse ? make(inv, [...self.shape], 'int64') : Tensor.empty([0], 'int64'),
    returnCounts ? make(counts, [counts.length], 'int64') : Tensor.empty([0], 'int64'),
  ];
}

/** Python's result: the output alone, or with the requested inverse/counts. */
function pick(r: Tensor[], inverse: boolean, counts: boolean): Tensor | Tensor[] {
  const keep: Tensor[] = [r[0]!];
  if (inverse) keep.push(r[1]!);
  if (counts) keep.push(r[2]!);
  for (const t of r) if (!keep.includes(t)) t.dispose();
  return keep.length === 1 ? keep[0]! : keep;
}

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the
 * Python signature (a torchlet-namespace schema), returning the output or a tuple. With
 * sorted=False the order is PyTorch 1.13's (std::unordered_set iteration order).
 */
export const unique = defineOp({
  name: 'unique',
  overloads: [
    {
      schema: 'torchlet::unique(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False, int? dim=None) -> Any',
      cpuDynamic: (a) => {
        const r = a.dim === null ? unique2(a.self, a.sorted, a.return_inverse, a.return_counts) : uniqueDim(a.self, a.dim, false, a.return_inverse, a.return_counts);
        return pick(r, a.return_inverse, a.return_counts);
      },
    },
  ],
});

export const _unique = defineOp({
  name: '_unique',
  variants: [],
  overloads: [
    {
      schema: 'aten::_unique(Tensor self, bool sorted=True, bool return_inverse=False) -> (Tensor, Tensor)',
      cpuDynamic: (a) => {
        const r = unique2(a.self, a.sorted, a.return_inverse, false);
        r[2]!.dispose();
        return [r[0], r[1]];
      },
    },
  ],
});

export const _unique2 = defineOp({
  name: '_unique2',
  variants: [],
  overloads: [
    { schema: 'aten::_unique2(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)', cpuDynamic: (a) => unique2(a.self, a.sorted, a.return_inverse, a.return_counts) },
  ],
});

export const unique_dim = defineOp({
  name: 'unique_dim',
  variants: [],
  overloads: [
    {
      schema: 'aten::unique_dim(Tensor self, int dim, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)',
      cpuDynamic: (a) => uniqueDim(a.self, a.dim, false, a.return_inverse, a.return_counts),
    },
  ],
});

function consecutiveImpl(a: Args): Tensor[] {
  return a.dim === null ? consecutiveFlat(a.self, a.return_inverse, a.return_counts) : uniqueDim(a.self, a.dim, true, a.return_inverse, a.return_counts);
}

/**
 * Collapses runs of equal consecutive values (or slices along dim). The Python signature (first,
 * torchlet namespace) returns the output or a tuple; TorchScript's aten:: overload always a 3-tuple.
 */
export const unique_consecutive = defineOp({
  name: 'unique_consecutive',
  overloads: [
    {
      schema: 'torchlet::unique_consecutive(Tensor self, bool return_inverse=False, bool return_counts=False, int? dim=None) -> Any',
      cpuDynamic: (a) => pick(consecutiveImpl(a), a.return_inverse, a.return_counts),
    },
    { schema: 'aten::unique_consecutive(Tensor self, bool return_inverse=False, bool return_counts=False, int? dim=None) -> (Tensor, Tensor, Tensor)', cpuDynamic: consecutiveImpl },
  ],
});
