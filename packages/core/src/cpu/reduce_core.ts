/**
 * Reduction geometry and dtype rules shared by the reduction, scan, softmax and sorting kernels.
 *
 * A reduction over some dims is viewed as a 3-d problem [outer, R, inner]: element (o, r, i) of
 * the input sits at `data[offset + (o * R + r) * inner + i]` and output element `o * inner + i`
 * reduces over r. When the input is contiguous and the reduced dims are adjacent (ignoring size-1
 * dims) the input storage is used as is; otherwise it is gathered once with the reduced dims last.
 */
import { isFloating, roundToF16, type DType, type StorageArray } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import { gatherStrided, type Tensor } from '../tensor.js';

export interface ReduceLayout {
  data: ArrayLike<number>;
  offset: number;
  outer: number;
  R: number;
  inner: number;
}

/** PyTorch's c10 ScalarType names, as its error messages print them. */
export function scalarTypeName(d: DType): string {
  return { float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool' }[d];
}

/**
 * Normalized, sorted, unique reduction dims. `null`/absent or an empty list mean every dim. A 0-d
 * tensor accepts dim 0 and -1 and has nothing to reduce, so it gives [].
 */
export function reduceDims(self: Tensor, dim: readonly number[] | number | null | undefined): number[] {
  const list = dim === null || dim === undefined ? [] : typeof dim === 'number' ? [dim] : dim;
  const ds = list.map((d) => normalizeDim(d, self.ndim));
  for (let i = 0; i < ds.length; i++) {
    if (ds.indexOf(ds[i]!) !== i) throw new RangeError(`dim ${ds[i]} appears multiple times in the list of dims`);
  }
  if (self.ndim === 0) return [];
  if (ds.length === 0) return self.shape.map((_, i) => i);
  return ds.sort((a, b) => a - b);
}

/** Output shape of a reduction: reduced dims dropped, or kept as size 1. */
export function keptShape(self: Tensor, dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < self.ndim; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(self.shape[i]!);
  }
  return out;
}

/** Throws PyTorch's error when a reduction without identity (max, amax, argmax, ...) meets an empty dim. */
export function checkNonEmptyDims(op: string, self: Tensor, dims: readonly number[]): void {
  for (const d of dims) {
    if (self.shape[d] === 0) throw new RangeError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
  }
}

/** `op(): Expected reduction dim to be specified for input.numel() == 0.` for full reductions of empty tensors. */
export function checkNonEmptyFull(op: string, self: Tensor): void {
  if (self.numel() === 0) {
    throw new RangeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
}

function product(shape: readonly number[], from: number, to: number): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= shape[i]!;
  return p;
}

/**
 * The [outer, R, inner] view of `self` for reducing `dims` (normalized, sorted). `convert`
 * maps every element first (dtype casts); the input is then copied.
 */
export function reduceLayout(self: Tensor, dims: readonly number[], convert?: (v: number) => number): ReduceLayout {
  const shape = self.shape;
  const rank = shape.length;
  const numel = self.numel();
  // dims of size != 1 decide whether the reduced block is contiguous
  const eff: number[] = [];
  for (let i = 0; i < rank; i++) if (shape[i] !== 1) eff.push(i);
  let first = -1, last = -1, adjacent = true;
  for (let k = 0; k < eff.length; k++) {
    if (!dims.includes(eff[k]!)) continue;
    if (first < 0) first = k;
    else if (k !== last + 1) adjacent = false;
    last = k;
  }
  let data: ArrayLike<number>, offset = 0, outer: number, R: number, inner: number;
  if (adjacent) {
    if (first < 0) {
      outer = numel;
      R = 1;
      inner = 1;
    } else {
      outer = product(shape, 0, eff[first]!);
      R = product(shape, eff[first]!, eff[last]! + 1);
      inner = product(shape, eff[last]! + 1, rank);
    }
    if (self.is_contiguous() && !convert) {
      data = self.hostArray;
      offset = self.offset;
    } else data = self.contiguousArray();
  } else {
    const keep: number[] = [];
    for (let i = 0; i < rank; i++) if (!dims.includes(i)) keep.push(i);
    const perm = [...keep, ...dims];
    const out = new Float64Array(numel);
    gatherStrided(self.hostArray, perm.map((i) => shape[i]!), perm.map((i) => self.strides[i]!), self.offset, out);
    data = out;
    outer = product(keep.map((i) => shape[i]!), 0, keep.length);
    R = product(dims.map((i) => shape[i]!), 0, dims.length);
    inner = 1;
  }
  if (convert) {
    const src = data;
    const conv = new Float64Array(numel);
    for (let i = 0; i < numel; i++) conv[i] = convert(src[offset + i]!);
    data = conv;
    offset = 0;
  }
  return { data, offset, outer, R, inner };
}

/** Calls `fn` once per output element with the lane it reduces: data[start + k * stride], k < R. */
export function forEachLane(L: ReduceLayout, fn: (data: ArrayLike<number>, start: number, stride: number, n: number, outIndex: number) => void): void {
  const { data, offset, outer, R, inner } = L;
  for (let o = 0; o < outer; o++) {
    const base = offset + o * R * inner;
    for (let i = 0; i < inner; i++) fn(data, base + i, inner, R, o * inner + i);
  }
}

/** out[o, i] = sum over r (NaNs skipped with `skipNaN`), accumulated in float64. */
export function laneSums(L: ReduceLayout, skipNaN = false): Float64Array {
  const { data, offset, outer, R, inner } = L;
  const acc = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const b = offset + o * R;
      if (skipNaN) {
        for (let r = 0; r < R; r++) {
          const v = data[b + r]!;
          if (v === v) s += v;
        }
      } else for (let r = 0; r < R; r++) s += data[b + r]!;
      acc[o] = s;
    }
    return acc;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let r = 0; r < R; r++) {
      const b = offset + (o * R + r) * inner;
      if (skipNaN) {
        for (let i = 0; i < inner; i++) {
          const v = data[b + i]!;
          if (v === v) acc[ob + i] += v;
        }
      } else for (let i = 0; i < inner; i++) acc[ob + i] += data[b + i]!;
    }
  }
  return acc;
}

/** Writes float64 results into an output storage, normalizing bools to 0/1. */
export function store(out: Tensor, values: ArrayLike<number>): void {
  const o = out.hostArray;
  const n = o.length;
  if (out.dtype === 'bool') for (let i = 0; i < n; i++) o[i] = values[i] !== 0 ? 1 : 0;
  else for (let i = 0; i < n; i++) o[i] = values[i]!;
}

/** Element cast applied before reducing with a `dtype=` argument; undefined when values are already exact. */
export function castFn(from: DType, to: DType | null | undefined): ((v: number) => number) | undefined {
  if (!to || to === from || to === 'float64') return undefined;
  const holds: Record<DType, readonly DType[]> = {
    float64: [], float32: ['bool', 'uint8', 'int8', 'int16', 'float16'], float16: ['bool', 'uint8', 'int8'],
    int64: ['bool', 'uint8', 'int8', 'int16', 'int32'], int32: ['bool', 'uint8', 'int8', 'int16'], int16: ['bool', 'uint8', 'int8'],
    int8: ['bool'], uint8: ['bool'], bool: [],
  };
  if (holds[to].includes(from)) return undefined;
  return castValue(to);
}

/** A C-style conversion to `to` (truncation and wrap-around for integers). */
export function castValue(to: DType): (v: number) => number {
  switch (to) {
    case 'float64': return (v) => v;
    case 'float32': return Math.fround;
    case 'float16': return roundToF16;
    case 'int64': return (v) => (Number.isFinite(v) ? Math.trunc(v) : 0);
    case 'int32': return (v) => Math.trunc(v) | 0;
    case 'int16': return (v) => (Math.trunc(v) << 16) >> 16;
    case 'int8': return (v) => (Math.trunc(v) << 24) >> 24;
    case 'uint8': return (v) => Math.trunc(v) & 255;
    case 'bool': return (v) => (v !== 0 ? 1 : 0);
    default: return to satisfies never;
  }
}

/** Sum/prod-like result dtype: explicit dtype, else integers and bool widen to int64. */
export function accumulateDtype(self: DType, dtype: DType | null | undefined): DType {
  if (dtype) return dtype;
  return isFloating(self) || self === 'int64' ? self : 'int64';
}

/** A new contiguous array of `self`'s elements (row-major), as compute numbers. */
export function valuesOf(self: Tensor): StorageArray {
  return self.contiguousArray();
}
