// Single-precision GEMM with fused epilogues:  C = A @ B (+ C) (+ bias) (+ residual), clamped.
//
// A is packed in MR-row panels: panel p holds, for every k, the MR values A[p*MR + r, k]
// (rows past M are zero); weights are packed once and kept. B is never copied when it does not
// have to be: element (k, j) of B is at `B + offs[k] + pix[j]` (byte offsets). A row-major
// matrix has offs[k] = k * ldb * 4 and pix[j] = j * 4; a convolution reads its (padded,
// stride-phase-split) input with offs[k] per (channel, kernel tap) and pix[j] per output pixel,
// which is im2col without the column matrix. Where a tile's 8 pixels are consecutive the
// microkernel reads B in place; otherwise the tile is gathered into a KC x 8 panel first.
//
// The microkernel keeps an MR x 8 tile of C in 2*MR f32x4 registers over a block of KC values
// of k, then applies the epilogue (accumulate, bias per row or column, residual, clamp) while
// the tile is still in registers.

import { vfma, MR, NR, KC, clampv, clampf, argi, argp, argf } from './common';
import { F_ACCUM, F_SCALE, G_ALPHA, F_BIAS_COL, F_BIAS_ROW, F_CLAMP, F_RES, G_A, G_B, G_BPACKED, G_C, G_CBIAS, G_HI, G_K, G_LDC, G_LDR, G_LIN, G_LO, G_M, G_MODE, G_N, G_NPG, G_OFFS, G_PIX, G_PPC, G_RBIAS, G_RES, G_TPC } from './abi';

/**
 * 6 x 8 tile (fused multiply-add build): d[r * ldd + j] = sum_k a[k * 6 + r] * (b + offs[k])[j].
 * `a`: the panel at the block's first k. The epilogue runs in a separate function: with it in
 * the same function V8 keeps fewer accumulators in registers and the loop runs at half speed.
 */
export function micro6(a: usize, b: usize, offs: usize, kc: i32, d: usize, ldd: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const end = a + <usize>kc * 24;
  while (a < end) {
    const bq = b + <usize>load<u32>(offs);
    const b0 = v128.load(bq);
    const b1 = v128.load(bq, 16);
    let x = v128.load32_splat(a);
    c00 = vfma(c00, x, b0); c01 = vfma(c01, x, b1);
    x = v128.load32_splat(a, 4);
    c10 = vfma(c10, x, b0); c11 = vfma(c11, x, b1);
    x = v128.load32_splat(a, 8);
    c20 = vfma(c20, x, b0); c21 = vfma(c21, x, b1);
    x = v128.load32_splat(a, 12);
    c30 = vfma(c30, x, b0); c31 = vfma(c31, x, b1);
    x = v128.load32_splat(a, 16);
    c40 = vfma(c40, x, b0); c41 = vfma(c41, x, b1);
    x = v128.load32_splat(a, 20);
    c50 = vfma(c50, x, b0); c51 = vfma(c51, x, b1);
    a += 24;
    offs += 4;
  }
  v128.store(d, c00); v128.store(d, c01, 16);
  v128.store(d + 1 * ldd, c10); v128.store(d + 1 * ldd, c11, 16);
  v128.store(d + 2 * ldd, c20); v128.store(d + 2 * ldd, c21, 16);
  v128.store(d + 3 * ldd, c30); v128.store(d + 3 * ldd, c31, 16);
  v128.store(d + 4 * ldd, c40); v128.store(d + 4 * ldd, c41, 16);
  v128.store(d + 5 * ldd, c50); v128.store(d + 5 * ldd, c51, 16);
}

/** 4 x 8 tile (plain SIMD build): A's 4 values load as one vector and are broadcast by shuffles. */
export function micro4(a: usize, b: usize, offs: usize, kc: i32, d: usize, ldd: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = a + <usize>kc * 16;
  while (a < end) {
    const bq = b + <usize>load<u32>(offs);
    const b0 = v128.load(bq);
    const b1 = v128.load(bq, 16);
    const av = v128.load(a);
    let x = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = vfma(c00, x, b0); c01 = vfma(c01, x, b1);
    x = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = vfma(c10, x, b0); c11 = vfma(c11, x, b1);
    x = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = vfma(c20, x, b0); c21 = vfma(c21, x, b1);
    x = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = vfma(c30, x, b0); c31 = vfma(c31, x, b1);
    a += 16;
    offs += 4;
  }
  v128.store(d, c00); v128.store(d, c01, 16);
  v128.store(d + 1 * ldd, c10); v128.store(d + 1 * ldd, c11, 16);
  v128.store(d + 2 * ldd, c20); v128.store(d + 2 * ldd, c21, 16);
  v128.store(d + 3 * ldd, c30); v128.store(d + 3 * ldd, c31, 16);
}

/**
 * One row of a tile (d[j] = sum_k a[k * MR] * B row k), for products with fewer rows than the
 * microkernel (M = 1 matrix-vector work such as a recurrent step): no multiply-adds wasted on
 * padding rows. Two accumulator pairs over alternate k keep two chains per column half in flight.
 */
export function microRow(a: usize, b: usize, offs: usize, kc: i32, d: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), e0 = f32x4.splat(0), e1 = f32x4.splat(0);
  const step = <usize>(MR * 4);
  let k = 0;
  for (; k + 2 <= kc; k += 2) {
    const q0 = b + <usize>load<u32>(offs), q1 = b + <usize>load<u32>(offs, 4);
    const x0 = v128.load32_splat(a), x1 = v128.load32_splat(a + step);
    c0 = vfma(c0, x0, v128.load(q0));
    c1 = vfma(c1, x0, v128.load(q0, 16));
    e0 = vfma(e0, x1, v128.load(q1));
    e1 = vfma(e1, x1, v128.load(q1, 16));
    a += 2 * step;
    offs += 8;
  }
  if (k < kc) {
    const q0 = b + <usize>load<u32>(offs);
    const x0 = v128.load32_splat(a);
    c0 = vfma(c0, x0, v128.load(q0));
    c1 = vfma(c1, x0, v128.load(q0, 16));
  }
  v128.store(d, f32x4.add(c0, e0));
  v128.store(d, f32x4.add(c1, e1), 16);
}

/** The first `mr` rows of a tile into d (row stride 32 bytes): row by row when few rows are live. */
@inline function microRows(mr: i32, a: usize, b: usize, offs: usize, kc: i32, d: usize): void {
  if (mr * 3 <= MR) {
    for (let r = 0; r < mr; r++) microRow(a + (<usize>r << 2), b, offs, kc, d + <usize>(r * 32));
  } else micro(a, b, offs, kc, d, 32);
}

@inline function micro(a: usize, b: usize, offs: usize, kc: i32, d: usize, ldd: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) micro6(a, b, offs, kc, d, ldd);
  else micro4(a, b, offs, kc, d, ldd);
}

/**
 * C tile (mr x nr at c) = epilogue(t + C when accumulating): t is a raw MR x 8 tile (row stride
 * 32 bytes); bias by row (rb) or column (cb), residual (res, row stride ldr), clamp.
 */
function epilogue(t: usize, c: usize, ldc: usize, mr: i32, nr: i32, mode: i32, rb: usize, cb: usize, res: usize, ldr: usize, lo: f32, hi: f32, alpha: f32): void {
  if (nr == 8) {
    const lov = f32x4.splat(lo), hiv = f32x4.splat(hi), av = f32x4.splat(alpha);
    let cb0 = f32x4.splat(0), cb1 = f32x4.splat(0);
    if (mode & F_BIAS_COL) {
      cb0 = v128.load(cb);
      cb1 = v128.load(cb, 16);
    }
    for (let r = 0; r < mr; r++) {
      let v0 = v128.load(t), v1 = v128.load(t, 16);
      if (mode & F_ACCUM) {
        v0 = f32x4.add(v0, v128.load(c));
        v1 = f32x4.add(v1, v128.load(c, 16));
      }
      if (mode & F_SCALE) {
        v0 = f32x4.mul(v0, av);
        v1 = f32x4.mul(v1, av);
      }
      if (mode & F_BIAS_ROW) {
        const sb = v128.load32_splat(rb + (<usize>r << 2));
        v0 = f32x4.add(v0, sb);
        v1 = f32x4.add(v1, sb);
      }
      if (mode & F_BIAS_COL) {
        v0 = f32x4.add(v0, cb0);
        v1 = f32x4.add(v1, cb1);
      }
      if (mode & F_RES) {
        v0 = f32x4.add(v0, v128.load(res));
        v1 = f32x4.add(v1, v128.load(res, 16));
      }
      if (mode & F_CLAMP) {
        v0 = clampv(v0, lov, hiv);
        v1 = clampv(v1, lov, hiv);
      }
      v128.store(c, v0);
      v128.store(c, v1, 16);
      t += 32;
      c += ldc;
      res += ldr;
    }
    return;
  }
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      const jb = <usize>j << 2;
      let v = load<f32>(t + jb);
      if (mode & F_ACCUM) v += load<f32>(c + jb);
      if (mode & F_SCALE) v *= alpha;
      if (mode & F_BIAS_ROW) v += load<f32>(rb + (<usize>r << 2));
      if (mode & F_BIAS_COL) v += load<f32>(cb + jb);
      if (mode & F_RES) v += load<f32>(res + jb);
      if (mode & F_CLAMP) v = clampf(v, lo, hi);
      store<f32>(c + jb, v);
    }
    t += 32;
    c += ldc;
    res += ldr;
  }
}

/**
 * The epilogue applied in place to an 8-column strip of C, rows [i0, i1) (after every row panel
 * of the strip has stored its raw sums): one call per strip instead of one per tile, and no trip
 * through the scratch tile.
 */
function stripEpilogue(c: usize, ldc: usize, i0: i32, i1: i32, nr: i32, mode: i32, rb: usize, cb: usize, res: usize, ldr: usize, lo: f32, hi: f32, alpha: f32): void {
  c += <usize>i0 * ldc;
  res += <usize>i0 * ldr;
  if (nr == 8) {
    const lov = f32x4.splat(lo), hiv = f32x4.splat(hi), av = f32x4.splat(alpha);
    let cb0 = f32x4.splat(0), cb1 = f32x4.splat(0);
    if (mode & F_BIAS_COL) {
      cb0 = v128.load(cb);
      cb1 = v128.load(cb, 16);
    }
    for (let i = i0; i < i1; i++) {
      let v0 = v128.load(c), v1 = v128.load(c, 16);
      if (mode & F_SCALE) {
        v0 = f32x4.mul(v0, av);
        v1 = f32x4.mul(v1, av);
      }
      if (mode & F_BIAS_ROW) {
        const sb = v128.load32_splat(rb + (<usize>i << 2));
        v0 = f32x4.add(v0, sb);
        v1 = f32x4.add(v1, sb);
      }
      if (mode & F_BIAS_COL) {
        v0 = f32x4.add(v0, cb0);
        v1 = f32x4.add(v1, cb1);
      }
      if (mode & F_RES) {
        v0 = f32x4.add(v0, v128.load(res));
        v1 = f32x4.add(v1, v128.load(res, 16));
      }
      if (mode & F_CLAMP) {
        v0 = clampv(v0, lov, hiv);
        v1 = clampv(v1, lov, hiv);
      }
      v128.store(c, v0);
      v128.store(c, v1, 16);
      c += ldc;
      res += ldr;
    }
    return;
  }
  for (let i = i0; i < i1; i++) {
    for (let j = 0; j < nr; j++) {
      const jb = <usize>j << 2;
      let v = load<f32>(c + jb);
      if (mode & F_SCALE) v *= alpha;
      if (mode & F_BIAS_ROW) v += load<f32>(rb + (<usize>i << 2));
      if (mode & F_BIAS_COL) v += load<f32>(cb + jb);
      if (mode & F_RES) v += load<f32>(res + jb);
      if (mode & F_CLAMP) v = clampf(v, lo, hi);
      store<f32>(c + jb, v);
    }
    c += ldc;
    res += ldr;
  }
}

/** Gathers B rows [0, kc) of a tile into a kc x 8 panel: dst[k*8 + j] = B[offs[k] + pix[j]], 0 past nr. */
function gatherTile(dst: usize, b: usize, offs: usize, kc: i32, pix: usize, nr: i32): void {
  if (nr == 8) {
    const p0 = <usize>load<u32>(pix), p1 = <usize>load<u32>(pix, 4), p2 = <usize>load<u32>(pix, 8), p3 = <usize>load<u32>(pix, 12);
    const p4 = <usize>load<u32>(pix, 16), p5 = <usize>load<u32>(pix, 20), p6 = <usize>load<u32>(pix, 24), p7 = <usize>load<u32>(pix, 28);
    for (let k = 0; k < kc; k++) {
      const q = b + <usize>load<u32>(offs + (<usize>k << 2));
      let v = f32x4.splat(load<f32>(q + p0));
      v = f32x4.replace_lane(v, 1, load<f32>(q + p1));
      v = f32x4.replace_lane(v, 2, load<f32>(q + p2));
      v = f32x4.replace_lane(v, 3, load<f32>(q + p3));
      let w = f32x4.splat(load<f32>(q + p4));
      w = f32x4.replace_lane(w, 1, load<f32>(q + p5));
      w = f32x4.replace_lane(w, 2, load<f32>(q + p6));
      w = f32x4.replace_lane(w, 3, load<f32>(q + p7));
      v128.store(dst, v);
      v128.store(dst, w, 16);
      dst += 32;
    }
    return;
  }
  for (let k = 0; k < kc; k++) {
    const q = b + <usize>load<u32>(offs + (<usize>k << 2));
    let j = 0;
    for (; j < nr; j++) store<f32>(dst + (<usize>j << 2), load<f32>(q + <usize>load<u32>(pix + (<usize>j << 2))));
    for (; j < 8; j++) store<f32>(dst + (<usize>j << 2), 0);
    dst += 32;
  }
}


/** One chunk of a GEMM: a range of column tiles x a range of row panels, every K block. */
export function gemmChunk(args: usize, chunk: i32, tmp: usize): void {
  const M = argi(args, G_M), N = argi(args, G_N), K = argi(args, G_K);
  const A = argp(args, G_A), B = argp(args, G_B), offs = argp(args, G_OFFS), pix = argp(args, G_PIX);
  const C = argp(args, G_C), ldc = argp(args, G_LDC);
  const mode = argi(args, G_MODE);
  const rbias = argp(args, G_RBIAS), cbias = argp(args, G_CBIAS), res = argp(args, G_RES), ldr = argp(args, G_LDR);
  const lo = argf(args, G_LO), hi = argf(args, G_HI);
  const tpc = argi(args, G_TPC), ppc = argi(args, G_PPC), npg = argi(args, G_NPG);
  const packed = argi(args, G_BPACKED), lin = argp(args, G_LIN);
  const nTiles = (N + NR - 1) / NR, nPanels = (M + MR - 1) / MR;
  const tg = chunk / npg, pg = chunk - tg * npg;
  const t0 = tg * tpc, t1 = min(nTiles, t0 + tpc);
  const p0 = pg * ppc, p1 = min(nPanels, p0 + ppc);
  const panel = tmp + <usize>(4 * (3 * MR * NR + 8) + 64) & ~(<usize>15);
  const epi = mode & (F_BIAS_ROW | F_BIAS_COL | F_RES | F_CLAMP | F_SCALE);
  const alpha = argf(args, G_ALPHA);
  const mrBytes = <usize>(MR * 4);
  // one K block with an epilogue: raw sums into C, then the epilogue per 8-column strip
  const strip = K <= KC && epi != 0 && !(mode & F_ACCUM);
  const iEnd = min(M, p1 * MR);
  for (let kb = 0; kb < K; kb += KC) {
    const kc = min(KC, K - kb);
    const kmode = (kb > 0 ? F_ACCUM : (mode & F_ACCUM)) | (kb + kc >= K ? epi : 0);
    for (let t = t0; t < t1; t++) {
      const j0 = t * NR;
      const nr = min(NR, N - j0);
      let bb: usize, bo: usize;
      if (packed) {
        bb = B + (<usize>t * <usize>K + <usize>kb) * 32;
        bo = lin;
      } else {
        const pj = pix + (<usize>j0 << 2);
        const q0 = load<u32>(pj);
        if (nr == 8 && load<u32>(pj, 28) - q0 == 28) {
          bb = B + <usize>q0;
          bo = offs + (<usize>kb << 2);
        } else {
          gatherTile(panel, B, offs + (<usize>kb << 2), kc, pj, nr);
          bb = panel;
          bo = lin;
        }
      }
      const cj = C + (<usize>j0 << 2), rj = res + (<usize>j0 << 2), cbj = cbias + (<usize>j0 << 2);
      if (strip) {
        for (let p = p0; p < p1; p++) {
          const i0 = p * MR;
          const mr = min(MR, M - i0);
          const a = A + <usize>p * <usize>K * mrBytes;
          const c = cj + <usize>i0 * ldc;
          if (mr == MR && nr == NR) micro(a, bb, bo, kc, c, ldc);
          else {
            microRows(mr, a, bb, bo, kc, tmp);
            const nb = <usize>nr << 2;
            for (let r = 0; r < mr; r++) memory.copy(c + <usize>r * ldc, tmp + <usize>(r * 32), nb);
          }
        }
        stripEpilogue(cj, ldc, p0 * MR, iEnd, nr, epi, rbias, cbj, rj, ldr, lo, hi, alpha);
        continue;
      }
      for (let p = p0; p < p1; p++) {
        const i0 = p * MR;
        const mr = min(MR, M - i0);
        const a = A + (<usize>p * <usize>K + <usize>kb) * mrBytes;
        const c = cj + <usize>i0 * ldc;
        const r = rj + <usize>i0 * ldr;
        const rb = rbias + (<usize>i0 << 2);
        if (kmode == 0 && mr == MR && nr == NR) micro(a, bb, bo, kc, c, ldc);
        else {
          microRows(mr, a, bb, bo, kc, tmp);
          epilogue(tmp, c, ldc, mr, nr, kmode, rb, cbj, r, ldr, lo, hi, alpha);
        }
      }
    }
  }
}

/**
 * Packs A (M x K, element (i, k) at src + i*rs + k*cs floats) into MR-row panels at dst
 * (ceil(M/MR) * K * MR floats, zero rows past M).
 */
export function packA(src: usize, M: i32, K: i32, rs: i32, cs: i32, dst: usize): void {
  const nP = (M + MR - 1) / MR;
  for (let p = 0; p < nP; p++) {
    const i0 = p * MR;
    const mr = min(MR, M - i0);
    let d = dst + <usize>p * <usize>K * <usize>(MR * 4);
    for (let k = 0; k < K; k++) {
      const s = src + ((<usize>i0 * <usize>rs + <usize>k * <usize>cs) << 2);
      let r = 0;
      for (; r < mr; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + ((<usize>r * <usize>rs) << 2)));
      for (; r < MR; r++) store<f32>(d + (<usize>r << 2), 0);
      d += <usize>(MR * 4);
    }
  }
}

/**
 * Packs B (K x N, element (k, j) at src + k*rs + j*cs floats) into 8-column panels of K rows at
 * dst (ceil(N/8) * K * 8 floats, zero columns past N).
 */
export function packB(src: usize, K: i32, N: i32, rs: i32, cs: i32, dst: usize): void {
  const nT = (N + NR - 1) / NR;
  for (let t = 0; t < nT; t++) {
    const j0 = t * NR;
    const nr = min(NR, N - j0);
    let d = dst + <usize>t * <usize>K * 32;
    for (let k = 0; k < K; k++) {
      const s = src + ((<usize>k * <usize>rs + <usize>j0 * <usize>cs) << 2);
      let j = 0;
      if (cs == 1 && nr == 8) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      } else {
        for (; j < nr; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + ((<usize>j * <usize>cs) << 2)));
        for (; j < 8; j++) store<f32>(d + (<usize>j << 2), 0);
      }
      d += 32;
    }
  }
}

export function gemmMR(): i32 {
  return MR;
}
export function gemmKC(): i32 {
  return KC;
}
