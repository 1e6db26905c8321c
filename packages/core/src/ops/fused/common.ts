/** Shared epilogue handling of the fused ops (not an op file: not listed in index.ts). */
import { callOp } from '../../dispatch.js';
import type { Tensor } from '../../tensor.js';

/** Checks that a residual has exactly the output's shape and dtype (fusion passes guarantee it). */
export function checkResidual(r: Tensor | null, shape: readonly number[], dtype: string, op: string): void {
  if (!r) return;
  if (r.dtype !== dtype) throw new Error(`${op}: residual dtype ${r.dtype} does not match the result dtype ${dtype}`);
  if (r.ndim !== shape.length || r.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${op}: residual of shape [${r.shape.join(', ')}] does not match the result shape [${shape.join(', ')}]`);
  }
}

/**
 * out = clamp(out + residual, lo, hi) in place on a contiguous CPU output, rounding like the
 * unfused ops (each step produces a value of the output's dtype).
 */
export function applyEpilogue(out: Tensor, residual: Tensor | null, lo: number | null, hi: number | null): void {
  const o = out.hostArray;
  const n = out.numel();
  if (residual) {
    const r = residual.contiguousArray();
    for (let i = 0; i < n; i++) o[i] = o[i]! + r[i]!;
  }
  if (lo !== null || hi !== null) {
    const l = lo ?? -Infinity, h = hi ?? Infinity;
    for (let i = 0; i < n; i++) {
      const v = o[i]!;
      // clamp keeps NaN
      o[i] = v < l ? l : v > h ? h : v;
    }
  }
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
