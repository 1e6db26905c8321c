/**
 * Winograd F(2x2, 3x3) for 3x3, stride-1, undilated, ungrouped 2-d convolutions: each 2x2 output
 * tile costs 16 multiplies per (input, output) channel pair instead of 36, as 16 GEMMs
 * [OC x IC] @ [IC x tiles]. Transforms run in float64, so results stay within float32 rounding of
 * the direct convolution.
 *   U = G g G^T,  V = B^T d B,  Y = A^T (U . V) A
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

/** Worth it when the GEMMs dominate the transforms. */
export function winogradApplies(C: number, OC: number, OH: number, OW: number): boolean {
  return C >= 8 && OC >= 8 && OH * OW >= 16;
}

// scratch buffers, grown on demand and fully overwritten by every call
let uBuf: Float64Array = new Float64Array(0), vBuf: Float64Array = new Float64Array(0), mBuf: Float64Array = new Float64Array(0);
function scratch(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(n);
}

/** U[xi][oc][ic] from the [OC, C, 3, 3] weight. */
function transformWeights(Wt: ArrayLike<number>, OC: number, C: number): Float64Array {
  const U = (uBuf = scratch(uBuf, 16 * OC * C));
  const plane = OC * C;
  for (let o = 0; o < OC; o++) {
    for (let c = 0; c < C; c++) {
      const b = (o * C + c) * 9;
      const g00 = Wt[b]!, g01 = Wt[b + 1]!, g02 = Wt[b + 2]!;
      const g10 = Wt[b + 3]!, g11 = Wt[b + 4]!, g12 = Wt[b + 5]!;
      const g20 = Wt[b + 6]!, g21 = Wt[b + 7]!, g22 = Wt[b + 8]!;
      // t = G g (4x3), rows: g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2
      const t10 = 0.5 * (g00 + g10 + g20), t11 = 0.5 * (g01 + g11 + g21), t12 = 0.5 * (g02 + g12 + g22);
      const t20 = 0.5 * (g00 - g10 + g20), t21 = 0.5 * (g01 - g11 + g21), t22 = 0.5 * (g02 - g12 + g22);
      const rows = [
        [g00, g01, g02],
        [t10, t11, t12],
        [t20, t21, t22],
        [g20, g21, g22],
      ];
      const idx = o * C + c;
      for (let i = 0; i < 4; i++) {
        const [a, m, z] = rows[i]!;
        // (t G^T) row i: a, (a+m+z)/2, (a-m+z)/2, z
        U[(i * 4) * plane + idx] = a!;
        U[(i * 4 + 1) * plane + idx] = 0.5 * (a! + m! + z!);
        U[(i * 4 + 2) * plane + idx] = 0.5 * (a! - m! + z!);
        U[(i * 4 + 3) * plane + idx] = z!;
      }
    }
  }
  return U;
}

/** out (contiguous [N, OC, OH, OW]) = conv3x3(x, w) + bias, padding (ph, pw). */
export function convWinograd(X: ArrayLike<number>, Wt: ArrayLike<number>, bias: ArrayLike<number> | null, g: WinogradGeom, out: NumArray): void {
  const { N, C, OC, H, W, OH, OW, ph, pw } = g;
  const tH = Math.ceil(OH / 2), tW = Math.ceil(OW / 2), T = tH * tW;
  const U = transformWeights(Wt, OC, C);
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
