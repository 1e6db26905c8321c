import { copyInto } from '../../dispatch.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { contiguousStrides } from '../../shape.js';
import { scalarAs, TYPE_NAMES, wrapDim } from '../../cpu/shape_copy.js';
import { dimsOf, reduceFn, reduceInit, toDType, walk, wrapIndex, type Reduce } from '../../cpu/index_util.js';
import type { Tensor } from '../../tensor.js';

type IndexOp = 'index_select' | 'index_add_' | 'index_copy_' | 'index_reduce_' | 'index_fill_';

/** The 1-d (or 0-d) index of an index_* op, validated with PyTorch's per-op messages. */
function indexVector(index: Tensor, op: IndexOp, read = true): ArrayLike<number> {
  if (index.ndim > 1) {
    if (op === 'index_copy_') throw new RangeError(`index_copy_(): Index should have dimension 1 or 0 (got ${index.ndim})`);
    if (op === 'index_select' || op === 'index_fill_') throw new RangeError(`${op}(): Index is supposed to be a vector`);
    throw new RangeError(`${op}(): Index is supposed to be a vector, but got dim: ${index.ndim} with type: ${TYPE_NAMES[index.dtype]} and size: [${index.shape.join(', ')}]`);
  }
  const isInt = index.dtype === 'int64' || index.dtype === 'int32';
  if (op === 'index_copy_' && index.dtype !== 'int64') throw new TypeError(`index_copy_(): Expected a long tensor for index, but got ${TYPE_NAMES[index.dtype]}`);
  if (op === 'index_fill_' && index.dtype !== 'int64') throw new TypeError('index_fill_(): Expected dtype int64 for index.');
  if (op === 'index_select' && !isInt) throw new TypeError('index_select(): Expected dtype int32 or int64 for index');
  if ((op === 'index_add_' || op === 'index_reduce_') && !isInt) throw new TypeError(`${op}(): Expected dtype int32/int64 for index but got: ${TYPE_NAMES[index.dtype]}`);
  // infer only validates (a device index has no host values)
  return read ? index.contiguousArray() : [];
}

/** Index bounds as each op checks them: index_select/add/reduce reject negatives, index_fill wraps them. */
function rowOf(op: IndexOp, i: number, size: number, dim: number): number {
  if (op === 'index_fill_') return wrapIndex(i, size, dim);
  if (i >= 0 && i < size) return i;
  if (op === 'index_copy_') throw new RangeError(`index_copy_(): index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  throw new RangeError('index out of range in self');
}

function selectShape(self: Tensor, dim: number, index: Tensor): number[] {
  const d = wrapDim(dim, self.ndim);
  if (self.ndim === 0) return [];
  const shape = [...self.shape];
  shape[d] = index.numel();
  return shape;
}

/** Slices of `self` along `dim` at the positions in the 1-d `index`. */
export const index_select = defineOp({
  name: 'index_select',
  overloads: [
    {
      schema: 'aten::index_select(Tensor self, int dim, Tensor index) -> Tensor',
      infer: (a) => {
        indexVector(a.index, 'index_select', false);
        return { shape: selectShape(a.self, a.dim, a.index), dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const d = wrapDim(a.dim, self.ndim);
        const idx = indexVector(a.index, 'index_select');
        const s = dimsOf(self);
        if (self.ndim === 0) {
          for (let i = 0; i < idx.length; i++) rowOf('index_select', idx[i]!, 1, 0);
          out!.hostArray[0] = self.hostArray[self.offset]!;
          return;
        }
        const outShape = s.shape.map((v, k) => (k === d ? idx.length : v));
        const size = s.shape[d]!, st = s.strides[d]!;
        if (self.is_contiguous()) {
          // [outer, size, inner] blocks: one typed-array copy per selected row
          const inner = s.shape.slice(d + 1).reduce((x, y) => x * y, 1);
          const outer = s.shape.slice(0, d).reduce((x, y) => x * y, 1);
          const src = self.hostArray, o = out!.hostArray;
          const rows = Array.from(idx, (v) => rowOf('index_select', v, size, d));
          let p = 0;
          for (let b = 0; b < outer; b++) {
            const base = self.offset + b * size * inner;
            for (const r of rows) {
              o.set(src.subarray(base + r * inner, base + (r + 1) * inner), p);
              p += inner;
            }
          }
          return;
        }
        const selfStrides = s.strides.map((v, k) => (k === d ? 0 : v));
        const outStrides = contiguousStrides(outShape);
        const pos = outStrides.map((_, k) => (k === d ? 1 : 0));
        const src = self.hostArray, o = out!.hostArray;
        const rows = Array.from(idx, (v) => rowOf('index_select', v, size, d) * st);
        walk(outShape, [outStrides, selfStrides, pos], [0, self.offset, 0], (p) => {
          o[p[0]!] = src[p[1]! + rows[p[2]!]!]!;
        });
      },
    },
  ],
});

/**
 * Visits (out position, source position) for ops writing source slices into out along dim at
 * index[i] (index_add/copy/reduce/fill); out is contiguous with self's shape.
 */
function visitSlices(op: IndexOp, out: Tensor, d: number, idx: ArrayLike<number>, source: Tensor | null, fn: (po: number, ps: number) => void): void {
  const os = dimsOf(out);
  const oStrides = contiguousStrides(os.shape);
  const size = os.shape[d]!;
  const shape = os.shape.map((v, k) => (k === d ? idx.length : v));
  const srcStrides = source ? dimsOf(source).strides : shape.map(() => 0);
  const outStrides = oStrides.map((v, k) => (k === d ? 0 : v));
  const pos = shape.map((_, k) => (k === d ? 1 : 0));
  const rows = Array.from(idx, (v) => rowOf(op, v, size, d) * oStrides[d]!);
  walk(shape, [outStrides, srcStrides, pos], [0, source ? source.offset : 0, 0], (p) => fn(p[0]! + rows[p[2]!]!, p[1]!));
}

function checkSource(self: Tensor, d: number, idx: ArrayLike<number>, source: Tensor, op: IndexOp): void {
  if (self.dtype !== source.dtype) {
    if (op === 'index_copy_') throw new TypeError(`index_copy_(): self and source expected to have the same dtype, but got (self) ${TYPE_NAMES[self.dtype]} and (source) ${TYPE_NAMES[source.dtype]}`);
    throw new TypeError(`${op}(): self (${TYPE_NAMES[self.dtype]}) and source (${TYPE_NAMES[source.dtype]}) must have the same scalar type`);
  }
  const ss = dimsOf(self).shape, sr = dimsOf(source).shape;
  if (op === 'index_copy_' && self.ndim > 0 && source.ndim > 0 && self.ndim !== source.ndim) {
    throw new RangeError(`index_copy_(): When source and destination are not scalars, their dimensionality must match. Source dimensionality (${source.ndim}), destination dimensionality (${self.ndim})`);
  }
  if (ss.length !== sr.length || ss.some((v, k) => k !== d && v !== sr[k])) throw new RangeError(`${op}(): Source/destination tensor must have same slice shapes.`);
  if (idx.length !== sr[d]) {
    if (op === 'index_copy_') throw new RangeError(`index_copy_(): Number of indices (${idx.length}) should be equal to source.size(dim) (${sr[d]})`);
    throw new RangeError(`${op}(): Number of indices (${idx.length}) should be equal to source.size(dim): (${sr[d]}), for dim: ${d}`);
  }
}

const sameAsSelf = (a: Args): OutSpec => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype });

/** out = self; out.select(dim, index[i]) += alpha * source.select(dim, i). */
export const index_add = defineOp({
  name: 'index_add',
  inplace: true,
  overloads: [
    {
      schema: 'aten::index_add(Tensor self, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => {
        const self = a.self as Tensor, source = a.source as Tensor;
        const d = wrapDim(a.dim, self.ndim);
        const idx = indexVector(a.index, 'index_add_');
        checkSource(self, d, idx, source, 'index_add_');
        copyInto(out!, self);
        const o = out!.hostArray, s = source.hostArray, dt = out!.dtype;
        const alpha = scalarAs(a.alpha, dt === 'bool' ? 'int64' : dt);
        visitSlices('index_add_', out!, d, idx, source, (po, ps) => (o[po] = toDType(o[po]! + alpha * s[ps]!, dt)));
      },
    },
  ],
});

export const index_copy = defineOp({
  name: 'index_copy',
  inplace: true,
  overloads: [
    {
      schema: 'aten::index_copy(Tensor self, int dim, Tensor index, Tensor source) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => {
        const self = a.self as Tensor, source = a.source as Tensor;
        const d = wrapDim(a.dim, self.ndim);
        const idx = indexVector(a.index, 'index_copy_');
        checkSource(self, d, idx, source, 'index_copy_');
        copyInto(out!, self);
        const o = out!.hostArray, s = source.hostArray;
        visitSlices('index_copy_', out!, d, idx, source, (po, ps) => (o[po] = s[ps]!));
      },
    },
  ],
});

function indexFill(a: Args, out: Tensor, value: number | boolean): void {
  const self = a.self as Tensor;
  const d = wrapDim(a.dim, self.ndim);
  const idx = indexVector(a.index, 'index_fill_');
  copyInto(out, self);
  const o = out.hostArray;
  const v = scalarAs(value, out.dtype);
  visitSlices('index_fill_', out, d, idx, null, (po) => (o[po] = v));
}

export const index_fill = defineOp({
  name: 'index_fill',
  inplace: true,
  overloads: [
    { schema: 'aten::index_fill.int_Scalar(Tensor self, int dim, Tensor index, Scalar value) -> Tensor', infer: sameAsSelf, cpu: (a, [out]) => indexFill(a, out!, a.value) },
    {
      schema: 'aten::index_fill.int_Tensor(Tensor self, int dim, Tensor index, Tensor value) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => {
        const v = a.value as Tensor;
        if (v.ndim !== 0) throw new RangeError(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${v.ndim} dimension(s).`);
        indexFill(a, out!, v.item());
      },
    },
  ],
});

export const index_reduce = defineOp({
  name: 'index_reduce',
  inplace: true,
  overloads: [
    {
      schema: 'aten::index_reduce(Tensor self, int dim, Tensor index, Tensor source, str reduce, *, bool include_self=True) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => {
        const self = a.self as Tensor, source = a.source as Tensor;
        const r = a.reduce as Reduce;
        if (!['prod', 'mean', 'amax', 'amin'].includes(r)) throw new RangeError(`index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got ${r}.`);
        const d = wrapDim(a.dim, self.ndim);
        const idx = indexVector(a.index, 'index_reduce_');
        checkSource(self, d, idx, source, 'index_reduce_');
        copyInto(out!, self);
        const o = out!.hostArray, s = source.hostArray, dt = out!.dtype;
        const f = reduceFn(r);
        if (!a.include_self) {
          const init = reduceInit(r, dt);
          visitSlices('index_reduce_', out!, d, idx, source, (po) => (o[po] = init));
        }
        const count = r === 'mean' ? new Float64Array(o.length).fill(a.include_self ? 1 : 0) : null;
        visitSlices('index_reduce_', out!, d, idx, source, (po, ps) => {
          o[po] = toDType(f(o[po]!, s[ps]!), dt);
          if (count) count[po]!++;
        });
        if (count) {
          const isFloat = dt === 'float32' || dt === 'float64' || dt === 'float16';
          for (let i = 0; i < o.length; i++) {
            const c = count[i]! === 0 ? 1 : count[i]!;
            o[i] = isFloat ? o[i]! / c : Math.floor(o[i]! / c);
          }
        }
      },
    },
  ],
});

// ---------------------------------------------------------------- take / put

function flatIndex(i: number, n: number): number {
  if (i < -n || i >= n) throw new RangeError(`out of range: tried to access index ${i} on a tensor of ${n} elements.`);
  return i < 0 ? i + n : i;
}

/** Elements of the flattened input at `index`; the result has index's shape. */
export const take = defineOp({
  name: 'take',
  overloads: [
    {
      schema: 'aten::take(Tensor self, Tensor index) -> Tensor',
      infer: (a) => {
        const index = a.index as Tensor;
        if (index.dtype !== 'int64') throw new TypeError(`take(): Expected a long tensor for index, but got ${TYPE_NAMES[index.dtype]}`);
        return { shape: [...index.shape], dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const src = self.contiguousArray(), iv = (a.index as Tensor).contiguousArray(), o = out!.hostArray;
        const n = src.length;
        for (let i = 0; i < iv.length; i++) o[i] = src[flatIndex(iv[i]!, n)]!;
      },
    },
  ],
});

/** out = self with out.flatten()[index] = source (or += with accumulate). */
export const put = defineOp({
  name: 'put',
  inplace: true,
  overloads: [
    {
      schema: 'aten::put(Tensor self, Tensor index, Tensor source, bool accumulate=False) -> Tensor',
      infer: (a) => {
        const index = a.index as Tensor, source = a.source as Tensor, self = a.self as Tensor;
        if (index.dtype !== 'int64') throw new TypeError(`put_(): Expected a long tensor for index, but got ${TYPE_NAMES[index.dtype]}`);
        if (source.dtype !== self.dtype) throw new TypeError(`put_(): self and source expected to have the same dtype, but got self.dtype = ${TYPE_NAMES[self.dtype]} and source.dtype = ${TYPE_NAMES[source.dtype]}`);
        if (source.numel() !== index.numel()) {
          throw new RangeError(`put_(): Expected source and index to have the same number of elements, but got source.numel() = ${source.numel()}, index.numel() = ${index.numel()}`);
        }
        return sameAsSelf(a);
      },
      cpu: (a, [out]) => {
        copyInto(out!, a.self);
        const o = out!.hostArray, dt = out!.dtype;
        const iv = (a.index as Tensor).contiguousArray(), sv = (a.source as Tensor).contiguousArray();
        for (let i = 0; i < iv.length; i++) {
          const p = flatIndex(iv[i]!, o.length);
          o[p] = a.accumulate ? toDType(o[p]! + sv[i]!, dt) : sv[i]!;
        }
      },
    },
  ],
});
