/** Helpers for the indexing ops (gather/scatter, index_*, advanced indexing). */
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/**
 * Visits every index of `shape` in row-major order with one running pointer per operand
 * (`strides[k]`, starting at `offsets[k]`); `fn` gets the pointers and the flat position.
 */
export function walk(shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[], fn: (ptrs: number[], flat: number) => void): void {
  let n = 1;
  for (const s of shape) n *= s;
  if (n === 0) return;
  const rank = shape.length, m = strides.length;
  const ptrs = [...offsets];
  const idx = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < n; flat++) {
    fn(ptrs, flat);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < m; k++) ptrs[k]! += strides[k]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < m; k++) ptrs[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Strides of a 0-d tensor seen as 1-d (PyTorch's ensure_nonempty_dim / ensure_nonempty_size). */
export function dimsOf(t: Tensor): { shape: number[]; strides: number[] } {
  return t.ndim === 0 ? { shape: [1], strides: [0] } : { shape: [...t.shape], strides: [...t.strides] };
}

/** Wraps an index along a dim of `size`, or throws PyTorch's out-of-bounds error. */
export function wrapIndex(i: number, size: number, dim: number): number {
  if (i < -size || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

export function checkLongIndex(index: Tensor, op: string): void {
  if (index.numel() !== 0 && index.dtype !== 'int64') throw new TypeError(`${op}(): Expected dtype int64 for index`);
}

export function checkIntIndex(index: Tensor, op: string): void {
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new TypeError(`${op}(): Expected dtype int32 or int64 for index`);
}

/** Accumulators of the scatter/index reductions. */
export type Reduce = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

export function reduceFn(r: Reduce): (acc: number, v: number) => number {
  switch (r) {
    case 'sum':
    case 'mean':
      return (a, v) => a + v;
    case 'prod':
      return (a, v) => a * v;
    case 'amax':
      return (a, v) => (Number.isNaN(v) || v > a ? v : a);
    case 'amin':
      return (a, v) => (Number.isNaN(v) || v < a ? v : a);
    default:
      return r satisfies never;
  }
}

const LIMITS: Record<DType, [number, number]> = {
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
  float16: [-65504, 65504],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [-9223372036854775808, 9223372036854775807],
  uint8: [0, 255],
  bool: [0, 1],
};

/** The value scatter_reduce/index_reduce start from when include_self=False (numeric_limits lowest/max). */
export function reduceInit(r: Reduce, dtype: DType): number {
  switch (r) {
    case 'sum':
    case 'mean':
      return 0;
    case 'prod':
      return 1;
    case 'amax':
      return LIMITS[dtype][0];
    case 'amin':
      return LIMITS[dtype][1];
    default:
      return r satisfies never;
  }
}

/** Applies the integer/bool semantics of `dtype` to a computed value. */
export function toDType(v: number, dtype: DType): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  if (dtype === 'int64') return Number.isFinite(v) ? Math.trunc(v) : 0;
  return v;
}
