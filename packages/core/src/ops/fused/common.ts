/** Shared epilogue handling of the fused ops (not an op file: not listed in index.ts). */
import { callOp, copyInto } from '../../dispatch.js';
import { resultType } from '../../dtype.js';
import type { OutSpec } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import { Tensor } from '../../tensor.js';

/**
 * The result of `clamp(add(y, residual))` for a y of `spec`: add's broadcasting and type
 * promotion, exactly as the unfused ops would compute it (fusion passes cannot always prove
 * that a residual has the product's shape).
 */
export function epilogueSpec(spec: OutSpec, residual: Tensor | null): OutSpec {
  if (!residual) return spec;
  const shape = broadcastShapes(spec.shape, residual.shape);
  const dtype = resultType([{ dtype: spec.dtype, dim: spec.shape.length }, { dtype: residual.dtype, dim: residual.ndim, isWrappedNumber: residual.isWrappedNumber }]);
  return { shape, dtype };
}

/** Whether the epilogue keeps the product's shape and dtype (the fast, in-place case). */
export function epilogueInPlace(y: OutSpec, out: Tensor, residual: Tensor | null): boolean {
  return out.dtype === y.dtype && out.ndim === y.shape.length && out.shape.every((d, i) => d === y.shape[i]) && (!residual || residual.dtype === y.dtype);
}

/**
 * out = clamp(out + residual, lo, hi) in place on a contiguous CPU output holding the product,
 * rounding like the unfused ops (each step produces a value of the output's dtype).
 */
export function applyEpilogue(out: Tensor, residual: Tensor | null, lo: number | null, hi: number | null): void {
  const o = out.hostArray;
  const n = out.numel();
  if (residual) {
    const e = callOp('aten::expand', [residual, out.shape]) as Tensor;
    const r = e.contiguousArray();
    for (let i = 0; i < n; i++) o[i] = o[i]! + r[i]!;
    e.dispose();
  }
  clampInPlace(out, lo, hi);
}

function clampInPlace(out: Tensor, lo: number | null, hi: number | null): void {
  if (lo === null && hi === null) return;
  const o = out.hostArray;
  const n = out.numel();
  const l = lo ?? -Infinity, h = hi ?? Infinity;
  for (let i = 0; i < n; i++) {
    const v = o[i]!;
    // clamp keeps NaN
    o[i] = v < l ? l : v > h ? h : v;
  }
}

/** The general case: y (the product, owned) -> add(y, residual) -> clamp, copied into `out`. */
export function epilogueInto(y: Tensor, out: Tensor, residual: Tensor | null, lo: number | null, hi: number | null): void {
  const r = epilogueByOps(y, residual, lo, hi);
  copyInto(out, r);
  r.dispose();
}

/** The unfused ops for devices without a fused kernel: add the residual, then clamp. */
export function epilogueByOps(y: Tensor, residual: Tensor | null, lo: number | null, hi: number | null): Tensor {
  let r = y;
  if (residual) {
    const s = callOp('aten::add', [r, residual]) as Tensor;
    r.dispose();
    r = s;
  }
  if (lo !== null || hi !== null) {
    const c = callOp('aten::clamp', [r, lo, hi]) as Tensor;
    r.dispose();
    r = c;
  }
  return r;
}
