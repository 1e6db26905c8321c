/**
 * CPU reference kernels for the upsample_* ops (nearest, nearest-exact, linear/bilinear/trilinear,
 * bicubic), with ATen's source-index arithmetic (UpSample.h) reproduced in float32 so that the
 * chosen source pixels and weights are PyTorch's.
 */
import { isFloating } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { dtypeName, fround, shapeStr } from './nn_util.js';

export type InterpMode = 'nearest' | 'nearest-exact' | 'linear' | 'cubic' | 'aa-linear' | 'aa-cubic';

/** compute_scales_value<float>: 1/scale when a positive scale was given, else in/out. */
function scalesValue(scale: number | null | undefined, inSize: number, outSize: number): number {
  return scale !== null && scale !== undefined && scale > 0 ? fround(1 / scale) : fround(inSize / outSize);
}

/** area_pixel_compute_scale<float> */
function areaPixelScale(inSize: number, outSize: number, alignCorners: boolean, scale: number | null | undefined): number {
  if (alignCorners) return outSize > 1 ? fround((inSize - 1) / (outSize - 1)) : 0;
  return scalesValue(scale, inSize, outSize);
}

/** area_pixel_compute_source_index<float> */
function areaPixelSource(scale: number, dst: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return fround(scale * dst);
  const src = fround(scale * (dst + 0.5) - 0.5);
  return !cubic && src < 0 ? 0 : src;
}

/** Per output position along one dim: `taps` source indices and weights. */
export interface Taps {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

const A = -0.75;
const cubic1 = (x: number): number => ((A + 2) * x - (A + 3)) * x * x + 1;
const cubic2 = (x: number): number => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

/**
 * `guarded`: ATen's nearest_idx shortcuts (same size: copy, twice the size: o >> 1), which only its
 * channels-last nearest kernel uses; the generic kernel always computes floor(o * scale).
 */
export function computeTaps(mode: InterpMode, inSize: number, outSize: number, alignCorners: boolean, scale: number | null | undefined, guarded = false): Taps {
  if (mode === 'aa-linear' || mode === 'aa-cubic') return antialiasTaps(mode, inSize, outSize, alignCorners, scale);
  const taps = mode === 'linear' ? 2 : mode === 'cubic' ? 4 : 1;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  if (mode === 'nearest' || mode === 'nearest-exact') {
    const s = scalesValue(scale, inSize, outSize);
    for (let o = 0; o < outSize; o++) {
      let i: number;
      if (mode === 'nearest') {
        if (guarded && outSize === inSize) i = o;
        else if (guarded && outSize === 2 * inSize) i = o >> 1;
        else i = Math.min(Math.floor(fround(o * s)), inSize - 1);
      } else {
        i = Math.min(Math.floor(fround((o + 0.5) * s)), inSize - 1);
      }
      index[o] = i;
      weight[o] = 1;
    }
    return { taps, index, weight };
  }
  const s = areaPixelScale(inSize, outSize, alignCorners, scale);
  if (mode === 'linear') {
    for (let o = 0; o < outSize; o++) {
      let i0: number, i1: number, l0: number, l1: number;
      if (outSize === inSize) {
        i0 = i1 = o;
        l0 = 1;
        l1 = 0;
      } else {
        const real = areaPixelSource(s, o, alignCorners, false);
        i0 = Math.trunc(real);
        i1 = i0 + (i0 < inSize - 1 ? 1 : 0);
        l1 = Math.min(Math.max(fround(real - i0), 0), 1);
        l0 = fround(1 - l1);
      }
      index[2 * o] = i0;
      index[2 * o + 1] = i1;
      weight[2 * o] = l0;
      weight[2 * o + 1] = l1;
    }
    return { taps, index, weight };
  }
  for (let o = 0; o < outSize; o++) {
    const real = areaPixelSource(s, o, alignCorners, true);
    const i = Math.floor(real);
    const t = fround(real - i);
    const w = [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
    for (let j = 0; j < 4; j++) {
      index[4 * o + j] = Math.max(Math.min(i - 1 + j, inSize - 1), 0);
      weight[4 * o + j] = w[j]!;
    }
  }
  return { taps, index, weight };
}

/** The antialiasing filters of ATen's _upsample_*_aa kernels (triangle; Keys cubic with a = -0.5). */
function aaFilter(mode: 'aa-linear' | 'aa-cubic', x0: number): number {
  const x = Math.abs(x0);
  if (mode === 'aa-linear') return x < 1 ? 1 - x : 0;
  const a = -0.5;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/**
 * _compute_indices_weights_aa: when downsampling the filter is stretched by the scale (support =
 * taps/2 * scale) and each output's weights are normalized to sum to 1.
 */
function antialiasTaps(mode: 'aa-linear' | 'aa-cubic', inSize: number, outSize: number, alignCorners: boolean, scale0: number | null | undefined): Taps {
  const scale = areaPixelScale(inSize, outSize, alignCorners, scale0);
  const base = mode === 'aa-linear' ? 2 : 4;
  const support = fround(scale >= 1 ? base * 0.5 * scale : base * 0.5);
  const taps = Math.ceil(support) * 2 + 1;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  const invscale = scale >= 1 ? fround(1 / scale) : 1;
  for (let o = 0; o < outSize; o++) {
    const center = fround(scale * (o + 0.5));
    const xmin = Math.max(Math.trunc(fround(center - support) + 0.5), 0);
    const xsize = Math.min(Math.trunc(fround(center + support) + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const w = fround(aaFilter(mode, fround((fround(j + xmin - center) + 0.5) * invscale)));
      weight[o * taps + j] = w;
      index[o * taps + j] = xmin + j;
      total += w;
    }
    for (let j = 0; j < xsize; j++) if (total !== 0) weight[o * taps + j] = fround(weight[o * taps + j]! / fround(total));
    for (let j = Math.max(xsize, 0); j < taps; j++) index[o * taps + j] = Math.max(0, Math.min(xmin, inSize - 1));
  }
  return { taps, index, weight };
}

/**
 * Resamples the trailing `scales.length` (1..3) spatial dims of `x` into `out`: separable taps per
 * dim, out = sum over tap combinations of the product of weights times the source element.
 */
export function upsampleKernel(x: Tensor, out: Tensor, mode: InterpMode, alignCorners: boolean, scales: readonly (number | null | undefined)[]): void {
  const nsp = scales.length;
  const src = x.contiguousArray();
  const o = out.hostArray;
  const inSp = x.shape.slice(2), outSp = out.shape.slice(2);
  // pad to 3 spatial dims with size-1 leading dims
  const inS = [1, 1, 1], outS = [1, 1, 1];
  for (let d = 0; d < nsp; d++) {
    inS[3 - nsp + d] = inSp[d]!;
    outS[3 - nsp + d] = outSp[d]!;
  }
  // PyTorch runs 2-D and 3-D nearest on its channels-last kernel whenever the input's strides are
  // channels-last contiguous (true of any contiguous input with one channel), and that kernel's
  // index function differs
  const guarded = mode === 'nearest' && nsp >= 2 && isChannelsLastContiguous(x);
  const taps = [0, 1, 2].map((d) => {
    const sd = d - (3 - nsp);
    return computeTaps(sd < 0 ? 'nearest' : mode, inS[d]!, outS[d]!, alignCorners, sd < 0 ? null : scales[sd], guarded);
  });
  const [tD, tH, tW] = taps as [Taps, Taps, Taps];
  const [iD, iH, iW] = inS as [number, number, number];
  const [oD, oH, oW] = outS as [number, number, number];
  const planes = x.shape[0]! * x.shape[1]!;
  const inPlane = iD * iH * iW, outPlane = oD * oH * oW;
  const isInt = !isFloating(x.dtype);
  const nRow = tD.taps * tH.taps;
  const rowOff = new Int32Array(nRow), rowW = new Float64Array(nRow);
  const TW = tW.taps, wIdx = tW.index, wW = tW.weight;
  for (let p = 0; p < planes; p++) {
    const ib = p * inPlane;
    let q = p * outPlane;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        // the source rows (and their weights) that this output row mixes
        let m = 0;
        for (let a = 0; a < tD.taps; a++) {
          for (let b = 0; b < tH.taps; b++) {
            rowOff[m] = ib + (tD.index[od * tD.taps + a]! * iH + tH.index[oh * tH.taps + b]!) * iW;
            rowW[m++] = tD.weight[od * tD.taps + a]! * tH.weight[oh * tH.taps + b]!;
          }
        }
        if (nRow === 1 && TW === 1) {
          const r0 = rowOff[0]!;
          for (let ow = 0; ow < oW; ow++) o[q++] = src[r0 + wIdx[ow]!]!;
          continue;
        }
        for (let ow = 0; ow < oW; ow++) {
          let acc = 0;
          for (let c = 0; c < TW; c++) {
            const i = wIdx[ow * TW + c]!, wc = wW[ow * TW + c]!;
            let col = 0;
            for (let r = 0; r < nRow; r++) col += rowW[r]! * src[rowOff[r]! + i]!;
            acc += wc * col;
          }
          o[q++] = isInt ? Math.round(acc) : acc;
        }
      }
    }
  }
}

/** Tensor::is_contiguous(ChannelsLast / ChannelsLast3d) for a 4-D / 5-D tensor. */
export function isChannelsLastContiguous(t: Tensor): boolean {
  const order = t.ndim === 4 ? [1, 3, 2, 0] : t.ndim === 5 ? [1, 4, 3, 2, 0] : null;
  if (!order) return false;
  let expected = 1;
  for (const d of order) {
    const size = t.shape[d]!;
    if (size !== 1) {
      if (t.strides[d] !== expected) return false;
      expected *= size;
    }
  }
  return true;
}

/** Output spatial sizes of an upsample .vec overload (ATen's compute_output_size). */
export function upsampleOutputSize(x: Tensor, nsp: number, outputSize: number[] | null, scaleFactors: number[] | null): number[] {
  if (outputSize) {
    if (scaleFactors) throw new Error('Must specify exactly one of output_size and scale_factors');
    if (outputSize.length !== nsp) throw new RangeError(`Expected static_cast<int64_t>(output_size->size()) == spatial_dimensions to be true, but got false.`);
    return [...outputSize];
  }
  if (scaleFactors) {
    if (scaleFactors.length !== nsp) throw new RangeError(`Expected static_cast<int64_t>(scale_factors->size()) == spatial_dimensions to be true, but got false.`);
    return scaleFactors.map((s, i) => Math.trunc((x.shape[i + 2] ?? 0) * s));
  }
  throw new Error('Must specify exactly one of output_size and scale_factors');
}

const DIM_NAMES = [['W'], ['H', 'W'], ['D', 'H', 'W']] as const;

/** upsample_{1,2,3}d_common_check: input rank, non-empty, positive sizes; allowed dtypes. */
export function checkUpsample(op: string, x: Tensor, outSize: readonly number[], floatOnly: boolean): void {
  const nsp = outSize.length;
  if (x.ndim !== nsp + 2) throw new RangeError(`Expected static_cast<int64_t>(input_size.size()) == ${nsp + 2} to be true, but got false. (input of shape ${shapeStr(x.shape)})`);
  let rest = 1;
  for (let i = 1; i < x.ndim; i++) rest *= x.shape[i]!;
  if (x.numel() === 0 && rest === 0) throw new RangeError(`Non-empty ${nsp + 2}D data tensor expected but got a tensor with sizes ${shapeStr(x.shape)}`);
  const names = DIM_NAMES[nsp - 1]!;
  const inSp = x.shape.slice(2);
  if (inSp.some((s) => s <= 0) || outSize.some((s) => s <= 0)) {
    const fmt = (v: readonly number[]): string => names.map((n, i) => `${n}: ${v[i]}`).join(', ');
    throw new RangeError(`Input and output sizes should be greater than 0, but got input (${fmt(inSp)}) output (${fmt(outSize)})`);
  }
  const ok = isFloating(x.dtype) || (!floatOnly && x.dtype === 'uint8');
  if (!ok) throw new Error(`"${op}" not implemented for '${dtypeName(x.dtype)}'`);
}
