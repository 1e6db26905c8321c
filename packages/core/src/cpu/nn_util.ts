/** Small helpers shared by the nn CPU kernels (normalization, interpolation, recurrent, attention, losses). */
import { isFloating, type DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/** The elements of a tensor (any rank, any strides) as a Float64Array in row-major order. */
export function f64(t: Tensor): Float64Array {
  const a = t.contiguousArray();
  return a instanceof Float64Array && a.length === t.numel() ? a : Float64Array.from(a);
}

/** Values of an optional 1-D parameter (weight, bias, running stats), or null. */
export function optVec(t: Tensor | null | undefined): Float64Array | null {
  return t ? f64(t) : null;
}

/** Writes `values` into `t` in place, respecting its strides (used for running-stat updates). */
export function writeStrided(t: Tensor, values: ArrayLike<number>): void {
  const a = t.hostArray;
  const rank = t.ndim;
  const n = t.numel();
  if (rank <= 1) {
    const s = rank === 0 ? 0 : t.strides[0]!;
    for (let i = 0; i < n; i++) a[t.offset + i * s] = values[i]!;
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  let p = t.offset;
  for (let i = 0; i < n; i++) {
    a[p] = values[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      p += t.strides[d]!;
      if (idx[d]! < t.shape[d]!) break;
      p -= t.strides[d]! * t.shape[d]!;
      idx[d] = 0;
    }
  }
}

export function requireFloat(t: Tensor, op: string): void {
  if (!isFloating(t.dtype)) throw new Error(`"${op}" not implemented for '${dtypeName(t.dtype)}'`);
}

/** PyTorch's C++ ScalarType names, as error messages print them. */
export function dtypeName(d: DType): string {
  return { float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool' }[d];
}

/** float32 rounding, to reproduce index arithmetic that PyTorch does in float. */
export const fround = Math.fround;

/** at::Reduction: 0 none, 1 mean, 2 sum. */
export const REDUCTION = { none: 0, mean: 1, sum: 2 } as const;

/** F-level `reduction` string (and the legacy size_average/reduce flags) to the ATen enum. */
export function reductionEnum(reduction: string, sizeAverage?: boolean | null, reduce?: boolean | null): number {
  if ((sizeAverage !== null && sizeAverage !== undefined) || (reduce !== null && reduce !== undefined)) {
    const sa = sizeAverage ?? true;
    const r = reduce ?? true;
    return sa && r ? 1 : r ? 2 : 0;
  }
  const e = (REDUCTION as Record<string, number>)[reduction];
  if (e === undefined) throw new Error(`${reduction} is not a valid value for reduction`);
  return e;
}

export function shapeStr(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}
