/**
 * N-d convolution (1-3 spatial dims) and transposed convolution on CPU storages.
 *
 * Forward: per (image, group) one GEMM  out[oc, pos] = W[oc, (ic, k...)] @ cols[(ic, k...), pos],
 * with the im2col columns packed straight into the GEMM's B panels (no column buffer); 1x1
 * stride-1 convolutions read the input as the B matrix directly, and depthwise convolutions
 * (one input channel per group) run a direct loop. Transposed: cols = W^T @ x, then col2im.
 * Spatial dims are handled as (D, H, W) with D = 1 (and H = 1) for 2-d (1-d) convolutions.
 */
import { convWinograd, winogradTile } from './conv_winograd.js';
import { gemm, NR, type NumArray, type PackB } from './gemm.js';

export interface ConvSpec {
  stride: number[];
  /** padding before and after each spatial dim (equal unless padding='same' with an odd total) */
  padBefore: number[];
  padAfter: number[];
  dilation: number[];
  transposed: boolean;
  outputPadding: number[];
  groups: number;
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The batched output shape of a convolution, with PyTorch's argument and shape checks
 * (check_shape_forward). `x` and `w` are shapes; `bias` the bias shape or null.
 */
export function convOutputShape(x: readonly number[], w: readonly number[], bias: readonly number[] | null, s: ConvSpec): number[] {
  const k = w.length, nd = k - 2;
  if (s.padBefore.some((p) => p < 0) || s.padAfter.some((p) => p < 0)) throw new Error('negative padding is not supported');
  if (s.outputPadding.some((p) => p < 0)) throw new Error('negative output_padding is not supported');
  if (s.stride.some((v) => v <= 0)) throw new Error('non-positive stride is not supported');
  if (s.dilation.some((v) => v <= 0)) throw new Error('non-positive dilation is not supported');
  if (x.length !== k) {
    throw new Error(`Expected ${k}-dimensional input for ${k}-dimensional weight ${fmt(w)}, but got ${x.length}-dimensional input of size ${fmt(x)} instead`);
  }
  const g = s.groups;
  if (w[0]! < g) throw new Error(`Given groups=${g}, expected weight to be at least ${g} at dimension 0, but got weight of size ${fmt(w)} instead`);
  if (w[0]! % g !== 0) throw new Error(`Given groups=${g}, expected weight to be divisible by ${g} at dimension 0, but got weight of size [${fmt(w)}] instead`);
  const out = [x[0]!];
  if (!s.transposed) {
    if (x[1] !== w[1]! * g) {
      throw new Error(`Given groups=${g}, weight of size ${fmt(w)}, expected input${fmt(x)} to have ${w[1]! * g} channels, but got ${x[1]} channels instead`);
    }
    if (bias && (bias.length !== 1 || bias[0] !== w[0])) {
      throw new Error(`Given weight of size ${fmt(w)}, expected bias to be 1-dimensional with ${w[0]} elements, but got bias of size ${fmt(bias)} instead`);
    }
    const padded: number[] = [], kern: number[] = [];
    for (let i = 0; i < nd; i++) {
      padded.push(x[i + 2]! + s.padBefore[i]! + s.padAfter[i]!);
      kern.push(s.dilation[i]! * (w[i + 2]! - 1) + 1);
    }
    if (padded.some((p, i) => p < kern[i]!)) {
      throw new Error(`Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${kern.join(' x ')}). Kernel size can't be greater than actual input size`);
    }
    out.push(w[0]!);
    for (let i = 0; i < nd; i++) out.push(Math.floor((padded[i]! - kern[i]!) / s.stride[i]!) + 1);
    return out;
  }
  if (x[1] !== w[0]) {
    throw new Error(`Given transposed=1, weight of size ${fmt(w)}, expected input${fmt(x)} to have ${w[0]} channels, but got ${x[1]} channels instead`);
  }
  if (bias && (bias.length !== 1 || bias[0] !== w[1]! * g)) {
    throw new Error(`Given transposed=1, weight of size ${fmt(w)}, expected bias to be 1-dimensional with ${w[1]! * g} elements, but got bias of size ${fmt(bias)} instead`);
  }
  const names = nd === 1 ? ['width'] : nd === 2 ? ['height', 'width'] : ['depth', 'height', 'width'];
  if (s.outputPadding.some((p, i) => p >= s.stride[i]! && p >= s.dilation[i]!)) {
    const part = (what: string, v: number[]): string => v.map((x, i) => `${what}_${names[i]}: ${x}`).join(' ');
    throw new Error(`output padding must be smaller than either stride or dilation, but got ${part('output_padding', s.outputPadding)} ${part('stride', s.stride)} ${part('dilation', s.dilation)}`);
  }
  out.push(w[1]! * g);
  const sizes: number[] = [];
  for (let i = 0; i < nd; i++) {
    sizes.push((x[i + 2]! - 1) * s.stride[i]! - s.padBefore[i]! - s.padAfter[i]! + s.dilation[i]! * (w[i + 2]! - 1) + s.outputPadding[i]! + 1);
  }
  if (sizes.some((v) => v <= 0)) {
    throw new Error(`Given input size per channel: (${x.slice(2).join(' x ')}). Calculated output size per channel: (${sizes.join(' x ')}). Output size is too small`);
  }
  return [...out, ...sizes];
}

/** (D, H, W) of the trailing spatial dims of a shape, padded with leading 1s. */
function dhw(shape: readonly number[], nd: number): [number, number, number] {
  const sp = shape.slice(shape.length - nd);
  while (sp.length < 3) sp.unshift(1);
  return sp as [number, number, number];
}
function pad3(v: readonly number[], fill: number): [number, number, number] {
  const r = [...v];
  while (r.length < 3) r.unshift(fill);
  return r as [number, number, number];
}

/** Geometry of one convolution, spatial dims as (D, H, W). */
interface Geom {
  N: number;
  C: number;
  OC: number;
  G: number;
  D: number; H: number; W: number;
  KD: number; KH: number; KW: number;
  OD: number; OH: number; OW: number;
  sd: number; sh: number; sw: number;
  pd: number; ph: number; pw: number;
  dd: number; dh: number; dw: number;
}

function geometry(xShape: readonly number[], wShape: readonly number[], oShape: readonly number[], s: ConvSpec): Geom {
  const nd = wShape.length - 2;
  const [D, H, W] = dhw(xShape, nd), [KD, KH, KW] = dhw(wShape, nd), [OD, OH, OW] = dhw(oShape, nd);
  const [sd, sh, sw] = pad3(s.stride, 1), [pd, ph, pw] = pad3(s.padBefore, 0), [dd, dh, dw] = pad3(s.dilation, 1);
  return { N: xShape[0]!, C: xShape[1]!, OC: oShape[1]!, G: s.groups, D, H, W, KD, KH, KW, OD, OH, OW, sd, sh, sw, pd, ph, pw, dd, dh, dw };
}

/**
 * The im2col packer for one (image, group): B[(ic, kd, kh, kw), (od, oh, ow)] of the input
 * planes starting at `xOff` (C contiguous planes of D*H*W values).
 */
function im2colPacker(X: ArrayLike<number>, xOff: number, g: Geom): PackB {
  const { D, H, W, KD, KH, KW, OH, OW, sd, sh, sw, pd, ph, pw, dd, dh, dw } = g;
  const plane = D * H * W, kk = KD * KH * KW;
  // per kernel column kw: the output columns [owLo, owHi) whose input column is inside the image
  const owLo = new Int32Array(KW), owHi = new Int32Array(KW);
  for (let kw = 0; kw < KW; kw++) {
    const off = kw * dw - pw;
    owLo[kw] = Math.min(OW, Math.max(0, Math.ceil(-off / sw)));
    owHi[kw] = Math.max(owLo[kw]!, Math.min(OW, Math.floor((W - 1 - off) / sw) + 1));
  }
  let dOff = new Int32Array(0);
  let segs = new Int32Array(0);
  let nSeg = 0, segJ0 = -1, segNc = -1, segKc = -1;
  return (dst, p0, kc, j0, nc) => {
    const width = Math.ceil(nc / NR) * NR;
    if (j0 !== segJ0 || nc !== segNc || kc !== segKc) {
      // where column j of the block goes in the panel layout, and the block's runs of output rows
      if (dOff.length < width) dOff = new Int32Array(width);
      for (let j = 0; j < width; j++) dOff[j] = (j - (j % NR)) * kc + (j % NR);
      if (segs.length < 4 * (nc + 2)) segs = new Int32Array(4 * (nc + 2));
      nSeg = 0;
      for (let pos = j0; pos < j0 + nc; ) {
        const ow = pos % OW, t = (pos - ow) / OW, oh = t % OH, od = (t - oh) / OH;
        const len = Math.min(OW - ow, j0 + nc - pos);
        segs[4 * nSeg] = od;
        segs[4 * nSeg + 1] = oh;
        segs[4 * nSeg + 2] = ow;
        segs[4 * nSeg + 3] = pos - j0;
        nSeg++;
        pos += len;
      }
      segs[4 * nSeg + 3] = nc;
      segJ0 = j0;
      segNc = nc;
      segKc = kc;
    }
    let p = p0;
    let ic = Math.floor(p / kk), r = p - ic * kk;
    let kd = Math.floor(r / (KH * KW));
    r -= kd * KH * KW;
    let kh = Math.floor(r / KW), kw = r - kh * KW;
    for (let q = 0; q < kc; q++, p++) {
      const row = q * NR;
      const base = xOff + ic * plane;
      const lo = owLo[kw]!, hi = owHi[kw]!, offW = kw * dw - pw;
      for (let s = 0; s < nSeg; s++) {
        const od = segs[4 * s]!, oh = segs[4 * s + 1]!, ow0 = segs[4 * s + 2]!, jStart = segs[4 * s + 3]!;
        const jEnd = segs[4 * s + 7]!;
        const ow1 = ow0 + (jEnd - jStart);
        const id = od * sd - pd + kd * dd, ih = oh * sh - ph + kh * dh;
        let j = jStart;
        if (id < 0 || id >= D || ih < 0 || ih >= H) {
          for (; j < jEnd; j++) dst[dOff[j]! + row] = 0;
          continue;
        }
        const a = Math.min(Math.max(lo, ow0), ow1), b = Math.max(Math.min(hi, ow1), a);
        for (let ow = ow0; ow < a; ow++) dst[dOff[j++]! + row] = 0;
        const xi = base + (id * H + ih) * W + offW;
        if (sw === 1) for (let ow = a; ow < b; ow++) dst[dOff[j++]! + row] = X[xi + ow]!;
        else for (let ow = a; ow < b; ow++) dst[dOff[j++]! + row] = X[xi + ow * sw]!;
        for (; j < jEnd; j++) dst[dOff[j]! + row] = 0;
      }
      for (let j = nc; j < width; j++) dst[dOff[j]! + row] = 0;
      if (++kw === KW) {
        kw = 0;
        if (++kh === KH) {
          kh = 0;
          if (++kd === KD) {
            kd = 0;
            ic++;
          }
        }
      }
    }
  };
}

/**
 * Depthwise-style convolution (few channels per group) as a direct loop: per output row, the
 * kernel row's taps are summed in one expression where all of them are inside the image.
 */
function convDirect(X: ArrayLike<number>, Wt: ArrayLike<number>, bias: ArrayLike<number> | null, out: NumArray, g: Geom): void {
  const { N, C, OC, G, D, H, W, KD, KH, KW, OD, OH, OW, sd, sh, sw, pd, ph, pw, dd, dh, dw } = g;
  const ocg = OC / G, icg = C / G;
  const oPlane = OD * OH * OW, iPlane = D * H * W, kk = KD * KH * KW;
  const row = new Float64Array(OW);
  // per kernel column: the output columns whose input column is inside the image
  const owLo = new Int32Array(KW), owHi = new Int32Array(KW);
  let lo = 0, hi = OW;
  for (let kw = 0; kw < KW; kw++) {
    const off = kw * dw - pw;
    owLo[kw] = Math.min(OW, Math.max(0, Math.ceil(-off / sw)));
    owHi[kw] = Math.max(owLo[kw]!, Math.min(OW, Math.floor((W - 1 - off) / sw) + 1));
    lo = Math.max(lo, owLo[kw]!);
    hi = Math.min(hi, owHi[kw]!);
  }
  if (hi < lo) hi = lo;
  for (let n = 0; n < N; n++) {
    for (let oc = 0; oc < OC; oc++) {
      const grp = Math.floor(oc / ocg);
      const b = bias ? bias[oc]! : 0;
      for (let od = 0; od < OD; od++) {
        for (let oh = 0; oh < OH; oh++) {
          row.fill(b);
          for (let ci = 0; ci < icg; ci++) {
            const xBase = (n * C + grp * icg + ci) * iPlane;
            for (let kd = 0; kd < KD; kd++) {
              const id = od * sd - pd + kd * dd;
              if (id < 0 || id >= D) continue;
              for (let kh = 0; kh < KH; kh++) {
                const ih = oh * sh - ph + kh * dh;
                if (ih < 0 || ih >= H) continue;
                const xRow = xBase + (id * H + ih) * W - pw;
                const wRow = ((oc * icg + ci) * KD * KH + kd * KH + kh) * KW;
                // edge columns: tap by tap
                for (let kw = 0; kw < KW; kw++) {
                  const wv = Wt[wRow + kw]!, xo = xRow + kw * dw;
                  for (let ow = owLo[kw]!; ow < Math.min(lo, owHi[kw]!); ow++) row[ow] += wv * X[xo + ow * sw]!;
                  for (let ow = Math.max(hi, owLo[kw]!); ow < owHi[kw]!; ow++) row[ow] += wv * X[xo + ow * sw]!;
                }
                // interior: all taps inside
                if (KW === 3) {
                  const w0 = Wt[wRow]!, w1 = Wt[wRow + 1]!, w2 = Wt[wRow + 2]!, d1 = dw, d2 = 2 * dw;
                  for (let ow = lo; ow < hi; ow++) {
                    const xi = xRow + ow * sw;
                    row[ow] += w0 * X[xi]! + w1 * X[xi + d1]! + w2 * X[xi + d2]!;
                  }
                } else {
                  for (let ow = lo; ow < hi; ow++) {
                    const xi = xRow + ow * sw;
                    let s = 0;
                    for (let kw = 0; kw < KW; kw++) s += Wt[wRow + kw]! * X[xi + kw * dw]!;
                    row[ow] += s;
                  }
                }
              }
            }
          }
          const o = (n * OC + oc) * oPlane + (od * OH + oh) * OW;
          for (let ow = 0; ow < OW; ow++) out[o + ow] = row[ow]!;
        }
      }
    }
  }
}

/**
 * out (contiguous, batched shape) = conv(x, w) + bias. `X`, `Wt`, `B` are contiguous arrays of
 * the batched input, the weight and the bias. `fast` allows Winograd for 3x3 stride-1 2-d
 * convolutions (float32 results: it reassociates the sums).
 */
export function convForward(X: ArrayLike<number>, xShape: readonly number[], Wt: ArrayLike<number>, wShape: readonly number[], B: ArrayLike<number> | null, s: ConvSpec, out: NumArray, oShape: readonly number[], fast = false): void {
  if (s.transposed) {
    convTransposed(X, xShape, Wt, wShape, B, s, out, oShape);
    return;
  }
  const g = geometry(xShape, wShape, oShape, s);
  const { N, C, OC, G, D, H, W, KD, KH, KW, OD, OH, OW } = g;
  const oPlane = OD * OH * OW;
  if (N === 0 || OC === 0 || oPlane === 0) return;
  const icg = C / G, ocg = OC / G;
  const tile = fast && wShape.length === 4 && G === 1 && KH === 3 && KW === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1 ? winogradTile(C, OC, OH, OW) : 0;
  if (tile) {
    convWinograd(tile, X, Wt, B, { N, C, OC, H, W, OH, OW, ph: g.ph, pw: g.pw }, out);
    return;
  }
  if (icg === 1 && ocg <= 4 && G > 1) {
    convDirect(X, Wt, B, out, g);
    return;
  }
  const kk = KD * KH * KW, K = icg * kk, iPlane = D * H * W;
  const pointwise = kk === 1 && g.sd === 1 && g.sh === 1 && g.sw === 1 && g.pd === 0 && g.ph === 0 && g.pw === 0 && s.padAfter.every((p) => p === 0);
  for (let n = 0; n < N; n++) {
    for (let grp = 0; grp < G; grp++) {
      const cOff = (n * OC + grp * ocg) * oPlane;
      if (B) for (let oc = 0; oc < ocg; oc++) out.fill(B[grp * ocg + oc]!, cOff + oc * oPlane, cOff + (oc + 1) * oPlane);
      const xOff = (n * C + grp * icg) * iPlane;
      const a = { data: Wt, off: grp * ocg * K, rs: K, cs: 1 };
      const b = pointwise ? { data: X, off: xOff, rs: iPlane, cs: 1 } : im2colPacker(X, xOff, g);
      gemm(ocg, oPlane, K, a, b, out, cOff, oPlane, 1, B !== null);
    }
  }
}

/** Transposed convolution: per (image, group) cols = W^T @ x, scattered into the output (col2im). */
function convTransposed(X: ArrayLike<number>, xShape: readonly number[], Wt: ArrayLike<number>, wShape: readonly number[], B: ArrayLike<number> | null, s: ConvSpec, out: NumArray, oShape: readonly number[]): void {
  // geometry with the roles of input and output swapped: the "input" here is the conv output
  const nd = wShape.length - 2;
  const [D, H, W] = dhw(xShape, nd), [KD, KH, KW] = dhw(wShape, nd), [OD, OH, OW] = dhw(oShape, nd);
  const [sd, sh, sw] = pad3(s.stride, 1), [pd, ph, pw] = pad3(s.padBefore, 0), [dd, dh, dw] = pad3(s.dilation, 1);
  const N = xShape[0]!, C = xShape[1]!, G = s.groups, OC = oShape[1]!;
  const icg = C / G, ocg = OC / G, kk = KD * KH * KW, iPlane = D * H * W, oPlane = OD * OH * OW;
  if (N === 0 || OC === 0 || oPlane === 0) return;
  const rows = ocg * kk;
  const cols = new Float64Array(rows * iPlane);
  const acc = new Float64Array(ocg * oPlane);
  for (let n = 0; n < N; n++) {
    for (let grp = 0; grp < G; grp++) {
      // weight [C, ocg, k...]: group grp's block is [icg, ocg * kk]; A = its transpose
      gemm(rows, iPlane, icg, { data: Wt, off: grp * icg * rows, rs: 1, cs: rows }, { data: X, off: (n * C + grp * icg) * iPlane, rs: iPlane, cs: 1 }, cols, 0, iPlane);
      for (let oc = 0; oc < ocg; oc++) acc.fill(B ? B[grp * ocg + oc]! : 0, oc * oPlane, (oc + 1) * oPlane);
      for (let oc = 0; oc < ocg; oc++) {
        for (let kd = 0; kd < KD; kd++) {
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              const row = ((oc * KD + kd) * KH + kh) * KW + kw;
              const cBase = row * iPlane;
              const offW = kw * dw - pw;
              for (let id = 0; id < D; id++) {
                const od = id * sd - pd + kd * dd;
                if (od < 0 || od >= OD) continue;
                for (let ih = 0; ih < H; ih++) {
                  const oh = ih * sh - ph + kh * dh;
                  if (oh < 0 || oh >= OH) continue;
                  const aRow = oc * oPlane + (od * OH + oh) * OW;
                  const cRow = cBase + (id * H + ih) * W;
                  for (let iw = 0; iw < W; iw++) {
                    const ow = iw * sw + offW;
                    if (ow >= 0 && ow < OW) acc[aRow + ow] += cols[cRow + iw]!;
                  }
                }
              }
            }
          }
        }
      }
      const oBase = (n * OC + grp * ocg) * oPlane;
      for (let i = 0; i < ocg * oPlane; i++) out[oBase + i] = acc[i]!;
    }
  }
}
