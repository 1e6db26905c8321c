// Convolution and pooling helpers.
//
// `prepChunk` turns an input image (C planes of H x W) into padded, stride-phase-split planes:
// phase (py, px) holds xpad[c, y*sh + py, x*sw + px] for y < Hq, x < Wq, where xpad is the input
// with `pad` values around it. In those planes every kernel tap of a strided or dilated window
// reads consecutive values for consecutive output columns, so the GEMM (gemm.ts), the depthwise
// kernel and pooling all read their windows with plain vector loads.

import { vfma, clampv, clampf, argi, argp, argf } from './common';
import { DD_BIAS, DD_C, DD_CPC, DD_DH, DD_DW, DD_H, DD_HI, DD_KH, DD_KW, DD_LO, DD_MODE, DD_MULT, DD_OH, DD_OUT, DD_OW, DD_PH, DD_PW, DD_RES, DD_W, DD_WT, DD_X, CI_BIAS, CI_COLS, CI_CPC, CI_DH, CI_DW, CI_H, CI_KH, CI_KW, CI_OC, CI_OH, CI_OUT, CI_OW, CI_PH, CI_PW, CI_SH, CI_SW, CI_W, D_BIAS, D_CPC, D_DIVH, D_DIVW, D_HI, D_LO, D_MODE, D_MULT, D_OC, D_OH, D_OUT, D_OW, D_PLANE, D_POOL, D_RES, D_T, D_TAPS, D_W, D_WQ, D_X, F_BIAS_ROW, F_CLAMP, F_RES, P_C, P_CPC, P_H, P_HQ, P_NPH, P_OUT, P_PAD, P_PH, P_PHASES, P_PW, P_SH, P_SW, P_W, P_WQ, P_X } from './abi';


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
          } else if (sw == 2) {
            // every other value: 8 loaded, lanes 0, 2, 4, 6 kept (the last lane may read one value
            // past the row, which every buffer's 16 bytes of slack cover)
            let x = xlo;
            for (; x + 4 <= xhi; x += 4) {
              const sp = srow + (<usize>(2 * x + px - pw) << 2);
              v128.store(dst + (<usize>x << 2), i32x4.shuffle(v128.load(sp), v128.load(sp, 16), 0, 2, 4, 6));
            }
            for (; x < xhi; x++) store<f32>(dst + (<usize>x << 2), load<f32>(srow + (<usize>(2 * x + px - pw) << 2)));
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

/**
 * One channel of a 3 x 3 depthwise convolution: the nine weights stay in registers, eight
 * outputs per step (the last step overlaps the previous one when OW is not a multiple of 8).
 */
function depthwise9(xc: usize, w: usize, taps: usize, bv: v128, o: usize, r: usize, rowBytes: usize, OH: i32, OW: i32, mode: i32, lo: v128, hi: v128): void {
  const w0 = v128.load32_splat(w), w1 = v128.load32_splat(w, 4), w2 = v128.load32_splat(w, 8);
  const w3 = v128.load32_splat(w, 12), w4 = v128.load32_splat(w, 16), w5 = v128.load32_splat(w, 20);
  const w6 = v128.load32_splat(w, 24), w7 = v128.load32_splat(w, 28), w8 = v128.load32_splat(w, 32);
  const t0 = <usize>load<u32>(taps), t1 = <usize>load<u32>(taps, 4), t2 = <usize>load<u32>(taps, 8);
  const t3 = <usize>load<u32>(taps, 12), t4 = <usize>load<u32>(taps, 16), t5 = <usize>load<u32>(taps, 20);
  const t6 = <usize>load<u32>(taps, 24), t7 = <usize>load<u32>(taps, 28), t8 = <usize>load<u32>(taps, 32);
  const rowOut = <usize>OW << 2;
  for (let oh = 0; oh < OH; oh++) {
    const xr = xc + <usize>oh * rowBytes;
    const orow = o + <usize>oh * rowOut, rrow = r + <usize>oh * rowOut;
    let ow = 0;
    while (ow < OW) {
      if (ow + 8 > OW) ow = OW - 8;
      const p = xr + (<usize>ow << 2);
      let a0 = vfma(bv, w0, v128.load(p + t0)), a1 = vfma(bv, w0, v128.load(p + t0, 16));
      a0 = vfma(a0, w1, v128.load(p + t1)); a1 = vfma(a1, w1, v128.load(p + t1, 16));
      a0 = vfma(a0, w2, v128.load(p + t2)); a1 = vfma(a1, w2, v128.load(p + t2, 16));
      a0 = vfma(a0, w3, v128.load(p + t3)); a1 = vfma(a1, w3, v128.load(p + t3, 16));
      a0 = vfma(a0, w4, v128.load(p + t4)); a1 = vfma(a1, w4, v128.load(p + t4, 16));
      a0 = vfma(a0, w5, v128.load(p + t5)); a1 = vfma(a1, w5, v128.load(p + t5, 16));
      a0 = vfma(a0, w6, v128.load(p + t6)); a1 = vfma(a1, w6, v128.load(p + t6, 16));
      a0 = vfma(a0, w7, v128.load(p + t7)); a1 = vfma(a1, w7, v128.load(p + t7, 16));
      a0 = vfma(a0, w8, v128.load(p + t8)); a1 = vfma(a1, w8, v128.load(p + t8, 16));
      const ob = <usize>ow << 2;
      v128.store(orow + ob, epi(a0, mode, rrow + ob, lo, hi));
      v128.store(orow + ob + 16, epi(a1, mode, rrow + ob + 16, lo, hi));
      ow += 8;
    }
  }
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
    if (T == 9 && OW >= 8) {
      depthwise9(xc, w, taps, bv, OUT + <usize>oc * oPlane, RES + <usize>oc * oPlane, rowBytes, OH, OW, mode, lo, hi);
      continue;
    }
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

/**
 * Stride-1 depthwise convolution read straight from the unpadded input: columns whose taps are
 * all inside the row run 8 at a time, the few border columns one at a time (taps outside the
 * image contribute nothing). Rows outside the image are skipped per kernel row.
 */
export function depthwiseDirectChunk(args: usize, chunk: i32): void {
  const X = argp(args, DD_X), C = argi(args, DD_C), H = argi(args, DD_H), W = argi(args, DD_W), mult = argi(args, DD_MULT);
  const KH = argi(args, DD_KH), KW = argi(args, DD_KW), ph = argi(args, DD_PH), pw = argi(args, DD_PW), dh = argi(args, DD_DH), dw = argi(args, DD_DW);
  const Wt = argp(args, DD_WT), BIAS = argp(args, DD_BIAS), OUT = argp(args, DD_OUT), OH = argi(args, DD_OH), OW = argi(args, DD_OW);
  const RES = argp(args, DD_RES), mode = argi(args, DD_MODE), los = argf(args, DD_LO), his = argf(args, DD_HI), cpc = argi(args, DD_CPC);
  const lo = f32x4.splat(los), hi = f32x4.splat(his);
  const OC = C * mult;
  const oc0 = chunk * cpc, oc1 = min(OC, oc0 + cpc);
  const T = KH * KW;
  const iPlane = <usize>H * <usize>W * 4, oPlane = <usize>OH * <usize>OW * 4, rowIn = <usize>W << 2, rowOut = <usize>OW << 2;
  // output columns whose every tap is inside the row
  const cLo = min(OW, pw), cHi = max(cLo, min(OW, W - (KW - 1) * dw + pw));
  for (let oc = oc0; oc < oc1; oc++) {
    const xc = X + <usize>(oc / mult) * iPlane;
    const w = Wt + <usize>oc * <usize>T * 4;
    const b: f32 = (mode & F_BIAS_ROW) ? load<f32>(BIAS + (<usize>oc << 2)) : 0;
    const bv = f32x4.splat(b);
    const o = OUT + <usize>oc * oPlane, r = RES + <usize>oc * oPlane;
    for (let oh = 0; oh < OH; oh++) {
      const orow = o + <usize>oh * rowOut, rrow = r + <usize>oh * rowOut;
      // interior columns, 8 at a time (the last step overlaps when the width is not a multiple of 8)
      if (cHi - cLo >= 8 && KH == 3 && KW == 3 && dh == 1 && dw == 1) {
        // 3 x 3: the weights of rows outside the image are zero, their row pointer any valid row
        const ih0 = oh - ph;
        const v0 = ih0 >= 0 && ih0 < H, v1 = ih0 + 1 >= 0 && ih0 + 1 < H, v2 = ih0 + 2 >= 0 && ih0 + 2 < H;
        const any = v0 ? ih0 : v1 ? ih0 + 1 : ih0 + 2;
        const r0 = xc + <usize>(v0 ? ih0 : any) * rowIn, r1 = xc + <usize>(v1 ? ih0 + 1 : any) * rowIn, r2 = xc + <usize>(v2 ? ih0 + 2 : any) * rowIn;
        const z = f32x4.splat(0);
        const w0 = v0 ? v128.load32_splat(w) : z, w1 = v0 ? v128.load32_splat(w, 4) : z, w2 = v0 ? v128.load32_splat(w, 8) : z;
        const w3 = v1 ? v128.load32_splat(w, 12) : z, w4 = v1 ? v128.load32_splat(w, 16) : z, w5 = v1 ? v128.load32_splat(w, 20) : z;
        const w6 = v2 ? v128.load32_splat(w, 24) : z, w7 = v2 ? v128.load32_splat(w, 28) : z, w8 = v2 ? v128.load32_splat(w, 32) : z;
        if (v0 || v1 || v2) {
          let ow = cLo;
          while (ow < cHi) {
            if (ow + 8 > cHi) ow = cHi - 8;
            const off = <usize>(ow - pw) << 2;
            const p0 = r0 + off, p1 = r1 + off, p2 = r2 + off;
            let a0 = vfma(bv, w0, v128.load(p0)), a1 = vfma(bv, w0, v128.load(p0, 16));
            a0 = vfma(a0, w1, v128.load(p0, 4)); a1 = vfma(a1, w1, v128.load(p0, 20));
            a0 = vfma(a0, w2, v128.load(p0, 8)); a1 = vfma(a1, w2, v128.load(p0, 24));
            a0 = vfma(a0, w3, v128.load(p1)); a1 = vfma(a1, w3, v128.load(p1, 16));
            a0 = vfma(a0, w4, v128.load(p1, 4)); a1 = vfma(a1, w4, v128.load(p1, 20));
            a0 = vfma(a0, w5, v128.load(p1, 8)); a1 = vfma(a1, w5, v128.load(p1, 24));
            a0 = vfma(a0, w6, v128.load(p2)); a1 = vfma(a1, w6, v128.load(p2, 16));
            a0 = vfma(a0, w7, v128.load(p2, 4)); a1 = vfma(a1, w7, v128.load(p2, 20));
            a0 = vfma(a0, w8, v128.load(p2, 8)); a1 = vfma(a1, w8, v128.load(p2, 24));
            const ob = <usize>ow << 2;
            v128.store(orow + ob, epi(a0, mode, rrow + ob, lo, hi));
            v128.store(orow + ob + 16, epi(a1, mode, rrow + ob + 16, lo, hi));
            ow += 8;
          }
        } else {
          // no row of the window inside the image: bias only
          for (let ow = cLo; ow < cHi; ow++) {
            const ob = <usize>ow << 2;
            let sv = b;
            if (mode & F_RES) sv += load<f32>(rrow + ob);
            if (mode & F_CLAMP) sv = clampf(sv, los, his);
            store<f32>(orow + ob, sv);
          }
        }
      } else if (cHi - cLo >= 8) {
        let ow = cLo;
        while (ow < cHi) {
          if (ow + 8 > cHi) ow = cHi - 8;
          let a0 = bv, a1 = bv;
          for (let kh = 0; kh < KH; kh++) {
            const ih = oh - ph + kh * dh;
            if (ih < 0 || ih >= H) continue;
            const xr = xc + <usize>ih * rowIn + (<usize>(ow - pw) << 2);
            const wr = w + <usize>(kh * KW) * 4;
            for (let kw = 0; kw < KW; kw++) {
              const wv = v128.load32_splat(wr + (<usize>kw << 2));
              const p = xr + (<usize>(kw * dw) << 2);
              a0 = vfma(a0, wv, v128.load(p));
              a1 = vfma(a1, wv, v128.load(p, 16));
            }
          }
          const ob = <usize>ow << 2;
          v128.store(orow + ob, epi(a0, mode, rrow + ob, lo, hi));
          v128.store(orow + ob + 16, epi(a1, mode, rrow + ob + 16, lo, hi));
          ow += 8;
        }
      }
      // border columns (and narrow images), tap by tap
      for (let ow = 0; ow < OW; ow++) {
        if (cHi - cLo >= 8 && ow >= cLo && ow < cHi) {
          ow = cHi - 1;
          continue;
        }
        let s = b;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          const xr = xc + <usize>ih * rowIn;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow - pw + kw * dw;
            if (iw < 0 || iw >= W) continue;
            s += load<f32>(w + <usize>(kh * KW + kw) * 4) * load<f32>(xr + (<usize>iw << 2));
          }
        }
        const ob = <usize>ow << 2;
        if (mode & F_RES) s += load<f32>(rrow + ob);
        if (mode & F_CLAMP) s = clampf(s, los, his);
        store<f32>(orow + ob, s);
      }
    }
  }
}
