/**
 * Strided copies (clone, contiguous, _to_copy with dtype conversion, copy_, cat, transpose
 * materialisation): the elementwise program with an identity expression and a strided output.
 */
import type { Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { gpuBufferOf } from '../backend.js';
import { storageType, type View } from '../program.js';
import { runElementwise, type ComputeType, type ElementwiseOp } from './elementwise.js';

function copyOp(src: Tensor | number | boolean, dst: Tensor): ElementwiseOp {
  const st = typeof src === 'object' ? storageType(src.dtype) : typeof src === 'number' && !Number.isInteger(src) ? 'f32' : 'i32';
  const dt = storageType(dst.dtype);
  const T: ComputeType = st === 'f32' || dt === 'f32' ? 'f32' : 'i32';
  return { name: 'copy', expr: ([a]) => a!, compute: T };
}

/** Writes `src` (broadcast to the view's shape) into `dst` through `view` (default: dst's own). */
export function copyInto(be: WebGPUBackend, dst: Tensor, src: Tensor | number | boolean, view?: View): void {
  runElementwise(be, copyOp(src, dst), [src], dst, view);
}

/** A contiguous copy of `t` on the GPU. */
export function contiguousCopy(be: WebGPUBackend, t: Tensor): Tensor {
  const out = be.allocateTensor(t.shape, t.dtype);
  copyInto(be, out, t);
  return out;
}

/** copy_(self, src): src may be a CPU tensor (uploaded) or share self's storage (copied first). */
export function copyInPlace(be: WebGPUBackend, dst: Tensor, src: Tensor): void {
  let s = src;
  const temps: Tensor[] = [];
  if (s.device === 'cpu' && !(s.ndim === 0 || s.isWrappedNumber)) {
    s = be.upload(s);
    temps.push(s);
  } else if (s.device !== 'cpu' && gpuBufferOf(s) === gpuBufferOf(dst)) {
    // the same buffer cannot be bound for reading and writing in one dispatch
    s = contiguousCopy(be, s);
    temps.push(s);
  }
  try {
    copyInto(be, dst, s, { shape: [...dst.shape], strides: [...dst.strides], offset: dst.offset });
  } finally {
    for (const t of temps) t.dispose();
  }
}

/** cat along `dim` into the contiguous `out`: one strided copy per non-empty input. */
export function catInto(be: WebGPUBackend, tensors: readonly Tensor[], dim: number, out: Tensor): void {
  const d = dim < 0 ? dim + out.ndim : dim;
  let at = 0;
  for (const t of tensors) {
    if (t.numel() === 0) {
      if (t.ndim === out.ndim) at += t.shape[d]!;
      continue;
    }
    const shape = [...out.shape];
    shape[d] = t.shape[d]!;
    copyInto(be, out, t, { shape, strides: [...out.strides], offset: out.offset + at * out.strides[d]! });
    at += t.shape[d]!;
  }
}
