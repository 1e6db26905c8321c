import { isFloating, parseDType, type DType } from '../../dtype.js';
import type { Args, OutSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** The `dtype` argument (a DType, a ScalarType code from a schema default, or null) or a fallback. */
export function dtypeArg(x: unknown, fallback: DType): DType {
  return x === null || x === undefined ? fallback : parseDType(x);
}

/** PyTorch's default dtype for a Python scalar: bool, int64 for integral numbers, float32 otherwise. */
export function scalarDType(v: number | boolean): DType {
  return typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int64' : 'float32';
}

export function checkSize(size: readonly number[]): number[] {
  for (const s of size) {
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`Trying to create tensor with negative dimension ${s}: [${size.join(', ')}]`);
  }
  return [...size];
}

export function sizeSpec(size: readonly number[], dtype: DType): OutSpec {
  return { shape: checkSize(size), dtype };
}

/** `*_like` ops: self's shape, the dtype argument or self's dtype. */
export function likeSpec(a: Args): OutSpec {
  const self = a.self as Tensor;
  return { shape: [...self.shape], dtype: dtypeArg(a.dtype, self.dtype) };
}

/** `new_*` ops: the given size, the dtype argument or self's dtype. */
export function newSpec(a: Args): OutSpec {
  return sizeSpec(a.size, dtypeArg(a.dtype, (a.self as Tensor).dtype));
}

export function checkFloatingDType(dtype: DType, op: string): void {
  if (!isFloating(dtype)) throw new TypeError(`"${op}" not implemented for '${dtype}'`);
}

/** Common kwarg-only tail of factory schemas. */
export const FACTORY_KW = 'ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None';
