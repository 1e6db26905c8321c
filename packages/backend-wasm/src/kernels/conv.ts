/**
 * 2-d convolution (1-d as height 1), depthwise convolution, transposed convolution and pooling
 * on the wasm kernels.
 *
 * Ordinary convolutions are one GEMM per (image, group): W[oc, (ic, kh, kw)] @ B[(ic, kh, kw), (oh, ow)]
 * where B is read from the input through offset tables (no im2col matrix): a 1x1 stride-1
 * unpadded convolution reads the input itself; every other one first copies the input into
 * padded, stride-phase-split planes (`prepChunk`), where each kernel tap reads consecutive
 * values for consecutive output columns. Depthwise convolutions (one input channel per group)
 * and pooling run direct vector loops over the same planes.
 */
import type { Tensor } from '@torchlet/core';
import {
  DD_BIAS, DD_C, DD_CPC, DD_DH, DD_DW, DD_H, DD_HI, DD_KH, DD_KW, DD_LO, DD_MODE, DD_MULT, DD_OH, DD_OUT, DD_OW, DD_PH, DD_PW, DD_RES, DD_W, DD_WT, DD_X, K_DWDIRECT, CI_BIAS, CI_COLS, CI_CPC, CI_DH, CI_DW, CI_H, CI_KH, CI_KW, CI_OC, CI_OH, CI_OUT, CI_OW, CI_PH, CI_PW, CI_SH, CI_SW, CI_W, K_COL2IM, D_BIAS, D_CPC, D_DIVH, D_DIVW, D_HI, D_LO, D_MODE, D_MULT, D_OC, D_OH, D_OUT, D_OW, D_PLANE, D_POOL, D_RES, D_T, D_TAPS, D_W, D_WQ, D_X,
  F_BIAS_ROW, F_CLAMP, F_RES, K_DEPTHWISE, K_POOL, K_PREP, P_C, P_CPC, P_H, P_HQ, P_NPH, P_OUT, P_PAD, P_PH, P_PHASES, P_PW, P_SH, P_SW, P_W,
  P_WQ, P_X,
} from '../../assembly/abi.js';
import { derived, table, type Scratch } from '../context.js';
import type { WasmRuntime } from '../runtime.js';
import { gemm, packedABytes } from './gemm.js';

/** The geometry both convolution directions share; pointers are byte offsets into wasm memory. */
interface ConvGeometry {
  /** input [N, C, H, W], contiguous, byte pointer */
  x: number;
  N: number;
  C: number;
  H: number;
  W: number;
  /** weight: [OC, C / G, KH, KW] for conv2d, [C, OC / G, KH, KW] for conv_transpose2d (float32) */
  weight: Tensor;
  bias: Tensor | null;
  OC: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  /** padding before (top, left) */
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  G: number;
  /** output [N, OC, OH, OW] byte pointer */
  out: number;
}

export interface Conv2dSpec extends ConvGeometry {
  /** residual [N, OC, OH, OW] byte pointer or 0 */
  res?: number;
  lo?: number;
  hi?: number;
}

interface Planes {
  /** (py, px) of each phase plane */
  phases: [number, number][];
  index: Map<number, number>;
  Hq: number;
  Wq: number;
}

/** The phase planes a window of KH x KW taps (dilation dh, dw) at strides (sh, sw) reads. */
function planesFor(KH: number, KW: number, sh: number, sw: number, dh: number, dw: number, OH: number, OW: number): Planes {
  const phases: [number, number][] = [];
  const index = new Map<number, number>();
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const py = (kh * dh) % sh, px = (kw * dw) % sw;
      const key = py * 1024 + px;
      if (!index.has(key)) {
        index.set(key, phases.length);
        phases.push([py, px]);
      }
    }
  }
  return { phases, index, Hq: OH + Math.floor(((KH - 1) * dh) / sh), Wq: OW + Math.floor(((KW - 1) * dw) / sw) };
}

/** Byte offset of tap (kh, kw) from a channel's plane base (phase plane included). */
function tapOffset(p: Planes, C: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number): number {
  const q = p.index.get(((kh * dh) % sh) * 1024 + ((kw * dw) % sw))!;
  return (q * C * p.Hq * p.Wq + Math.floor((kh * dh) / sh) * p.Wq + Math.floor((kw * dw) / sw)) * 4;
}

/** Copies one image (C planes of H x W at `x`) into padded phase planes; returns their pointer. */
function prep(rt: WasmRuntime, s: Scratch, x: number, C: number, H: number, W: number, sh: number, sw: number, ph: number, pw: number, p: Planes, pad: number): number {
  const bytes = p.phases.length * C * p.Hq * p.Wq * 4;
  const out = s.alloc(bytes + 32);
  const phases = table(rt, `phases:${p.phases.join(';')}`, 2 * p.phases.length, (t, b) => {
    p.phases.forEach(([py, px], i) => {
      t[b + 2 * i] = py;
      t[b + 2 * i + 1] = px;
    });
  });
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(C, 4);
    rt.setI(a, P_X, x);
    rt.setI(a, P_C, C);
    rt.setI(a, P_H, H);
    rt.setI(a, P_W, W);
    rt.setI(a, P_SH, sh);
    rt.setI(a, P_SW, sw);
    rt.setI(a, P_PH, ph);
    rt.setI(a, P_PW, pw);
    rt.setI(a, P_HQ, p.Hq);
    rt.setI(a, P_WQ, p.Wq);
    rt.setI(a, P_OUT, out);
    rt.setF(a, P_PAD, pad);
    rt.setI(a, P_NPH, p.phases.length);
    rt.setI(a, P_PHASES, phases);
    rt.setI(a, P_CPC, Math.ceil(C / chunks));
    rt.run(K_PREP, a, chunks);
  } finally {
    rt.releaseArgs();
  }
  return out;
}

/** A float32 tensor copied (or in place) into wasm memory for the call, contiguous. */
function weightRows(s: Scratch, w: Tensor): number {
  return s.input(w);
}

export function conv2d(rt: WasmRuntime, s: Scratch, c: Conv2dSpec): void {
  const { N, C, H, W, OC, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, G } = c;
  const icg = C / G, ocg = OC / G;
  const oPlane = OH * OW;
  if (N === 0 || OC === 0 || oPlane === 0) return;
  const clamp = c.lo !== undefined || c.hi !== undefined;
  if (icg === 1 && G > 1) {
    depthwise(rt, s, c);
    return;
  }
  const K = icg * KH * KW;
  const MR = rt.MR;
  const pointwise = KH === 1 && KW === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0 && OH === H && OW === W;
  const planes = pointwise ? undefined : planesFor(KH, KW, sh, sw, dh, dw, OH, OW);
  for (let n = 0; n < N; n++) {
    const xn = c.x + n * C * H * W * 4;
    const base = planes ? prep(rt, s, xn, C, H, W, sh, sw, ph, pw, planes, 0) : xn;
    for (let g = 0; g < G; g++) {
      const A = derived(s, c.weight, `convA:${G}:${g}:${MR}`, packedABytes(rt, ocg, K), (dst) => {
        const src = weightRows(s, c.weight) + g * ocg * K * 4;
        rt.exports.packA(src, ocg, K, K, 1, dst);
      });
      const rowBias = c.bias ? derived(s, c.bias, `convBias:${G}:${g}:${MR}`, Math.ceil(ocg / MR) * MR * 4, (dst) => {
        const f = rt.f32;
        f.fill(0, dst >> 2, (dst >> 2) + Math.ceil(ocg / MR) * MR);
        f.set(c.bias!.contiguousArray().subarray(g * ocg, (g + 1) * ocg), dst >> 2);
      }) : 0;
      let B: number, offs: number, pix: number;
      if (!planes) {
        B = base + g * icg * H * W * 4;
        offs = table(rt, `offs:pw:${icg}:${H * W}`, K, (t, b) => {
          for (let k = 0; k < K; k++) t[b + k] = k * H * W * 4;
        });
        pix = table(rt, `pix:lin:${oPlane}`, oPlane, (t, b) => {
          for (let j = 0; j < oPlane; j++) t[b + j] = j * 4;
        });
      } else {
        B = base;
        const p = planes;
        offs = table(rt, `offs:${C}:${icg}:${g}:${KH}x${KW}:${sh},${sw}:${dh},${dw}:${p.Hq}x${p.Wq}`, K, (t, b) => {
          let k = 0;
          for (let ic = 0; ic < icg; ic++) {
            const cb = (g * icg + ic) * p.Hq * p.Wq * 4;
            for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) t[b + k++] = cb + tapOffset(p, C, kh, kw, sh, sw, dh, dw);
          }
        });
        pix = table(rt, `pix:${OH}x${OW}:${p.Wq}`, oPlane, (t, b) => {
          let j = 0;
          for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) t[b + j++] = (oh * p.Wq + ow) * 4;
        });
      }
      const cOff = (n * OC + g * ocg) * oPlane * 4;
      gemm(rt, {
        M: ocg, N: oPlane, K, A, B, offs, pix, C: c.out + cOff, ldc: oPlane * 4,
        epi: {
          rowBias,
          res: c.res ? c.res + cOff : 0,
          ldr: oPlane * 4,
          ...(clamp ? { lo: c.lo ?? -Infinity, hi: c.hi ?? Infinity } : {}),
        },
      });
    }
  }
}

function depthwise(rt: WasmRuntime, s: Scratch, c: Conv2dSpec): void {
  const { N, C, H, W, OC, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw } = c;
  // stride 1 on rows wide enough for vectors: read the input in place; otherwise padded planes
  if (sh === 1 && sw === 1 && OW >= 16) {
    depthwiseDirect(rt, s, c);
    return;
  }
  const planes = planesFor(KH, KW, sh, sw, dh, dw, OH, OW);
  const T = KH * KW;
  const taps = table(rt, `taps:${C}:${KH}x${KW}:${sh},${sw}:${dh},${dw}:${planes.Hq}x${planes.Wq}`, T, (t, b) => {
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) t[b + kh * KW + kw] = tapOffset(planes, C, kh, kw, sh, sw, dh, dw);
  });
  const wp = s.input(c.weight);
  const bp = c.bias ? s.input(c.bias) : 0;
  const clamp = c.lo !== undefined || c.hi !== undefined;
  let mode = 0;
  if (bp) mode |= F_BIAS_ROW;
  if (c.res) mode |= F_RES;
  if (clamp) mode |= F_CLAMP;
  for (let n = 0; n < N; n++) {
    const xn = c.x + n * C * H * W * 4;
    const base = prep(rt, s, xn, C, H, W, sh, sw, ph, pw, planes, 0);
    const a = rt.args();
    try {
      const chunks = rt.chunksFor(OC, 2);
      rt.setI(a, D_X, base);
      rt.setI(a, D_PLANE, planes.Hq * planes.Wq * 4);
      rt.setI(a, D_WQ, planes.Wq);
      rt.setI(a, D_OC, OC);
      rt.setI(a, D_MULT, OC / C);
      rt.setI(a, D_T, T);
      rt.setI(a, D_TAPS, taps);
      rt.setI(a, D_W, wp);
      rt.setI(a, D_BIAS, bp);
      rt.setI(a, D_OUT, c.out + n * OC * OH * OW * 4);
      rt.setI(a, D_OH, OH);
      rt.setI(a, D_OW, OW);
      rt.setI(a, D_RES, c.res ? c.res + n * OC * OH * OW * 4 : 0);
      rt.setI(a, D_MODE, mode);
      rt.setF(a, D_LO, c.lo ?? -Infinity);
      rt.setF(a, D_HI, c.hi ?? Infinity);
      rt.setI(a, D_CPC, Math.ceil(OC / chunks));
      rt.run(K_DEPTHWISE, a, chunks);
    } finally {
      rt.releaseArgs();
    }
  }
}

/** Stride-1 depthwise convolution on the unpadded input (no phase planes). */
function depthwiseDirect(rt: WasmRuntime, s: Scratch, c: Conv2dSpec): void {
  const { N, C, H, W, OC, OH, OW } = c;
  const wp = s.input(c.weight);
  const bp = c.bias ? s.input(c.bias) : 0;
  let mode = 0;
  if (bp) mode |= F_BIAS_ROW;
  if (c.res) mode |= F_RES;
  if (c.lo !== undefined || c.hi !== undefined) mode |= F_CLAMP;
  for (let n = 0; n < N; n++) {
    const a = rt.args();
    try {
      const chunks = rt.chunksFor(OC, 2);
      const at = (slot: number, v: number): void => rt.setI(a, slot, v);
      at(DD_X, c.x + n * C * H * W * 4);
      at(DD_C, C);
      at(DD_H, H);
      at(DD_W, W);
      at(DD_MULT, OC / C);
      at(DD_KH, c.KH);
      at(DD_KW, c.KW);
      at(DD_PH, c.ph);
      at(DD_PW, c.pw);
      at(DD_DH, c.dh);
      at(DD_DW, c.dw);
      at(DD_WT, wp);
      at(DD_BIAS, bp);
      at(DD_OUT, c.out + n * OC * OH * OW * 4);
      at(DD_OH, OH);
      at(DD_OW, OW);
      at(DD_RES, c.res ? c.res + n * OC * OH * OW * 4 : 0);
      at(DD_MODE, mode);
      rt.setF(a, DD_LO, c.lo ?? -Infinity);
      rt.setF(a, DD_HI, c.hi ?? Infinity);
      at(DD_CPC, Math.ceil(OC / chunks));
      rt.run(K_DWDIRECT, a, chunks);
    } finally {
      rt.releaseArgs();
    }
  }
}

export interface Pool2dSpec {
  x: number;
  /** planes (N * C) */
  P: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  out: number;
  avg: boolean;
  /** average pooling divisors by output row and column (their product divides) */
  divH?: number[];
  divW?: number[];
}

export function pool2d(rt: WasmRuntime, s: Scratch, p: Pool2dSpec): void {
  const { P, H, W, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw } = p;
  if (P === 0 || OH * OW === 0) return;
  const planes = planesFor(KH, KW, sh, sw, dh, dw, OH, OW);
  const T = KH * KW;
  const taps = table(rt, `taps:${P}:${KH}x${KW}:${sh},${sw}:${dh},${dw}:${planes.Hq}x${planes.Wq}`, T, (t, b) => {
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) t[b + kh * KW + kw] = tapOffset(planes, P, kh, kw, sh, sw, dh, dw);
  });
  const base = prep(rt, s, p.x, P, H, W, sh, sw, ph, pw, planes, p.avg ? 0 : -Infinity);
  let divH = 0, divW = 0;
  if (p.avg) {
    divH = s.alloc(OH * 4);
    divW = s.alloc(OW * 4);
    const f = rt.f32;
    f.set(p.divH!, divH >> 2);
    f.set(p.divW!, divW >> 2);
  }
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(P, 2);
    rt.setI(a, D_X, base);
    rt.setI(a, D_PLANE, planes.Hq * planes.Wq * 4);
    rt.setI(a, D_WQ, planes.Wq);
    rt.setI(a, D_OC, P);
    rt.setI(a, D_T, T);
    rt.setI(a, D_TAPS, taps);
    rt.setI(a, D_OUT, p.out);
    rt.setI(a, D_OH, OH);
    rt.setI(a, D_OW, OW);
    rt.setI(a, D_CPC, Math.ceil(P / chunks));
    rt.setI(a, D_POOL, p.avg ? 1 : 0);
    rt.setI(a, D_DIVH, divH);
    rt.setI(a, D_DIVW, divW);
    rt.run(K_POOL, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}

export type ConvTranspose2dSpec = ConvGeometry;

/** Transposed convolution: per (image, group) cols = W^T @ x (one GEMM), then col2im with the bias. */
export function convTranspose2d(rt: WasmRuntime, s: Scratch, c: ConvTranspose2dSpec): void {
  const { N, C, H, W, OC, OH, OW, KH, KW, G } = c;
  const icg = C / G, ocg = OC / G, kk = KH * KW, iPlane = H * W, oPlane = OH * OW;
  if (N === 0 || OC === 0 || oPlane === 0) return;
  const M = ocg * kk;
  const cols = s.alloc(M * iPlane * 4);
  const offs = table(rt, `offs:pw:${icg}:${iPlane}`, icg, (t, b) => {
    for (let k = 0; k < icg; k++) t[b + k] = k * iPlane * 4;
  });
  const pix = table(rt, `pix:lin:${iPlane}`, iPlane, (t, b) => {
    for (let j = 0; j < iPlane; j++) t[b + j] = j * 4;
  });
  const bp = c.bias ? s.input(c.bias) : 0;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const A = derived(s, c.weight, `convTA:${G}:${g}:${rt.MR}`, packedABytes(rt, M, icg), (dst) => {
        rt.exports.packA(weightRows(s, c.weight) + g * icg * M * 4, M, icg, 1, M, dst);
      });
      gemm(rt, { M, N: iPlane, K: icg, A, B: c.x + (n * C + g * icg) * iPlane * 4, offs, pix, C: cols, ldc: iPlane * 4 });
      const a = rt.args();
      try {
        const chunks = rt.chunksFor(ocg, 2);
        rt.setI(a, CI_COLS, cols);
        rt.setI(a, CI_OUT, c.out + (n * OC + g * ocg) * oPlane * 4);
        rt.setI(a, CI_OC, ocg);
        rt.setI(a, CI_KH, KH);
        rt.setI(a, CI_KW, KW);
        rt.setI(a, CI_H, H);
        rt.setI(a, CI_W, W);
        rt.setI(a, CI_OH, OH);
        rt.setI(a, CI_OW, OW);
        rt.setI(a, CI_SH, c.sh);
        rt.setI(a, CI_SW, c.sw);
        rt.setI(a, CI_PH, c.ph);
        rt.setI(a, CI_PW, c.pw);
        rt.setI(a, CI_DH, c.dh);
        rt.setI(a, CI_DW, c.dw);
        rt.setI(a, CI_BIAS, bp ? bp + g * ocg * 4 : 0);
        rt.setI(a, CI_CPC, Math.ceil(ocg / chunks));
        rt.run(K_COL2IM, a, chunks);
      } finally {
        rt.releaseArgs();
      }
    }
  }
}
