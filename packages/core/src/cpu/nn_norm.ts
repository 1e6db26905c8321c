/** CPU reference kernels for batch, layer, group and instance normalization. */
import type { Tensor } from '../tensor.js';
import { f64, optVec, writeStrided } from './nn_util.js';

/** 1/sqrt(var + eps), 0 when both are 0 (ATen's InvStd). */
export function invStd(v: number, eps: number): number {
  return v !== 0 || eps !== 0 ? 1 / Math.sqrt(v + eps) : 0;
}

export interface BatchNormLayout {
  /** batch size (dim 0) */
  n: number;
  /** channels (dim 1) */
  c: number;
  /** product of the dims after 1 */
  inner: number;
}

export function batchNormLayout(shape: readonly number[]): BatchNormLayout {
  const n = shape[0] ?? 1;
  const c = shape.length > 1 ? shape[1]! : 1;
  let inner = 1;
  for (let i = 2; i < shape.length; i++) inner *= shape[i]!;
  return { n, c, inner };
}

/**
 * Batch normalization of a row-major [n, c, inner] array into `out`. In training mode the batch
 * statistics are used and returned (mean, invstd) and the running stats, when given, are updated
 * in place with `momentum` (the variance unbiased); otherwise the running stats normalize.
 */
export function batchNormCore(
  x: ArrayLike<number>, L: BatchNormLayout, w: Float64Array | null, b: Float64Array | null,
  rm: Float64Array | null, rv: Float64Array | null, training: boolean, momentum: number, eps: number,
  out: { [i: number]: number },
): { mean: Float64Array; invstd: Float64Array; newRm: Float64Array | null; newRv: Float64Array | null } {
  const { n, c, inner } = L;
  const mean = new Float64Array(c), invstd = new Float64Array(c);
  let newRm: Float64Array | null = null, newRv: Float64Array | null = null;
  const cnt = n * inner;
  if (training) {
    if (rm) newRm = new Float64Array(c);
    if (rv) newRv = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const base = (i * c + ch) * inner;
        for (let k = 0; k < inner; k++) s += x[base + k]!;
      }
      const m = s / cnt;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const base = (i * c + ch) * inner;
        for (let k = 0; k < inner; k++) {
          const d = x[base + k]! - m;
          ss += d * d;
        }
      }
      const v = ss / cnt;
      mean[ch] = m;
      invstd[ch] = invStd(v, eps);
      if (newRm) newRm[ch] = momentum * m + (1 - momentum) * rm![ch]!;
      if (newRv) newRv[ch] = momentum * (ss / (cnt - 1)) + (1 - momentum) * rv![ch]!;
    }
  } else {
    for (let ch = 0; ch < c; ch++) {
      mean[ch] = rm![ch]!;
      invstd[ch] = 1 / Math.sqrt(rv![ch]! + eps);
    }
  }
  for (let ch = 0; ch < c; ch++) {
    const alpha = invstd[ch]! * (w ? w[ch]! : 1);
    const beta = (b ? b[ch]! : 0) - mean[ch]! * alpha;
    for (let i = 0; i < n; i++) {
      const base = (i * c + ch) * inner;
      for (let k = 0; k < inner; k++) out[base + k] = x[base + k]! * alpha + beta;
    }
  }
  return { mean, invstd, newRm, newRv };
}

function checkLen(name: string, t: Tensor | null, c: number): void {
  if (t && t.numel() !== c) throw new RangeError(`${name} should contain ${c} elements not ${t.numel()}`);
}

export function checkBatchNormArgs(input: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null, training: boolean): void {
  if (input.ndim < 2) throw new RangeError(`Dimension out of range (expected to be in range of [-1, 0], but got 1)`);
  const c = input.shape[1]!;
  if (!training && (!rm || !rv)) throw new Error(`running_${!rm ? 'mean' : 'var'} must be defined in evaluation mode`);
  checkLen('weight', weight, c);
  checkLen('bias', bias, c);
  checkLen('running_mean', rm, c);
  checkLen('running_var', rv, c);
}

/** native_batch_norm: (out, save_mean, save_invstd); the saved stats are empty in eval mode. */
export function nativeBatchNorm(
  input: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null,
  training: boolean, momentum: number, eps: number, outs: Tensor[],
): void {
  const L = batchNormLayout(input.shape);
  const r = batchNormCore(input.contiguousArray(), L, optVec(weight), optVec(bias), optVec(rm), optVec(rv), training, momentum, eps, outs[0]!.hostArray);
  if (training) {
    outs[1]!.hostArray.set(r.mean);
    outs[2]!.hostArray.set(r.invstd);
    if (rm && r.newRm) writeStrided(rm, r.newRm);
    if (rv && r.newRv) writeStrided(rv, r.newRv);
  }
}

/**
 * instance_norm: batch norm of the input viewed as [1, n*c, ...] with the parameters repeated n
 * times; running stats (when given) become the mean over the batch of the updated repeats.
 */
export function instanceNorm(
  input: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null,
  useInputStats: boolean, momentum: number, eps: number, out: Tensor,
): void {
  const { n, c, inner } = batchNormLayout(input.shape);
  const rep = (v: Float64Array | null): Float64Array | null => {
    if (!v) return null;
    const r = new Float64Array(n * c);
    for (let i = 0; i < n; i++) r.set(v, i * c);
    return r;
  };
  const r = batchNormCore(input.contiguousArray(), { n: 1, c: n * c, inner }, rep(optVec(weight)), rep(optVec(bias)), rep(optVec(rm)), rep(optVec(rv)), useInputStats, momentum, eps, out.hostArray);
  const meanOverBatch = (v: Float64Array): Float64Array => {
    const m = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i * c + ch]!;
      m[ch] = s / n;
    }
    return m;
  };
  if (rm && r.newRm) writeStrided(rm, meanOverBatch(r.newRm));
  if (rv && r.newRv) writeStrided(rv, meanOverBatch(r.newRv));
}

/** Mean and biased variance of row `row` of a row-major [rows, cols] array (two passes). */
export function rowMoments(x: ArrayLike<number>, row: number, cols: number): [number, number] {
  const base = row * cols;
  let s = 0;
  for (let k = 0; k < cols; k++) s += x[base + k]!;
  const m = s / cols;
  let ss = 0;
  for (let k = 0; k < cols; k++) {
    const d = x[base + k]! - m;
    ss += d * d;
  }
  return [m, ss / cols];
}

/** native_layer_norm over the last `normNumel` elements: writes out, mean and rstd. */
export function nativeLayerNorm(input: Tensor, normNumel: number, weight: Tensor | null, bias: Tensor | null, eps: number, outs: Tensor[]): void {
  const x = input.contiguousArray();
  const w = optVec(weight), b = optVec(bias);
  const o = outs[0]!.hostArray, mo = outs[1]!.hostArray, ro = outs[2]!.hostArray;
  const rows = normNumel === 0 ? 0 : x.length / normNumel;
  // float32 inputs reproduce ATen's float arithmetic, y = fma(fma(x, rstd, -rstd * mean), w, b),
  // so that rows whose exact result is 0 get PyTorch's rounding residue rather than 0
  const r32 = input.dtype === 'float32' ? Math.fround : (v: number): number => v;
  for (let r = 0; r < rows; r++) {
    const [m0, v] = rowMoments(x, r, normNumel);
    const m = r32(m0);
    const rstd = r32(1 / Math.sqrt(r32(Math.max(v, 0) + eps)));
    const shift = r32(-rstd * m);
    mo[r] = m;
    ro[r] = rstd;
    const base = r * normNumel;
    for (let k = 0; k < normNumel; k++) {
      const y = r32(x[base + k]! * rstd + shift);
      o[base + k] = w || b ? (w ? y * w[k]! : y) + (b ? b[k]! : 0) : y;
    }
  }
  // rows with no elements (normalized_shape containing 0) give NaN statistics as PyTorch does
  if (normNumel === 0) {
    mo.fill(NaN);
    ro.fill(NaN);
  }
}

/** native_group_norm on [N, C, HxW]: writes out, mean [N, group] and rstd [N, group]. */
export function nativeGroupNorm(input: Tensor, weight: Tensor | null, bias: Tensor | null, N: number, C: number, HxW: number, group: number, eps: number, outs: Tensor[]): void {
  const x = input.contiguousArray();
  const w = optVec(weight), b = optVec(bias);
  const o = outs[0]!.hostArray, mo = outs[1]!.hostArray, ro = outs[2]!.hostArray;
  const cpg = C / group;
  const cols = cpg * HxW;
  for (let r = 0; r < N * group; r++) {
    const [m, v] = cols === 0 ? [NaN, NaN] : rowMoments(x, r, cols);
    const rstd = 1 / Math.sqrt(Math.max(v, 0) + eps);
    mo[r] = m;
    ro[r] = rstd;
    const g = r % group;
    for (let cc = 0; cc < cpg; cc++) {
      const ch = g * cpg + cc;
      const scale = rstd * (w ? w[ch]! : 1);
      const shift = (b ? b[ch]! : 0) - m * scale;
      const base = r * cols + cc * HxW;
      for (let k = 0; k < HxW; k++) o[base + k] = x[base + k]! * scale + shift;
    }
  }
}
