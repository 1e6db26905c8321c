import { isFloating } from '../../dtype.js';
import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/**
 * ONNX Resize (opsets 10..18) on every axis at once: for each axis an output coordinate maps to
 * an input coordinate by `coordinate_transformation_mode`, then 2 (nearest, linear) or 4 (cubic)
 * neighbours are combined, edge-clamped, with the weights of the ONNX reference implementation
 * (onnx/backend/test/case/node/resize.py). The op is separable, so axes are applied one after
 * the other. Internal: ONNX import only.
 */
interface AxisPlan {
  /** per output coordinate: n input indices and n weights, or extrapolate */
  idx: Int32Array;
  w: Float64Array;
  extra: Uint8Array;
  n: number;
}

function cubicCoeffs(r: number, A: number): number[] {
  const s = 1 - r;
  return [
    ((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A,
    ((A + 2) * r - (A + 3)) * r * r + 1,
    ((A + 2) * s - (A + 3)) * s * s + 1,
    ((A * (s + 1) - 5 * A) * (s + 1) + 8 * A) * (s + 1) - 4 * A,
  ];
}

function nearestCoeffs(r: number, mode: string): number[] {
  if (r === 1) return [0, 1];
  switch (mode) {
    case 'round_prefer_floor': return r <= 0.5 ? [1, 0] : [0, 1];
    case 'round_prefer_ceil': return r < 0.5 ? [1, 0] : [0, 1];
    case 'floor': return [1, 0];
    case 'ceil': return [0, 1];
    default: throw new Error(`nearest_mode '${mode}' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil`);
  }
}

function planAxis(inLen: number, outLen: number, scale: number, roiStart: number, roiEnd: number, a: Args): AxisPlan {
  const mode = a.mode as string, ct = a.coordinate_transformation_mode as string;
  const n = mode === 'cubic' ? 4 : 2;
  const idx = new Int32Array(outLen * n), w = new Float64Array(outLen * n), extra = new Uint8Array(outLen);
  // the reference works with the fractional output length scale * in
  const outW = scale * inLen;
  for (let o = 0; o < outLen; o++) {
    let x: number;
    switch (ct) {
      case 'half_pixel': x = (o + 0.5) / scale - 0.5; break;
      case 'half_pixel_symmetric': {
        const adj = outLen / outW;
        const center = inLen / 2;
        const offset = center * (1 - adj);
        x = offset + (o + 0.5) / scale - 0.5;
        break;
      }
      case 'pytorch_half_pixel': x = outW === 1 ? -0.5 : (o + 0.5) / scale - 0.5; break;
      case 'align_corners': x = outW === 1 ? 0 : (o * (inLen - 1)) / (outW - 1); break;
      case 'asymmetric': x = o / scale; break;
      case 'tf_crop_and_resize':
        x = outW === 1 ? ((roiEnd - roiStart) * (inLen - 1)) / 2 : (o * (roiEnd - roiStart) * (inLen - 1)) / (outW - 1);
        x += roiStart * (inLen - 1);
        if (x < 0 || x > inLen - 1) {
          extra[o] = 1;
          continue;
        }
        break;
      default:
        throw new Error(`coordinate_transformation_mode '${ct}' is not supported`);
    }
    // neighbours start below x; an integral x counts as ratio 1 over x - 1 (as the reference does)
    const base = Math.ceil(x) - 1;
    const r = x - base;
    const c = mode === 'cubic' ? cubicCoeffs(r, a.cubic_coeff_a) : mode === 'linear' ? [1 - r, r] : nearestCoeffs(r, a.nearest_mode);
    const first = base - n / 2 + 1;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const i = first + j;
      if (a.exclude_outside && (i < 0 || i >= inLen)) c[j] = 0;
      sum += c[j]!;
    }
    for (let j = 0; j < n; j++) {
      idx[o * n + j] = Math.min(Math.max(first + j, 0), inLen - 1);
      w[o * n + j] = a.exclude_outside ? c[j]! / sum : c[j]!;
    }
  }
  return { idx, w, extra, n };
}

/** Resamples axis `ax` of a contiguous [outer, inLen, inner] buffer to outLen. */
function applyAxis(src: Float64Array, outer: number, inLen: number, inner: number, p: AxisPlan, outLen: number, extrapolation: number): Float64Array {
  const dst = new Float64Array(outer * outLen * inner);
  const { idx, w, extra, n } = p;
  for (let q = 0; q < outer; q++) {
    const sBase = q * inLen * inner, dBase = q * outLen * inner;
    for (let o = 0; o < outLen; o++) {
      const d = dBase + o * inner;
      if (extra[o]) {
        dst.fill(extrapolation, d, d + inner);
        continue;
      }
      for (let j = 0; j < n; j++) {
        const wj = w[o * n + j]!;
        if (wj === 0) continue;
        const s = sBase + idx[o * n + j]! * inner;
        for (let k = 0; k < inner; k++) dst[d + k] += wj * src[s + k]!;
      }
    }
  }
  return dst;
}

function checkArgs(a: Args): void {
  const x = a.self as Tensor;
  const r = x.ndim;
  if ((a.sizes as number[]).length !== r) throw new Error(`sizes must have ${r} entries (the input's rank), got ${(a.sizes as number[]).length}`);
  if ((a.scales as number[]).length !== r) throw new Error(`scales must have ${r} entries, got ${(a.scales as number[]).length}`);
  if ((a.sizes as number[]).some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`invalid output sizes [${a.sizes}]`);
  if ((a.scales as number[]).some((s) => !(s > 0))) throw new Error(`scales must be positive, got [${a.scales}]`);
  if (!['nearest', 'linear', 'cubic'].includes(a.mode)) throw new Error(`mode '${a.mode}' is not one of nearest, linear, cubic`);
}

export const onnx_resize = defineOp({
  name: 'onnx_resize',
  variants: [],
  overloads: [
    {
      schema:
        'torchlet::onnx_resize(Tensor self, int[] sizes, float[] scales, float[] roi, str mode="nearest", str coordinate_transformation_mode="half_pixel", str nearest_mode="round_prefer_floor", float cubic_coeff_a=-0.75, bool exclude_outside=False, float extrapolation_value=0.0) -> Tensor',
      infer: (a) => {
        checkArgs(a);
        return { shape: [...(a.sizes as number[])], dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const x = a.self as Tensor;
        const sizes = a.sizes as number[], scales = a.scales as number[], roi = a.roi as number[];
        const r = x.ndim;
        let cur: Float64Array = Float64Array.from(x.contiguousArray());
        const shape = [...x.shape];
        for (let ax = r - 1; ax >= 0; ax--) {
          const inLen = shape[ax]!, outLen = sizes[ax]!;
          const rs = roi.length === 2 * r ? roi[ax]! : 0, re = roi.length === 2 * r ? roi[ax + r]! : 1;
          const identity = inLen === outLen && scales[ax] === 1 && a.coordinate_transformation_mode !== 'tf_crop_and_resize';
          if (identity) continue;
          const outer = shape.slice(0, ax).reduce((p, d) => p * d, 1);
          const inner = shape.slice(ax + 1).reduce((p, d) => p * d, 1);
          const plan = planAxis(inLen, outLen, scales[ax]!, rs, re, a);
          cur = applyAxis(cur, outer, inLen, inner, plan, outLen, a.extrapolation_value);
          shape[ax] = outLen;
        }
        const o = out!.hostArray;
        const float = isFloating(x.dtype);
        const lo = x.dtype === 'uint8' ? 0 : x.dtype === 'int8' ? -128 : -Infinity, hi = x.dtype === 'uint8' ? 255 : x.dtype === 'int8' ? 127 : Infinity;
        for (let i = 0; i < o.length; i++) o[i] = float ? cur[i]! : Math.min(Math.max(Math.round(cur[i]!), lo), hi);
      },
    },
  ],
});
