/**
 * Task drivers for reductions, softmax, layer_norm, elementwise ops and per-channel affine.
 */
import {
  CA_C, CA_HI, CA_INNER, CA_LO, CA_MODE, CA_OUT, CA_PLANES, CA_PPC, CA_SCALE, CA_SHIFT, CA_X, E_A, E_ALPHA, E_B, E_NDIM, E_OP, E_OUT, E_RPC, E_SA,
  E_SB, E_SHAPE, K_AFFINE, K_BINARY, K_LAYERNORM, K_REDUCE, K_UNARY, LN_B, LN_D, LN_EPS, LN_MEAN, LN_OUT, LN_ROWS, LN_RPC, LN_RSTD, LN_W, LN_X,
  RD_INNER, RD_OP, RD_OPC, RD_OUT, RD_OUTER, RD_R, RD_X, UN_EPC, UN_N, UN_OP, UN_OUT, UN_P0, UN_P1, UN_X,
} from '../../assembly/abi.js';
import type { WasmRuntime } from '../runtime.js';

/** Reduction / softmax over the middle dim of a contiguous (outer, r, inner) array. */
export function reduce(rt: WasmRuntime, x: number, out: number, op: number, outer: number, r: number, inner: number): void {
  if (outer === 0 || inner === 0) return;
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(outer, Math.max(1, Math.ceil(4096 / Math.max(1, r * inner))));
    rt.setI(a, RD_OP, op);
    rt.setI(a, RD_X, x);
    rt.setI(a, RD_OUT, out);
    rt.setI(a, RD_OUTER, outer);
    rt.setI(a, RD_R, r);
    rt.setI(a, RD_INNER, inner);
    rt.setI(a, RD_OPC, Math.ceil(outer / chunks));
    rt.run(K_REDUCE, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}

export function layerNorm(rt: WasmRuntime, x: number, out: number, w: number, b: number, rows: number, D: number, eps: number, mean = 0, rstd = 0): void {
  if (rows === 0) return;
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(rows, Math.max(1, Math.ceil(4096 / Math.max(1, D))));
    rt.setI(a, LN_X, x);
    rt.setI(a, LN_OUT, out);
    rt.setI(a, LN_W, w);
    rt.setI(a, LN_B, b);
    rt.setI(a, LN_ROWS, rows);
    rt.setI(a, LN_D, D);
    rt.setF(a, LN_EPS, eps);
    rt.setI(a, LN_MEAN, mean);
    rt.setI(a, LN_RSTD, rstd);
    rt.setI(a, LN_RPC, Math.ceil(rows / chunks));
    rt.run(K_LAYERNORM, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}

/** out = a op b over (up to 4) collapsed dims with element strides (0 = broadcast). */
export function binary(rt: WasmRuntime, op: number, pa: number, pb: number, out: number, shape: number[], sa: number[], sb: number[], alpha: number): void {
  const nd = shape.length;
  const n = shape[nd - 1]!;
  const rows = shape.slice(0, nd - 1).reduce((x, y) => x * y, 1);
  if (rows === 0 || n === 0) return;
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(rows, Math.max(1, Math.ceil(8192 / n)));
    rt.setI(a, E_OP, op);
    rt.setI(a, E_A, pa);
    rt.setI(a, E_B, pb);
    rt.setI(a, E_OUT, out);
    rt.setI(a, E_NDIM, nd);
    for (let d = 0; d < nd; d++) {
      rt.setI(a, E_SHAPE + d, shape[d]!);
      rt.setI(a, E_SA + d, sa[d]!);
      rt.setI(a, E_SB + d, sb[d]!);
    }
    rt.setF(a, E_ALPHA, alpha);
    rt.setI(a, E_RPC, Math.ceil(rows / chunks));
    rt.run(K_BINARY, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}

export function unary(rt: WasmRuntime, op: number, x: number, out: number, n: number, p0 = 0, p1 = 0): void {
  if (n === 0) return;
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(n, 16384);
    rt.setI(a, UN_OP, op);
    rt.setI(a, UN_X, x);
    rt.setI(a, UN_OUT, out);
    rt.setI(a, UN_N, n);
    rt.setF(a, UN_P0, p0);
    rt.setF(a, UN_P1, p1);
    rt.setI(a, UN_EPC, Math.ceil(n / chunks / 4) * 4);
    rt.run(K_UNARY, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}

/** out[p, :] = x[p, :] * scale[p % C] + shift[p % C] (then clamped when lo/hi given). */
export function channelAffine(rt: WasmRuntime, x: number, out: number, scale: number, shift: number, C: number, inner: number, planes: number, lo?: number, hi?: number): void {
  if (planes === 0 || inner === 0) return;
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(planes, Math.max(1, Math.ceil(8192 / inner)));
    rt.setI(a, CA_X, x);
    rt.setI(a, CA_OUT, out);
    rt.setI(a, CA_SCALE, scale);
    rt.setI(a, CA_SHIFT, shift);
    rt.setI(a, CA_C, C);
    rt.setI(a, CA_INNER, inner);
    rt.setI(a, CA_PLANES, planes);
    rt.setI(a, CA_PPC, Math.ceil(planes / chunks));
    rt.setI(a, CA_MODE, lo !== undefined || hi !== undefined ? 1 : 0);
    rt.setF(a, CA_LO, lo ?? -Infinity);
    rt.setF(a, CA_HI, hi ?? Infinity);
    rt.run(K_AFFINE, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}
