/**
 * Driving the GEMM task: argument blocks, chunking across threads, packing.
 */
import {
  F_SCALE, G_ALPHA, F_BIAS_COL, F_BIAS_ROW, F_CLAMP, F_RES, G_A, G_B, G_BPACKED, G_C, G_CBIAS, G_HI, G_K, G_LDC, G_LDR, G_LIN, G_LO, G_M, G_MODE, G_N, G_NPG,
  G_OFFS, G_PIX, G_PPC, G_RBIAS, G_RES, G_TPC, K_GEMM,
} from '../../assembly/abi.js';
import type { WasmRuntime } from '../runtime.js';

/** A fused epilogue: bias, residual (same layout as C), clamp. */
export interface Epilogue {
  /** bias by row of C (padded to a multiple of MR), byte pointer or 0 */
  rowBias?: number;
  /** bias by column of C, byte pointer or 0 */
  colBias?: number;
  /** residual, byte pointer or 0, and its row stride in bytes */
  res?: number;
  ldr?: number;
  /** clamp bounds (undefined: none) */
  lo?: number;
  hi?: number;
  /** scale of the product (before bias and residual) */
  alpha?: number;
}

export function hasClamp(e: Epilogue): boolean {
  return e.lo !== undefined || e.hi !== undefined;
}

export interface GemmCall {
  M: number;
  N: number;
  K: number;
  /** packed A (MR-row panels) */
  A: number;
  /** B base; element (k, j) at B + offs[k] + pix[j] */
  B: number;
  offs: number;
  pix: number;
  /** B pre-packed in 8-column panels (offs/pix unused) */
  bPacked?: boolean;
  C: number;
  /** C row stride in bytes */
  ldc: number;
  /** add the existing C */
  accumulate?: boolean;
  epi?: Epilogue;
}

export function gemm(rt: WasmRuntime, g: GemmCall): void {
  const { M, N, K } = g;
  if (M === 0 || N === 0) return;
  const a = rt.args();
  try {
    const e = g.epi ?? {};
    let mode = g.accumulate ? 1 : 0;
    if (e.rowBias) mode |= F_BIAS_ROW;
    if (e.colBias) mode |= F_BIAS_COL;
    if (e.res) mode |= F_RES;
    if (hasClamp(e)) mode |= F_CLAMP;
    if (e.alpha !== undefined && e.alpha !== 1) mode |= F_SCALE;
    const nT = Math.ceil(N / 8), nP = Math.ceil(M / rt.MR);
    // below ~0.5 M multiply-adds (some 20 us) waking the workers costs more than it saves
    const plan = gemmPlan(nT, nP, M * N * K < 524288 ? 1 : rt.activeThreads);
    rt.setI(a, G_M, M);
    rt.setI(a, G_N, N);
    rt.setI(a, G_K, K);
    rt.setI(a, G_A, g.A);
    rt.setI(a, G_B, g.B);
    rt.setI(a, G_OFFS, g.offs);
    rt.setI(a, G_PIX, g.pix);
    rt.setI(a, G_C, g.C);
    rt.setI(a, G_LDC, g.ldc);
    rt.setI(a, G_MODE, mode);
    rt.setI(a, G_RBIAS, e.rowBias ?? 0);
    rt.setI(a, G_CBIAS, e.colBias ?? 0);
    rt.setI(a, G_RES, e.res ?? 0);
    rt.setI(a, G_LDR, e.ldr ?? 0);
    rt.setF(a, G_LO, e.lo ?? -Infinity);
    rt.setF(a, G_HI, e.hi ?? Infinity);
    rt.setI(a, G_TPC, plan.tpc);
    rt.setI(a, G_PPC, plan.ppc);
    rt.setI(a, G_NPG, plan.npg);
    rt.setI(a, G_BPACKED, g.bPacked ? 1 : 0);
    rt.setI(a, G_LIN, rt.lin);
    rt.setF(a, G_ALPHA, e.alpha ?? 1);
    rt.run(K_GEMM, a, plan.chunks);
  } finally {
    rt.releaseArgs();
  }
}

/** Chunks of column tiles x row panels: about 4 per thread, whole rows of tiles when there are enough. */
export function gemmPlan(nT: number, nP: number, threads: number): { tpc: number; ppc: number; npg: number; chunks: number } {
  if (threads <= 1) return { tpc: nT, ppc: nP, npg: 1, chunks: 1 };
  const target = threads * 4;
  if (nT >= target) {
    const tpc = Math.ceil(nT / target);
    return { tpc, ppc: nP, npg: 1, chunks: Math.ceil(nT / tpc) };
  }
  const want = Math.min(nP, Math.ceil(target / nT));
  const ppc = Math.ceil(nP / want);
  const npg = Math.ceil(nP / ppc);
  return { tpc: 1, ppc, npg, chunks: nT * npg };
}

/** Bytes of A packed in MR-row panels. */
export function packedABytes(rt: WasmRuntime, M: number, K: number): number {
  return Math.ceil(M / rt.MR) * rt.MR * K * 4;
}
/** Bytes of B packed in 8-column panels. */
export function packedBBytes(K: number, N: number): number {
  return Math.ceil(N / 8) * 8 * K * 4;
}
