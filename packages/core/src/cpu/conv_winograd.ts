/**
 * Winograd convolution for 3x3, stride-1, undilated, ungrouped 2-d convolutions, as
 * (m+2)^2 GEMMs [OC x IC] @ [IC x tiles] over m x m output tiles: F(4x4, 3x3) needs 36
 * multiplies per tile and channel pair instead of 144, F(2x2, 3x3) 16 instead of 36. All
 * transforms and products run in float64, so the larger constants of F(4, 3) cost no float32
 * accuracy (results stay within float32 rounding of the direct convolution).
 *   U = G g G^T,  V = B^T d B,  Y = A^T (U . V) A   (Lavin & Gray's matrices)
 */
import { gemm, type NumArray } from './gemm.js';

export interface WinogradGeom {
  N: number;
  C: number;
  OC: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  ph: number;
  pw: number;
}

/**
 * The Winograd tile size (2 or 4) that needs the least work for this layer, or 0 when the
 * im2col GEMM is cheaper. Costs in multiply-adds: the tile GEMMs (tile counts padded to the
 * microkernel's 8 columns), the weight transform (about 8 per transformed weight) and, for
 * im2col, 15% for building the columns.
 */
export function winogradTile(C: number, OC: number, OH: number, OW: number): 0 | 2 | 4 {
  if (C < 8 || OC < 8) return 0;
  const pad8 = (t: number): number => Math.ceil(t / 8) * 8;
  const cost = (m: number): number => (m + 2) * (m + 2) * OC * C * (2 * pad8(Math.ceil(OH / m) * Math.ceil(OW / m)) + 8);
  const direct = 2 * 9 * OC * C * OH * OW * 1.15;
  const c2 = cost(2), c4 = cost(4);
  if (Math.min(c2, c4) >= direct) return 0;
  return c4 <= c2 ? 4 : 2;
}

/** out (contiguous [N, OC, OH, OW]) = conv3x3(x, w) + bias, padding (ph, pw), with F(m x m, 3x3). */
export function convWinograd(m: 2 | 4, X: ArrayLike<number>, Wt: ArrayLike<number>, bias: ArrayLike<number> | null, g: WinogradGeom, out: NumArray): void {
  if (m === 4) convWinograd4(X, Wt, bias, g, out);
  else convWinograd2(X, Wt, bias, g, out);
}

// scratch buffers, grown on demand and fully overwritten by every call
let uBuf: Float64Array = new Float64Array(0), vBuf: Float64Array = new Float64Array(0), mBuf: Float64Array = new Float64Array(0);
function scratch(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(n);
}

/** U[xi][oc][ic] (xi = 6 * row + col) from the [OC, C, 3, 3] weight. */
function transformWeights(Wt: ArrayLike<number>, OC: number, C: number): Float64Array {
  const plane = OC * C;
  const U = (uBuf = scratch(uBuf, 36 * plane));
  const t = new Float64Array(18);
  // G = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6], [1/24, 1/12, 1/6], [1/24, -1/12, 1/6], [0, 0, 1]]
  for (let o = 0; o < OC; o++) {
    for (let c = 0; c < C; c++) {
      const b = (o * C + c) * 9;
      // t = G g (6x3), column by column
      for (let j = 0; j < 3; j++) {
        const g0 = Wt[b + j]!, g1 = Wt[b + 3 + j]!, g2 = Wt[b + 6 + j]!;
        const e = g0 + g2, f = g0 / 24 + g2 / 6;
        t[j] = g0 / 4;
        t[3 + j] = -(e + g1) / 6;
        t[6 + j] = -(e - g1) / 6;
        t[9 + j] = f + g1 / 12;
        t[12 + j] = f - g1 / 12;
        t[15 + j] = g2;
      }
      // U = t G^T, row by row
      let u = o * C + c;
      for (let i = 0; i < 6; i++) {
        const g0 = t[i * 3]!, g1 = t[i * 3 + 1]!, g2 = t[i * 3 + 2]!;
        const e = g0 + g2, f = g0 / 24 + g2 / 6;
        U[u] = g0 / 4;
        U[u + plane] = -(e + g1) / 6;
        U[u + 2 * plane] = -(e - g1) / 6;
        U[u + 3 * plane] = f + g1 / 12;
        U[u + 4 * plane] = f - g1 / 12;
        U[u + 5 * plane] = g2;
        u += 6 * plane;
      }
    }
  }
  return U;
}

/** F(4x4, 3x3): 36 GEMMs over 4x4 output tiles. */
function convWinograd4(X: ArrayLike<number>, Wt: ArrayLike<number>, bias: ArrayLike<number> | null, g: WinogradGeom, out: NumArray): void {
  const { N, C, OC, H, W, OH, OW, ph, pw } = g;
  const tH = Math.ceil(OH / 4), tW = Math.ceil(OW / 4), T = tH * tW;
  const U = transformWeights(Wt, OC, C);
  const ct = C * T, ot = OC * T;
  const V = (vBuf = scratch(vBuf, 36 * ct));
  const M = (mBuf = scratch(mBuf, 36 * ot));
  const d = new Float64Array(36), t = new Float64Array(36);
  for (let n = 0; n < N; n++) {
    // input tiles: V[xi][c][tile] = (B^T d B)[xi]
    for (let c = 0; c < C; c++) {
      const xb = (n * C + c) * H * W;
      for (let ty = 0; ty < tH; ty++) {
        const y0 = 4 * ty - ph;
        for (let tx = 0; tx < tW; tx++) {
          const x0 = 4 * tx - pw;
          if (y0 >= 0 && y0 + 6 <= H && x0 >= 0 && x0 + 6 <= W) {
            for (let i = 0; i < 6; i++) {
              const row = xb + (y0 + i) * W + x0;
              for (let j = 0; j < 6; j++) d[i * 6 + j] = X[row + j]!;
            }
          } else {
            for (let i = 0; i < 6; i++) {
              const y = y0 + i, row = xb + y * W;
              for (let j = 0; j < 6; j++) {
                const x = x0 + j;
                d[i * 6 + j] = y >= 0 && y < H && x >= 0 && x < W ? X[row + x]! : 0;
              }
            }
          }
          // t = B^T d, column by column
          for (let j = 0; j < 6; j++) {
            const d0 = d[j]!, d1 = d[6 + j]!, d2 = d[12 + j]!, d3 = d[18 + j]!, d4 = d[24 + j]!, d5 = d[30 + j]!;
            const p = d4 - 4 * d2, q = d3 - 4 * d1, r = d4 - d2, s = 2 * (d3 - d1);
            t[j] = 4 * d0 - 5 * d2 + d4;
            t[6 + j] = p + q;
            t[12 + j] = p - q;
            t[18 + j] = r + s;
            t[24 + j] = r - s;
            t[30 + j] = 4 * d1 - 5 * d3 + d5;
          }
          // V = t B, row by row
          const o = c * T + ty * tW + tx;
          for (let i = 0; i < 6; i++) {
            const b = i * 6;
            const d0 = t[b]!, d1 = t[b + 1]!, d2 = t[b + 2]!, d3 = t[b + 3]!, d4 = t[b + 4]!, d5 = t[b + 5]!;
            const p = d4 - 4 * d2, q = d3 - 4 * d1, r = d4 - d2, s = 2 * (d3 - d1);
            const v = b * ct + o;
            V[v] = 4 * d0 - 5 * d2 + d4;
            V[v + ct] = p + q;
            V[v + 2 * ct] = p - q;
            V[v + 3 * ct] = r + s;
            V[v + 4 * ct] = r - s;
            V[v + 5 * ct] = 4 * d1 - 5 * d3 + d5;
          }
        }
      }
    }
    for (let xi = 0; xi < 36; xi++) {
      gemm(OC, T, C, { data: U, off: xi * OC * C, rs: C, cs: 1 }, { data: V, off: xi * ct, rs: T, cs: 1 }, M, xi * ot, T);
    }
    // output tiles: Y = A^T m A
    for (let oc = 0; oc < OC; oc++) {
      const bv = bias ? bias[oc]! : 0;
      const ob = (n * OC + oc) * OH * OW;
      for (let ty = 0; ty < tH; ty++) {
        for (let tx = 0; tx < tW; tx++) {
          const o = oc * T + ty * tW + tx;
          // s = A^T m (4x6), column by column
          for (let j = 0; j < 6; j++) {
            const m0 = M[j * ot + o]!, m1 = M[(6 + j) * ot + o]!, m2 = M[(12 + j) * ot + o]!;
            const m3 = M[(18 + j) * ot + o]!, m4 = M[(24 + j) * ot + o]!, m5 = M[(30 + j) * ot + o]!;
            const a = m1 + m2, b = m1 - m2, c2 = m3 + m4, e = m3 - m4;
            t[j] = m0 + a + c2;
            t[6 + j] = b + 2 * e;
            t[12 + j] = a + 4 * c2;
            t[18 + j] = b + 8 * e + m5;
          }
          const y0 = 4 * ty, x0 = 4 * tx;
          for (let i = 0; i < 4; i++) {
            const y = y0 + i;
            if (y >= OH) break;
            const r = i * 6;
            const m0 = t[r]!, m1 = t[r + 1]!, m2 = t[r + 2]!, m3 = t[r + 3]!, m4 = t[r + 4]!, m5 = t[r + 5]!;
            const a = m1 + m2, b = m1 - m2, c2 = m3 + m4, e = m3 - m4;
            const p = ob + y * OW + x0;
            const lim = OW - x0;
            out[p] = bv + m0 + a + c2;
            if (lim > 1) out[p + 1] = bv + b + 2 * e;
            if (lim > 2) out[p + 2] = bv + a + 4 * c2;
            if (lim > 3) out[p + 3] = bv + b + 8 * e + m5;
          }
        }
      }
    }
  }
}

/** F(2x2, 3x3): U[xi][oc][ic] (xi = 4 * row + col) from the [OC, C, 3, 3] weight; G = [[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]]. */
function transformWeights2(Wt: ArrayLike<number>, OC: number, C: number): Float64Array {
  const plane = OC * C;
  const U = (uBuf = scratch(uBuf, 16 * plane));
  const t = new Float64Array(12);
  for (let o = 0; o < OC; o++) {
    for (let c = 0; c < C; c++) {
      const b = (o * C + c) * 9;
      // t = G g (4x3), column by column
      for (let j = 0; j < 3; j++) {
        const g0 = Wt[b + j]!, g1 = Wt[b + 3 + j]!, g2 = Wt[b + 6 + j]!;
        t[j] = g0;
        t[3 + j] = 0.5 * (g0 + g1 + g2);
        t[6 + j] = 0.5 * (g0 - g1 + g2);
        t[9 + j] = g2;
      }
      // U = t G^T, row by row
      let u = o * C + c;
      for (let i = 0; i < 4; i++) {
        const g0 = t[i * 3]!, g1 = t[i * 3 + 1]!, g2 = t[i * 3 + 2]!;
        U[u] = g0;
        U[u + plane] = 0.5 * (g0 + g1 + g2);
        U[u + 2 * plane] = 0.5 * (g0 - g1 + g2);
        U[u + 3 * plane] = g2;
        u += 4 * plane;
      }
    }
  }
  return U;
}

/** F(2x2, 3x3): 16 GEMMs over 2x2 output tiles (small images, where 4x4 tiles would be mostly padding). */
function convWinograd2(X: ArrayLike<number>, Wt: ArrayLike<number>, bias: ArrayLike<number> | null, g: WinogradGeom, out: NumArray): void {
  const { N, C, OC, H, W, OH, OW, ph, pw } = g;
  const tH = Math.ceil(OH / 2), tW = Math.ceil(OW / 2), T = tH * tW;
  const U = transformWeights2(Wt, OC, C);
  const V = (vBuf = scratch(vBuf, 16 * C * T));
  const M = (mBuf = scratch(mBuf, 16 * OC * T));
  const ct = C * T, ot = OC * T;
  const d = new Float64Array(16);
  for (let n = 0; n < N; n++) {
    // input tiles: V[xi][c][t] = (B^T d B)[xi]
    for (let c = 0; c < C; c++) {
      const xb = (n * C + c) * H * W;
      for (let ty = 0; ty < tH; ty++) {
        const y0 = 2 * ty - ph;
        for (let tx = 0; tx < tW; tx++) {
          const x0 = 2 * tx - pw;
          const inside = y0 >= 0 && y0 + 4 <= H && x0 >= 0 && x0 + 4 <= W;
          for (let i = 0; i < 4; i++) {
            const y = y0 + i;
            const row = xb + y * W;
            for (let j = 0; j < 4; j++) {
              const x = x0 + j;
              d[i * 4 + j] = inside || (y >= 0 && y < H && x >= 0 && x < W) ? X[row + x]! : 0;
            }
          }
          // B^T d: rows r0 = d0 - d2, r1 = d1 + d2, r2 = d2 - d1, r3 = d1 - d3
          const r00 = d[0]! - d[8]!, r01 = d[1]! - d[9]!, r02 = d[2]! - d[10]!, r03 = d[3]! - d[11]!;
          const r10 = d[4]! + d[8]!, r11 = d[5]! + d[9]!, r12 = d[6]! + d[10]!, r13 = d[7]! + d[11]!;
          const r20 = d[8]! - d[4]!, r21 = d[9]! - d[5]!, r22 = d[10]! - d[6]!, r23 = d[11]! - d[7]!;
          const r30 = d[4]! - d[12]!, r31 = d[5]! - d[13]!, r32 = d[6]! - d[14]!, r33 = d[7]! - d[15]!;
          const o = c * T + ty * tW + tx;
          // (B^T d) B: columns the same way
          V[o] = r00 - r02; V[ct + o] = r01 + r02; V[2 * ct + o] = r02 - r01; V[3 * ct + o] = r01 - r03;
          V[4 * ct + o] = r10 - r12; V[5 * ct + o] = r11 + r12; V[6 * ct + o] = r12 - r11; V[7 * ct + o] = r11 - r13;
          V[8 * ct + o] = r20 - r22; V[9 * ct + o] = r21 + r22; V[10 * ct + o] = r22 - r21; V[11 * ct + o] = r21 - r23;
          V[12 * ct + o] = r30 - r32; V[13 * ct + o] = r31 + r32; V[14 * ct + o] = r32 - r31; V[15 * ct + o] = r31 - r33;
        }
      }
    }
    for (let xi = 0; xi < 16; xi++) {
      gemm(OC, T, C, { data: U, off: xi * OC * C, rs: C, cs: 1 }, { data: V, off: xi * ct, rs: T, cs: 1 }, M, xi * ot, T);
    }
    // output tiles: Y = A^T m A, A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]
    for (let oc = 0; oc < OC; oc++) {
      const b = bias ? bias[oc]! : 0;
      const ob = (n * OC + oc) * OH * OW;
      for (let ty = 0; ty < tH; ty++) {
        for (let tx = 0; tx < tW; tx++) {
          const o = oc * T + ty * tW + tx;
          const m0 = M[o]!, m1 = M[ot + o]!, m2 = M[2 * ot + o]!, m3 = M[3 * ot + o]!;
          const m4 = M[4 * ot + o]!, m5 = M[5 * ot + o]!, m6 = M[6 * ot + o]!, m7 = M[7 * ot + o]!;
          const m8 = M[8 * ot + o]!, m9 = M[9 * ot + o]!, m10 = M[10 * ot + o]!, m11 = M[11 * ot + o]!;
          const m12 = M[12 * ot + o]!, m13 = M[13 * ot + o]!, m14 = M[14 * ot + o]!, m15 = M[15 * ot + o]!;
          // A^T m: s0 = m_row0 + m_row1 + m_row2, s1 = m_row1 - m_row2 - m_row3
          const s00 = m0 + m4 + m8, s01 = m1 + m5 + m9, s02 = m2 + m6 + m10, s03 = m3 + m7 + m11;
          const s10 = m4 - m8 - m12, s11 = m5 - m9 - m13, s12 = m6 - m10 - m14, s13 = m7 - m11 - m15;
          const y = 2 * ty, x = 2 * tx;
          const p = ob + y * OW + x;
          out[p] = b + s00 + s01 + s02;
          if (x + 1 < OW) out[p + 1] = b + s01 - s02 - s03;
          if (y + 1 < OH) {
            out[p + OW] = b + s10 + s11 + s12;
            if (x + 1 < OW) out[p + OW + 1] = b + s11 - s12 - s13;
          }
        }
      }
    }
  }
}
