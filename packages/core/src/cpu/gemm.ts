/**
 * A cache-blocked, register-tiled GEMM in plain TypeScript:
 *   C[i, j] = alpha * sum_p A[i, p] * B[p, j]  (+ C[i, j] when `accumulate`)
 * for strided A and B of any CPU storage array type and a row-major C (row stride `ldc`).
 *
 * Layout (GotoBLAS style): B is packed per (KC x NC) block into NR-wide column panels, A per
 * (MC x KC) block into MR-high row panels, both as float64 (exact for every CPU dtype, and one
 * monomorphic microkernel); the 4x8 microkernel keeps its 32 accumulators in locals. Products
 * accumulate in float64 and round once per KC block when C is float32. Small problems skip the
 * packing. B can come from a custom packer (convolution packs im2col columns straight into panels).
 */
import type { StorageArray } from '../dtype.js';

export const MR = 4;
export const NR = 8;
const KC = 256;
const MC = 64;
const NC = 2048;

/** Any numeric source array (CPU storages, scratch buffers). */
export type NumArray = StorageArray | Float64Array | Float32Array;

/** A strided matrix view: element (r, c) is data[off + r * rs + c * cs]. */
export interface Mat {
  data: ArrayLike<number>;
  off: number;
  rs: number;
  cs: number;
}

/**
 * Fills `dst` with rows [p0, p0 + kc) and columns [j0, j0 + nc) of B as NR-wide panels:
 * dst[(jj / NR) * kc * NR + p * NR + (jj % NR)] = B[p0 + p, j0 + jj], zero past column nc.
 */
export type PackB = (dst: Float64Array, p0: number, kc: number, j0: number, nc: number) => void;

let aBuf = new Float64Array(MC * KC);
let bBuf = new Float64Array(KC * NR * 64);
const tile = new Float64Array(MR * NR);

function ensureB(n: number): Float64Array {
  if (bBuf.length < n) bBuf = new Float64Array(Math.max(n, bBuf.length * 2));
  return bBuf;
}

/** The strided-matrix B packer. */
export function packBFromMat(b: Mat): PackB {
  return (dst, p0, kc, j0, nc) => {
    const src = b.data, rs = b.rs, cs = b.cs;
    let o = 0;
    for (let jj = 0; jj < nc; jj += NR) {
      const nr = Math.min(NR, nc - jj);
      let row = b.off + p0 * rs + (j0 + jj) * cs;
      if (nr === NR && cs === 1) {
        for (let p = 0; p < kc; p++) {
          dst[o] = src[row]!; dst[o + 1] = src[row + 1]!; dst[o + 2] = src[row + 2]!; dst[o + 3] = src[row + 3]!;
          dst[o + 4] = src[row + 4]!; dst[o + 5] = src[row + 5]!; dst[o + 6] = src[row + 6]!; dst[o + 7] = src[row + 7]!;
          row += rs;
          o += NR;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          let j = 0;
          for (; j < nr; j++) dst[o + j] = src[row + j * cs]!;
          for (; j < NR; j++) dst[o + j] = 0;
          row += rs;
          o += NR;
        }
      }
    }
  };
}

function packA(a: Mat, dst: Float64Array, i0: number, mc: number, p0: number, kc: number): void {
  const src = a.data, rs = a.rs, cs = a.cs;
  let o = 0;
  for (let ii = 0; ii < mc; ii += MR) {
    const mr = Math.min(MR, mc - ii);
    const base = a.off + (i0 + ii) * rs + p0 * cs;
    if (mr === MR) {
      let q = base;
      for (let p = 0; p < kc; p++) {
        dst[o] = src[q]!; dst[o + 1] = src[q + rs]!; dst[o + 2] = src[q + 2 * rs]!; dst[o + 3] = src[q + 3 * rs]!;
        q += cs;
        o += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const q = base + p * cs;
        let i = 0;
        for (; i < mr; i++) dst[o + i] = src[q + i * rs]!;
        for (; i < MR; i++) dst[o + i] = 0;
        o += MR;
      }
    }
  }
}

// The 4x8 microkernel: t = A panel (MR x kc) * B panel (kc x NR), accumulated in float64 locals.
function micro(kc: number, ap: Float64Array, pa: number, bp: Float64Array, pb: number, t: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  // (the pointer increments sit in the body: V8 optimizes this loop ~25% worse with them in the for header)
  for (let p = 0; p < kc; p++) {
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!, b4 = bp[pb + 4]!, b5 = bp[pb + 5]!, b6 = bp[pb + 6]!, b7 = bp[pb + 7]!;
    let a = ap[pa]!;
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3; c04 += a * b4; c05 += a * b5; c06 += a * b6; c07 += a * b7;
    a = ap[pa + 1]!;
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3; c14 += a * b4; c15 += a * b5; c16 += a * b6; c17 += a * b7;
    a = ap[pa + 2]!;
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3; c24 += a * b4; c25 += a * b5; c26 += a * b6; c27 += a * b7;
    a = ap[pa + 3]!;
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3; c34 += a * b4; c35 += a * b5; c36 += a * b6; c37 += a * b7;
    pa += 4;
    pb += 8;
  }
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c04; t[5] = c05; t[6] = c06; t[7] = c07;
  t[8] = c10; t[9] = c11; t[10] = c12; t[11] = c13; t[12] = c14; t[13] = c15; t[14] = c16; t[15] = c17;
  t[16] = c20; t[17] = c21; t[18] = c22; t[19] = c23; t[20] = c24; t[21] = c25; t[22] = c26; t[23] = c27;
  t[24] = c30; t[25] = c31; t[26] = c32; t[27] = c33; t[28] = c34; t[29] = c35; t[30] = c36; t[31] = c37;
}

function storeTile(c: NumArray, o: number, ldc: number, mr: number, nr: number, alpha: number, first: boolean): void {
  for (let i = 0; i < mr; i++) {
    const t0 = i * NR, r = o + i * ldc;
    if (first) for (let j = 0; j < nr; j++) c[r + j] = alpha * tile[t0 + j]!;
    else for (let j = 0; j < nr; j++) c[r + j] += alpha * tile[t0 + j]!;
  }
}

let rowBuf = new Float64Array(256);

/** Unpacked loops for small or vector-shaped problems, where packing costs more than it saves. */
function gemmSmall(m: number, n: number, k: number, a: Mat, b: Mat, c: NumArray, cOff: number, ldc: number, alpha: number, accumulate: boolean): void {
  const A = a.data, B = b.data;
  const ars = a.rs, acs = a.cs, brs = b.rs, bcs = b.cs;
  if (bcs !== 1 && brs === 1) {
    // B's columns are contiguous: one dot product per output element
    for (let i = 0; i < m; i++) {
      const ai = a.off + i * ars, ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bj = b.off + j * bcs;
        for (let p = 0; p < k; p++) s += A[ai + p * acs]! * B[bj + p * brs]!;
        c[ci + j] = accumulate ? c[ci + j]! + alpha * s : alpha * s;
      }
    }
    return;
  }
  if (rowBuf.length < n) rowBuf = new Float64Array(n);
  const acc = rowBuf;
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    const ai = a.off + i * ars;
    for (let p = 0; p < k; p++) {
      const av = A[ai + p * acs]!, pb = b.off + p * brs;
      if (bcs === 1) for (let j = 0; j < n; j++) acc[j] += av * B[pb + j]!;
      else for (let j = 0; j < n; j++) acc[j] += av * B[pb + j * bcs]!;
    }
    const ci = cOff + i * ldc;
    if (accumulate) for (let j = 0; j < n; j++) c[ci + j] += alpha * acc[j]!;
    else for (let j = 0; j < n; j++) c[ci + j] = alpha * acc[j]!;
  }
}

/**
 * C[cOff + i * ldc + j] = alpha * (A @ B)[i, j], plus the old C value when `accumulate`.
 * A is m x k, B is k x n (a strided matrix, or a packer for B blocks).
 */
export function gemm(m: number, n: number, k: number, a: Mat, b: Mat | PackB, c: NumArray, cOff: number, ldc: number, alpha = 1, accumulate = false): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  if (typeof b !== 'function' && (m * n * k <= 8192 || n === 1 || m === 1)) {
    gemmSmall(m, n, k, a, b, c, cOff, ldc, alpha, accumulate);
    return;
  }
  const pack = typeof b === 'function' ? b : packBFromMat(b);
  const ncMax = Math.min(NC, n);
  const bp = ensureB(KC * Math.ceil(ncMax / NR) * NR);
  const ap = aBuf;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      pack(bp, pc, kc, jc, nc);
      const first = pc === 0 && !accumulate;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, ap, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            micro(kc, ap, ir * kc, bp, jr * kc, tile);
            storeTile(c, cOff + (ic + ir) * ldc + jc + jr, ldc, Math.min(MR, mc - ir), nr, alpha, first);
          }
        }
      }
    }
  }
}

/** A strided 2-D view of a tensor-like (shape/strides/offset) as a matrix. */
export function matOf(t: { hostArray: ArrayLike<number>; offset: number; strides: readonly number[] }, rowDim: number, colDim: number): Mat {
  return { data: t.hostArray, off: t.offset, rs: t.strides[rowDim]!, cs: t.strides[colDim]! };
}
