/**
 * Max, average and adaptive pooling over the trailing 1-3 spatial dims, following PyTorch's CPU
 * kernels: output sizes (ceil_mode), window clipping, count_include_pad / divisor_override, NaN
 * propagation and argmax indices (flat over each input plane), float-rounded adaptive bounds.
 * Inputs are `planes` contiguous (D, H, W) planes; 1-d/2-d pooling uses D = 1 (and H = 1).
 */
import type { NumArray } from './gemm.js';

/** PyTorch's pooling_output_shape (floor or ceil mode; a last window must start inside the input). */
export function poolOutputSize(input: number, kernel: number, padL: number, padR: number, stride: number, dilation: number, ceil: boolean): number {
  const num = input + padL + padR - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0);
  let out = Math.floor(num / stride) + 1;
  if (ceil && (out - 1) * stride >= input + padL) out--;
  return out;
}

export interface PoolGeom {
  planes: number;
  D: number; H: number; W: number;
  OD: number; OH: number; OW: number;
  kd: number; kh: number; kw: number;
  sd: number; sh: number; sw: number;
  pd: number; ph: number; pw: number;
  dd: number; dh: number; dw: number;
}

export function maxPool(X: ArrayLike<number>, g: PoolGeom, out: NumArray, indices: NumArray | null): void {
  const { planes, D, H, W, OD, OH, OW, kd, kh, kw, sd, sh, sw, pd, ph, pw, dd, dh, dw } = g;
  const iPlane = D * H * W;
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * iPlane;
    for (let od = 0; od < OD; od++) {
      let d0 = od * sd - pd;
      const d1 = Math.min(d0 + (kd - 1) * dd + 1, D);
      while (d0 < 0) d0 += dd;
      for (let oh = 0; oh < OH; oh++) {
        let h0 = oh * sh - ph;
        const h1 = Math.min(h0 + (kh - 1) * dh + 1, H);
        while (h0 < 0) h0 += dh;
        for (let ow = 0; ow < OW; ow++, o++) {
          let w0 = ow * sw - pw;
          const w1 = Math.min(w0 + (kw - 1) * dw + 1, W);
          while (w0 < 0) w0 += dw;
          let maxIdx = (d0 * H + h0) * W + w0;
          let maxVal = -Infinity;
          for (let id = d0; id < d1; id += dd) {
            for (let ih = h0; ih < h1; ih += dh) {
              const row = (id * H + ih) * W;
              for (let iw = w0; iw < w1; iw += dw) {
                const v = X[base + row + iw]!;
                if (v > maxVal || v !== v) {
                  maxVal = v;
                  maxIdx = row + iw;
                }
              }
            }
          }
          out[o] = maxVal;
          if (indices) indices[o] = maxIdx;
        }
      }
    }
  }
}

/** Average pooling; `intDiv` truncates like C++ integer division (int64 inputs). */
export function avgPool(X: ArrayLike<number>, g: PoolGeom, out: NumArray, countIncludePad: boolean, divisorOverride: number | null, intDiv: boolean): void {
  const { planes, D, H, W, OD, OH, OW, kd, kh, kw, sd, sh, sw, pd, ph, pw } = g;
  const iPlane = D * H * W;
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * iPlane;
    for (let od = 0; od < OD; od++) {
      let d0 = od * sd - pd;
      let d1 = Math.min(d0 + kd, D + pd);
      const dSpan = d1 - d0;
      d0 = Math.max(d0, 0);
      d1 = Math.min(d1, D);
      for (let oh = 0; oh < OH; oh++) {
        let h0 = oh * sh - ph;
        let h1 = Math.min(h0 + kh, H + ph);
        const hSpan = h1 - h0;
        h0 = Math.max(h0, 0);
        h1 = Math.min(h1, H);
        for (let ow = 0; ow < OW; ow++, o++) {
          let w0 = ow * sw - pw;
          let w1 = Math.min(w0 + kw, W + pw);
          const poolSize = dSpan * hSpan * (w1 - w0);
          w0 = Math.max(w0, 0);
          w1 = Math.min(w1, W);
          if (d0 >= d1 || h0 >= h1 || w0 >= w1) {
            out[o] = 0;
            continue;
          }
          let sum = 0;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = base + (id * H + ih) * W;
              for (let iw = w0; iw < w1; iw++) sum += X[row + iw]!;
            }
          }
          const div = divisorOverride !== null ? divisorOverride : countIncludePad ? poolSize : (d1 - d0) * (h1 - h0) * (w1 - w0);
          out[o] = intDiv ? Math.trunc(sum / div) : sum / div;
        }
      }
    }
  }
}

/** PyTorch's adaptive window bounds, computed in float32 like its CPU kernels. */
function startIndex(a: number, b: number, c: number): number {
  return Math.floor(Math.fround(Math.fround(a * c) / b));
}
function endIndex(a: number, b: number, c: number): number {
  return Math.ceil(Math.fround(Math.fround((a + 1) * c) / b));
}

export interface AdaptiveGeom {
  planes: number;
  D: number; H: number; W: number;
  OD: number; OH: number; OW: number;
}

export function adaptiveAvgPool(X: ArrayLike<number>, g: AdaptiveGeom, out: NumArray): void {
  const { planes, D, H, W, OD, OH, OW } = g;
  const iPlane = D * H * W;
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * iPlane;
    for (let od = 0; od < OD; od++) {
      const d0 = startIndex(od, OD, D), d1 = endIndex(od, OD, D);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = startIndex(oh, OH, H), h1 = endIndex(oh, OH, H);
        for (let ow = 0; ow < OW; ow++, o++) {
          const w0 = startIndex(ow, OW, W), w1 = endIndex(ow, OW, W);
          let sum = 0;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = base + (id * H + ih) * W;
              for (let iw = w0; iw < w1; iw++) sum += X[row + iw]!;
            }
          }
          out[o] = sum / ((d1 - d0) * (h1 - h0) * (w1 - w0));
        }
      }
    }
  }
}

export function adaptiveMaxPool(X: ArrayLike<number>, g: AdaptiveGeom, out: NumArray, indices: NumArray): void {
  const { planes, D, H, W, OD, OH, OW } = g;
  const iPlane = D * H * W;
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * iPlane;
    for (let od = 0; od < OD; od++) {
      const d0 = startIndex(od, OD, D), d1 = endIndex(od, OD, D);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = startIndex(oh, OH, H), h1 = endIndex(oh, OH, H);
        for (let ow = 0; ow < OW; ow++, o++) {
          const w0 = startIndex(ow, OW, W), w1 = endIndex(ow, OW, W);
          let maxIdx = (d0 * H + h0) * W + w0;
          let maxVal = -Infinity;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = (id * H + ih) * W;
              for (let iw = w0; iw < w1; iw++) {
                const v = X[base + row + iw]!;
                if (v > maxVal || v !== v) {
                  maxVal = v;
                  maxIdx = row + iw;
                }
              }
            }
          }
          out[o] = maxVal;
          indices[o] = maxIdx;
        }
      }
    }
  }
}
