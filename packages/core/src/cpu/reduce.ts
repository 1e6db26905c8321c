import type { DType } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Normalized, sorted, unique reduction dims; an empty or absent list means all dims. */
export function reductionDims(self: Tensor, dim: number[] | number | null | undefined): number[] {
  const list = dim === null || dim === undefined ? [] : typeof dim === 'number' ? [dim] : dim;
  if (list.length === 0) return self.shape.map((_, i) => i);
  const ds = list.map((d) => normalizeDim(d, self.ndim));
  if (new Set(ds).size !== ds.length) throw new RangeError(`dim ${ds.find((d, i) => ds.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return [...new Set(ds)].sort((a, b) => a - b);
}

export function reducedShape(self: Tensor, dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < self.ndim; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(self.shape[i]!);
  }
  return out;
}

/**
 * Calls `visit(values, start, stride, count, outIndex)` once per output element: the reduced
 * elements of the (contiguous copy of) input are values[start + k*stride], k < count, after the
 * reduced dims are moved to the end.
 */
export function forEachReduction(
  self: Tensor,
  dims: number[],
  visit: (values: ArrayLike<number>, start: number, stride: number, count: number, outIndex: number) => void,
): void {
  // a 0-d tensor accepts dim 0 / -1 but has no dims to reduce
  dims = dims.filter((d) => d < self.ndim);
  const keep = self.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...keep, ...dims];
  const pShape = perm.map((i) => self.shape[i]!);
  const pStrides = perm.map((i) => self.strides[i]!);
  let count = 1;
  for (const d of dims) count *= self.shape[d]!;
  let outer = 1;
  for (const d of keep) outer *= self.shape[d]!;
  // gather into [outer, count] row-major order
  const src = self.hostArray;
  const vals = new Float64Array(outer * count);
  const rank = perm.length;
  if (rank === 0) vals[0] = src[self.offset]!;
  else if (outer * count > 0) {
    const idx = new Array<number>(rank).fill(0);
    let p = self.offset;
    for (let i = 0; i < vals.length; i++) {
      vals[i] = src[p]!;
      for (let d = rank - 1; d >= 0; d--) {
        idx[d]!++;
        p += pStrides[d]!;
        if (idx[d]! < pShape[d]!) break;
        p -= pStrides[d]! * pShape[d]!;
        idx[d] = 0;
      }
    }
  }
  for (let o = 0; o < outer; o++) visit(vals, o * count, 1, count, o);
}

/** Sum-like reductions accumulate integers in int64 and bools as int64 (PyTorch's rule). */
export function sumDtype(self: DType, dtype: DType | null): DType {
  if (dtype) return dtype;
  return self === 'bool' || self === 'uint8' || self === 'int8' || self === 'int16' || self === 'int32' ? 'int64' : self;
}
