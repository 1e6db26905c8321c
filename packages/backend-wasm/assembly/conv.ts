// Convolution and pooling helpers.
//
// `prepChunk` turns an input image (C planes of H x W) into padded, stride-phase-split planes:
// phase (py, px) holds xpad[c, y*sh + py, x*sw + px] for y < Hq, x < Wq, where xpad is the input
// with `pad` values around it. In those planes every kernel tap of a strided or dilated window
// reads consecutive values for consecutive output columns, so the GEMM (gemm.ts), the depthwise
// kernel and pooling all read their windows with plain vector loads.

import { vfma, clampv, clampf, argi, argp, argf } from './common';
import { CI_BIAS, CI_COLS, CI_CPC, CI_DH, CI_DW, CI_H, CI_KH, CI_KW, CI_OC, CI_OH, CI_OUT, CI_OW, CI_PH, CI_PW, CI_SH, CI_SW, CI_W, D_BIAS, D_CPC, D_DIVH, D_DIVW, D_HI, D_LO, D_MODE, D_MULT, D_OC, D_OH, D_OUT, D_OW, D_PLANE, D_POOL, D_RES, D_T, D_TAPS, D_W, D_WQ, D_X, F_BIAS_ROW, F_CLAMP, F_RES, P_C, P_CPC, P_H, P_HQ, P_NPH, P_OUT, P_PAD, P_PH, P_PHASES, P_PW, P_SH, P_SW, P_W, P_WQ, P_X } from './abi';


@inline function fillPad(dst: usize, n: i32, pad: f32): void {
  if (n <= 0) return;
  if (pad == 0 && !(1 / pad < 0)) {
    memory.fill(dst, 0, <usize>n << 2);
    return;
  }
  const v = f32x4.splat(pad);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), pad);
}

export function prepChunk(args: usize, chunk: i32): void {
  const X = argp(args, P_X), C = argi(args, P_C), H = argi(args, P_H), W = argi(args, P_W);
  const sh = argi(args, P_SH), sw = argi(args, P_SW), ph = argi(args, P_PH), pw = argi(args, P_PW);
  const Hq = argi(args, P_HQ), Wq = argi(args, P_WQ), OUT = argp(args, P_OUT), pad = argf(args, P_PAD);
  const nph = argi(args, P_NPH), phases = argp(args, P_PHASES), cpc = argi(args, P_CPC);
  const c0 = chunk * cpc, c1 = min(C, c0 + cpc);
  const plane = <usize>Hq * <usize>Wq * 4;
  const inPlane = <usize>H * <usize>W * 4;
  for (let q = 0; q < nph; q++) {
    const py = load<i32>(phases + (<usize>q << 3)), px = load<i32>(phases + (<usize>q << 3) + 4);
    // output columns x whose input column x*sw + px - pw lies inside [0, W)
    let xlo = 0;
    while (xlo < Wq && xlo * sw + px - pw < 0) xlo++;
    let xhi = xlo;
    while (xhi < Wq && xhi * sw + px - pw < W) xhi++;
    const qBase = OUT + <usize>q * <usize>C * plane;
    for (let c = c0; c < c1; c++) {
      const src = X + <usize>c * inPlane;
      let dst = qBase + <usize>c * plane;
      for (let y = 0; y < Hq; y++) {
        const r = y * sh + py - ph;
        if (r < 0 || r >= H) {
          fillPad(dst, Wq, pad);
        } else {
          fillPad(dst, xlo, pad);
          const srow = src + <usize>r * <usize>W * 4;
          if (sw == 1) {
            memory.copy(dst + (<usize>xlo << 2), srow + (<usize>(xlo + px - pw) << 2), <usize>(xhi - xlo) << 2);
          } else {
            for (let x = xlo; x < xhi; x++) store<f32>(dst + (<usize>x << 2), load<f32>(srow + (<usize>(x * sw + px - pw) << 2)));
          }
          fillPad(dst + (<usize>xhi << 2), Wq - xhi, pad);
        }
        dst += <usize>Wq << 2;
      }
    }
  }
}

// ---- depthwise / pooling argument block

@inline function epi(v: v128, mode: i32, r: usize, lo: v128, hi: v128): v128 {
  if (mode & F_RES) v = f32x4.add(v, v128.load(r));
  if (mode & F_CLAMP) v = clampv(v, lo, hi);
  return v;
}

/** Depthwise (and channel-multiplier) convolution over a chunk of output channels. */
export function depthwiseChunk(args: usize, chunk: i32): void {
  const X = argp(args, D_X), plane = argp(args, D_PLANE), Wq = argi(args, D_WQ);
  const OC = argi(args, D_OC), mult = argi(args, D_MULT), T = argi(args, D_T), taps = argp(args, D_TAPS);
  const Wt = argp(args, D_W), bias = argp(args, D_BIAS), OUT = argp(args, D_OUT);
  const OH = argi(args, D_OH), OW = argi(args, D_OW), RES = argp(args, D_RES), mode = argi(args, D_MODE);
  const lo = f32x4.splat(argf(args, D_LO)), hi = f32x4.splat(argf(args, D_HI)), los = argf(args, D_LO), his = argf(args, D_HI);
  const cpc = argi(args, D_CPC);
  const oc0 = chunk * cpc, oc1 = min(OC, oc0 + cpc);
  const rowBytes = <usize>Wq << 2;
  const oPlane = <usize>OH * <usize>OW * 4;
  for (let oc = oc0; oc < oc1; oc++) {
    const xc = X + <usize>(oc / mult) * plane;
    const w = Wt + <usize>oc * <usize>T * 4;
    const b = (mode & F_BIAS_ROW) ? load<f32>(bias + (<usize>oc << 2)) : <f32>0;
    const bv = f32x4.splat(b);
    for (let oh = 0; oh < OH; oh++) {
      const xr = xc + <usize>oh * rowBytes;
      const o = OUT + <usize>oc * oPlane + <usize>oh * <usize>OW * 4;
      const r = RES + <usize>oc * oPlane + <usize>oh * <usize>OW * 4;
      let ow = 0;
      for (; ow + 8 <= OW; ow += 8) {
        let a0 = bv, a1 = bv;
        const xo = xr + (<usize>ow << 2);
        for (let t = 0; t < T; t++) {
          const wv = v128.load32_splat(w + (<usize>t << 2));
          const p = xo + <usize>load<u32>(taps + (<usize>t << 2));
          a0 = vfma(a0, wv, v128.load(p));
          a1 = vfma(a1, wv, v128.load(p, 16));
        }
        const ob = <usize>ow << 2;
        v128.store(o + ob, epi(a0, mode, r + ob, lo, hi));
        v128.store(o + ob + 16, epi(a1, mode, r + ob + 16, lo, hi));
      }
      for (; ow + 4 <= OW; ow += 4) {
        let a0 = bv;
        const xo = xr + (<usize>ow << 2);
        for (let t = 0; t < T; t++) {
          const wv = v128.load32_splat(w + (<usize>t << 2));
          a0 = vfma(a0, wv, v128.load(xo + <usize>load<u32>(taps + (<usize>t << 2))));
        }
        const ob = <usize>ow << 2;
        v128.store(o + ob, epi(a0, mode, r + ob, lo, hi));
      }
      for (; ow < OW; ow++) {
        let s = b;
        const xo = xr + (<usize>ow << 2);
        for (let t = 0; t < T; t++) s += load<f32>(w + (<usize>t << 2)) * load<f32>(xo + <usize>load<u32>(taps + (<usize>t << 2)));
        const ob = <usize>ow << 2;
        if (mode & F_RES) s += load<f32>(r + ob);
        if (mode & F_CLAMP) s = clampf(s, los, his);
        store<f32>(o + ob, s);
      }
    }
  }
}

/** Max or average pooling over a chunk of channels (same addressing as depthwise, no weights). */
export function poolChunk(args: usize, chunk: i32): void {
  const X = argp(args, D_X), plane = argp(args, D_PLANE), Wq = argi(args, D_WQ);
  const OC = argi(args, D_OC), T = argi(args, D_T), taps = argp(args, D_TAPS);
  const OUT = argp(args, D_OUT), OH = argi(args, D_OH), OW = argi(args, D_OW);
  const cpc = argi(args, D_CPC), avg = argi(args, D_POOL), divH = argp(args, D_DIVH), divW = argp(args, D_DIVW);
  const c0 = chunk * cpc, c1 = min(OC, c0 + cpc);
  const rowBytes = <usize>Wq << 2;
  const oPlane = <usize>OH * <usize>OW * 4;
  for (let c = c0; c < c1; c++) {
    const xc = X + <usize>c * plane;
    for (let oh = 0; oh < OH; oh++) {
      const xr = xc + <usize>oh * rowBytes;
      const o = OUT + <usize>c * oPlane + <usize>oh * <usize>OW * 4;
      let ow = 0;
      if (avg) {
        const dh = v128.load32_splat(divH + (<usize>oh << 2)), dhs = load<f32>(divH + (<usize>oh << 2));
        for (; ow + 4 <= OW; ow += 4) {
          const xo = xr + (<usize>ow << 2);
          let a = f32x4.splat(0);
          for (let t = 0; t < T; t++) a = f32x4.add(a, v128.load(xo + <usize>load<u32>(taps + (<usize>t << 2))));
          v128.store(o + (<usize>ow << 2), f32x4.div(a, f32x4.mul(dh, v128.load(divW + (<usize>ow << 2)))));
        }
        for (; ow < OW; ow++) {
          const xo = xr + (<usize>ow << 2);
          let s: f32 = 0;
          for (let t = 0; t < T; t++) s += load<f32>(xo + <usize>load<u32>(taps + (<usize>t << 2)));
          store<f32>(o + (<usize>ow << 2), s / (dhs * load<f32>(divW + (<usize>ow << 2))));
        }
      } else {
        for (; ow + 8 <= OW; ow += 8) {
          const xo = xr + (<usize>ow << 2);
          let a0 = f32x4.splat(-Infinity), a1 = a0;
          for (let t = 0; t < T; t++) {
            const p = xo + <usize>load<u32>(taps + (<usize>t << 2));
            a0 = f32x4.max(a0, v128.load(p));
            a1 = f32x4.max(a1, v128.load(p, 16));
          }
          v128.store(o + (<usize>ow << 2), a0);
          v128.store(o + (<usize>ow << 2), a1, 16);
        }
        for (; ow < OW; ow++) {
          const xo = xr + (<usize>ow << 2);
          let s: f32 = -Infinity;
          for (let t = 0; t < T; t++) {
            const v = load<f32>(xo + <usize>load<u32>(taps + (<usize>t << 2)));
            s = v > s || v != v ? v : s;
          }
          store<f32>(o + (<usize>ow << 2), s);
        }
      }
    }
  }
}

/** col2im for transposed convolutions over a chunk of output channels. */
export function col2imChunk(args: usize, chunk: i32): void {
  const COLS = argp(args, CI_COLS), OUT = argp(args, CI_OUT), OC = argi(args, CI_OC);
  const KH = argi(args, CI_KH), KW = argi(args, CI_KW), H = argi(args, CI_H), W = argi(args, CI_W);
  const OH = argi(args, CI_OH), OW = argi(args, CI_OW), sh = argi(args, CI_SH), sw = argi(args, CI_SW);
  const ph = argi(args, CI_PH), pw = argi(args, CI_PW), dh = argi(args, CI_DH), dw = argi(args, CI_DW);
  const BIAS = argp(args, CI_BIAS), cpc = argi(args, CI_CPC);
  const c0 = chunk * cpc, c1 = min(OC, c0 + cpc);
  const oPlane = <usize>OH * <usize>OW;
  const iPlane = <usize>H * <usize>W;
  for (let oc = c0; oc < c1; oc++) {
    const o = OUT + <usize>oc * oPlane * 4;
    const b: f32 = BIAS ? load<f32>(BIAS + (<usize>oc << 2)) : 0;
    const bv = f32x4.splat(b);
    let i: usize = 0;
    for (; i + 4 <= oPlane; i += 4) v128.store(o + (i << 2), bv);
    for (; i < oPlane; i++) store<f32>(o + (i << 2), b);
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const col = COLS + ((<usize>oc * <usize>KH + <usize>kh) * <usize>KW + <usize>kw) * iPlane * 4;
        const offW = kw * dw - pw;
        // input columns whose output column lies inside [0, OW)
        let iwLo = 0;
        while (iwLo < W && iwLo * sw + offW < 0) iwLo++;
        let iwHi = iwLo;
        while (iwHi < W && iwHi * sw + offW < OW) iwHi++;
        for (let ih = 0; ih < H; ih++) {
          const oh = ih * sh - ph + kh * dh;
          if (oh < 0 || oh >= OH) continue;
          const crow = col + <usize>ih * <usize>W * 4;
          const orow = o + <usize>oh * <usize>OW * 4;
          if (sw == 1) {
            const d = orow + (<usize>(iwLo + offW) << 2), sp = crow + (<usize>iwLo << 2);
            const n = iwHi - iwLo;
            let j = 0;
            for (; j + 4 <= n; j += 4) {
              const jb = <usize>j << 2;
              v128.store(d + jb, f32x4.add(v128.load(d + jb), v128.load(sp + jb)));
            }
            for (; j < n; j++) {
              const jb = <usize>j << 2;
              store<f32>(d + jb, load<f32>(d + jb) + load<f32>(sp + jb));
            }
          } else {
            for (let iw = iwLo; iw < iwHi; iw++) {
              const d = orow + (<usize>(iw * sw + offW) << 2);
              store<f32>(d, load<f32>(d) + load<f32>(crow + (<usize>iw << 2)));
            }
          }
        }
      }
    }
  }
}
