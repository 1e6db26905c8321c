/** CPU reference kernels for the loss ops (mse, l1, smooth_l1, huber, kl_div, bce, nll, cross entropy). */
import { gatherStrided, type Tensor } from '../tensor.js';
import { broadcastShapes } from '../shape.js';
import { broadcastStrides } from './pointwise.js';
import { shapeStr } from './nn_util.js';

/** `t`'s elements broadcast to `shape`, row-major, as float64. */
export function expandTo(t: Tensor, shape: readonly number[]): Float64Array {
  let n = 1;
  for (const s of shape) n *= s;
  const out = new Float64Array(n);
  gatherStrided(t.hostArray, shape, broadcastStrides(t, shape), t.offset, out);
  return out;
}

/** at::native::apply_loss_reduction: 0 none, 1 mean (NaN when empty), 2 sum. */
export function reduceLoss(v: Float64Array, reduction: number): Float64Array | number {
  if (reduction === 0) return v;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return reduction === 1 ? s / v.length : s;
}

export function lossShape(shape: readonly number[], reduction: number): number[] {
  if (reduction < 0 || reduction > 2) throw new RangeError(`${reduction} is not a valid value for reduction`);
  return reduction === 0 ? [...shape] : [];
}

/** Writes a reduced loss (a number) or the unreduced values into `out`. */
export function writeLoss(out: Tensor, r: Float64Array | number): void {
  if (typeof r === 'number') out.hostArray[0] = r;
  else out.hostArray.set(r);
}

export type PointwiseLoss = (x: number, y: number) => number;

/** A loss of (input, target) elements with broadcasting, then the reduction. */
export function pointwiseLoss(input: Tensor, target: Tensor, reduction: number, f: PointwiseLoss, out: Tensor): void {
  const shape = broadcastShapes(input.shape, target.shape);
  const x = expandTo(input, shape), y = expandTo(target, shape);
  const v = new Float64Array(x.length);
  for (let i = 0; i < v.length; i++) v[i] = f(x[i]!, y[i]!);
  writeLoss(out, reduceLoss(v, reduction));
}

export function smoothL1(beta: number): PointwiseLoss {
  if (beta === 0) return (x, y) => Math.abs(x - y);
  return (x, y) => {
    const d = Math.abs(x - y);
    return d < beta ? (0.5 * d * d) / beta : d - 0.5 * beta;
  };
}

export function huber(delta: number): PointwiseLoss {
  return (x, y) => {
    const d = Math.abs(x - y);
    return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
  };
}

const xlogy = (x: number, y: number): number => (Number.isNaN(y) ? NaN : x === 0 ? 0 : x * Math.log(y));

export function klDiv(logTarget: boolean): PointwiseLoss {
  return logTarget ? (x, t) => Math.exp(t) * (t - x) : (x, t) => xlogy(t, t) - t * x;
}

/** binary_cross_entropy: -w (t log x + (1 - t) log(1 - x)), logs clamped at -100. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, weight: Tensor | null, reduction: number, out: Tensor): void {
  const shape = [...input.shape];
  const x = expandTo(input, shape), t = expandTo(target, shape);
  const w = weight ? expandTo(weight, shape) : null;
  const v = new Float64Array(x.length);
  for (let i = 0; i < v.length; i++) {
    const xi = x[i]!;
    if (!(xi >= 0 && xi <= 1)) throw new RangeError('all elements of input should be between 0 and 1');
    const l = -(t[i]! * Math.max(Math.log(xi), -100) + (1 - t[i]!) * Math.max(Math.log(1 - xi), -100));
    v[i] = w ? l * w[i]! : l;
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** binary_cross_entropy_with_logits, in ATen's log-sum-exp stable form. */
export function bceWithLogits(input: Tensor, target: Tensor, weight: Tensor | null, posWeight: Tensor | null, reduction: number, out: Tensor): void {
  const shape = broadcastShapes(input.shape, target.shape, ...(posWeight ? [posWeight.shape] : []));
  if (weight) {
    const ws = broadcastShapes(shape, weight.shape);
    if (ws.length !== shape.length || ws.some((s, i) => s !== shape[i])) throw new RangeError(`output with shape ${shapeStr(shape)} doesn't match the broadcast shape ${shapeStr(ws)}`);
  }
  const x = expandTo(input, shape), t = expandTo(target, shape);
  const w = weight ? expandTo(weight, shape) : null;
  const pw = posWeight ? expandTo(posWeight, shape) : null;
  const v = new Float64Array(x.length);
  for (let i = 0; i < v.length; i++) {
    const xi = x[i]!, ti = t[i]!;
    const maxVal = Math.max(-xi, 0);
    const lse = Math.log(Math.exp(-maxVal) + Math.exp(-xi - maxVal)) + maxVal;
    let l = pw ? (1 - ti) * xi + ((pw[i]! - 1) * ti + 1) * lse : (1 - ti) * xi + lse;
    if (w) l *= w[i]!;
    v[i] = l;
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** Layout of a class-index loss: input [N, C, *d] or [C], target [N, *d] or []. */
export interface ClassLayout {
  n: number;
  c: number;
  inner: number;
  /** shape of the unreduced loss (the target's) */
  outShape: number[];
}

export function classLayout(input: Tensor, target: Tensor, op: string): ClassLayout {
  if (input.ndim < 1) throw new RangeError(`${op}: input tensor should be 1D or 2D, got 0D`);
  if (input.ndim === 1) {
    if (target.ndim !== 0) throw new RangeError(`${op}: 0D target tensor expected for 1D input, got ${target.ndim}D (multi-target not supported)`);
    return { n: 1, c: input.shape[0]!, inner: 1, outShape: [] };
  }
  const [n, c] = [input.shape[0]!, input.shape[1]!];
  const want = [n, ...input.shape.slice(2)];
  if (target.ndim !== want.length || target.shape.some((s, i) => s !== want[i])) {
    if (input.ndim === 2 && target.ndim !== 1) throw new RangeError('1D target tensor expected, multi-target not supported');
    throw new RangeError(`Expected target size ${shapeStr(want)}, got ${shapeStr(target.shape)}`);
  }
  let inner = 1;
  for (let i = 2; i < input.ndim; i++) inner *= input.shape[i]!;
  return { n, c, inner, outShape: want };
}

/** Per-element nll loss (-w[t] x[t]) and the summed weights of non-ignored targets. */
function nllTerms(logp: Float64Array, L: ClassLayout, tgt: ArrayLike<number>, w: Float64Array | null, ignoreIndex: number): { loss: Float64Array; wsum: number } {
  const { n, c, inner } = L;
  const loss = new Float64Array(n * inner);
  let wsum = 0;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const t = tgt[b * inner + k]!;
      if (t === ignoreIndex) continue;
      if (!(t >= 0 && t < c)) throw new RangeError(`Target ${t} is out of bounds.`);
      const wt = w ? w[t]! : 1;
      loss[b * inner + k] = -wt * logp[(b * c + t) * inner + k]!;
      wsum += wt;
    }
  }
  return { loss, wsum };
}

export function nllReduce(loss: Float64Array, wsum: number, reduction: number): Float64Array | number {
  if (reduction === 0) return loss;
  let s = 0;
  for (let i = 0; i < loss.length; i++) s += loss[i]!;
  return reduction === 1 ? s / wsum : s;
}

/** nll_loss / nll_loss_nd / nll_loss2d on log-probabilities [N, C, *d] (or [C]). */
export function nllLoss(input: Tensor, target: Tensor, weight: Tensor | null, reduction: number, ignoreIndex: number, out: Tensor): void {
  const L = classLayout(input, target, 'nll_loss');
  const x = Float64Array.from(input.contiguousArray());
  const r = nllTerms(x, L, target.contiguousArray(), weight ? Float64Array.from(weight.contiguousArray()) : null, ignoreIndex);
  writeLoss(out, nllReduce(r.loss, r.wsum, reduction));
}

/** log_softmax over the class dim of a [n, c, inner] array. */
export function logSoftmaxClasses(x: Float64Array, n: number, c: number, inner: number): Float64Array {
  const o = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const base = b * c * inner + k;
      let max = -Infinity;
      for (let j = 0; j < c; j++) if (x[base + j * inner]! > max) max = x[base + j * inner]!;
      let s = 0;
      for (let j = 0; j < c; j++) s += Math.exp(x[base + j * inner]! - max);
      const lse = Math.log(s) + max;
      for (let j = 0; j < c; j++) o[base + j * inner] = x[base + j * inner]! - lse;
    }
  }
  return o;
}

/**
 * cross_entropy_loss: log_softmax over the class dim (1, or 0 for 1-D input), then nll with class
 * indices (optionally label-smoothed) or the cross entropy with class probabilities (a float
 * target of the input's shape), as ATen 1.13 computes each.
 */
export function crossEntropy(input: Tensor, target: Tensor, weight: Tensor | null, reduction: number, ignoreIndex: number, ls: number, out: Tensor): void {
  const x = Float64Array.from(input.contiguousArray());
  const c = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  const n = input.ndim === 1 ? 1 : input.shape[0]!;
  let inner = 1;
  for (let i = 2; i < input.ndim; i++) inner *= input.shape[i]!;
  const logp = logSoftmaxClasses(x, n, c, inner);
  const w = weight ? Float64Array.from(weight.contiguousArray()) : null;
  if (target.isFloatingPoint) {
    const t = Float64Array.from(target.contiguousArray());
    const rows = new Float64Array(n * inner);
    for (let b = 0; b < n; b++) {
      for (let k = 0; k < inner; k++) {
        let s = 0;
        for (let j = 0; j < c; j++) {
          const i = (b * c + j) * inner + k;
          const tj = ls > 0 ? t[i]! * (1 - ls) + ls / c : t[i]!;
          s += logp[i]! * tj * (w ? w[j]! : 1);
        }
        rows[b * inner + k] = -s;
      }
    }
    if (reduction === 0) return writeLoss(out, rows);
    let s = 0;
    for (const v of rows) s += v;
    writeLoss(out, reduction === 1 ? (x.length === 0 ? NaN : s / (x.length / c)) : s);
    return;
  }
  const L = classLayout(input, target, 'cross_entropy');
  const tgt = target.contiguousArray();
  const nll = nllTerms(logp, L, tgt, w, ignoreIndex);
  const nllOut = nllReduce(nll.loss, nll.wsum, reduction);
  if (!(ls > 0)) return writeLoss(out, nllOut);
  const smooth = new Float64Array(n * inner);
  let wsum = 0, count = 0;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const t = tgt[b * inner + k]!;
      if (t === ignoreIndex) continue;
      let s = 0;
      for (let j = 0; j < c; j++) s += logp[(b * c + j) * inner + k]! * (w ? w[j]! : 1);
      smooth[b * inner + k] = -s;
      wsum += w ? w[t]! : 1;
      count++;
    }
  }
  let ret: Float64Array | number;
  if (reduction === 0) ret = smooth;
  else {
    let s = 0;
    for (const v of smooth) s += v;
    ret = reduction === 1 ? s / (w ? wsum : count) : s;
  }
  if (typeof ret === 'number' && typeof nllOut === 'number') return writeLoss(out, (1 - ls) * nllOut + ret * (ls / c));
  const a = nllOut as Float64Array, bArr = ret as Float64Array;
  const o = new Float64Array(a.length);
  for (let i = 0; i < o.length; i++) o[i] = (1 - ls) * a[i]! + bArr[i]! * (ls / c);
  writeLoss(out, o);
}

// ------------------------------------------------------------------ margin and embedding losses

/** Broadcasts tensors to a common shape and returns their float64 elements. */
export function expandAll(ts: Tensor[]): { shape: number[]; values: Float64Array[] } {
  const shape = broadcastShapes(...ts.map((t) => t.shape));
  return { shape, values: ts.map((t) => expandTo(t, shape)) };
}

/** margin_ranking_loss: max(0, -target (x1 - x2) + margin). */
export function marginRanking(x1: Tensor, x2: Tensor, target: Tensor, margin: number, reduction: number, out: Tensor): void {
  const { values: [a, b, t] } = expandAll([x1, x2, target]);
  const v = new Float64Array(a!.length);
  for (let i = 0; i < v.length; i++) v[i] = Math.max(-t![i]! * (a![i]! - b![i]!) + margin, 0);
  writeLoss(out, reduceLoss(v, reduction));
}

/** hinge_embedding_loss: x where target != -1, plus max(0, margin - x) where target != 1. */
export function hingeEmbedding(x: Tensor, target: Tensor, margin: number, reduction: number, out: Tensor): void {
  const { values: [a, t] } = expandAll([x, target]);
  const v = new Float64Array(a!.length);
  for (let i = 0; i < v.length; i++) {
    const xi = a![i]!, ti = t![i]!;
    v[i] = (ti !== 1 ? Math.max(margin - xi, 0) : 0) + (ti !== -1 ? xi : 0);
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** cosine_embedding_loss over rows ([N, D] inputs with [N] target, or [D] with a 0-d target). */
export function cosineEmbedding(x1: Tensor, x2: Tensor, target: Tensor, margin: number, reduction: number, out: Tensor): void {
  const a = Float64Array.from(x1.contiguousArray()), b = Float64Array.from(x2.contiguousArray());
  const t = target.contiguousArray();
  const D = x1.shape[x1.ndim - 1]!;
  const N = target.ndim === 0 ? 1 : target.shape[0]!;
  const EPS = 1e-12;
  const v = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let p = 0, m1 = 0, m2 = 0;
    for (let d = 0; d < D; d++) {
      const u = a[n * D + d]!, w = b[n * D + d]!;
      p += u * w;
      m1 += u * u;
      m2 += w * w;
    }
    const cos = p / Math.sqrt((m1 + EPS) * (m2 + EPS));
    const tn = t[n]!;
    v[n] = (tn === 1 ? 1 - cos : 0) + (tn === -1 ? Math.max(cos - margin, 0) : 0);
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** multi_margin_loss: per sample, sum over j != y of max(0, margin - x[y] + x[j])^p (* w[y]) / C. */
export function multiMargin(x: Tensor, target: Tensor, p: number, margin: number, weight: Tensor | null, reduction: number, out: Tensor): void {
  const a = Float64Array.from(x.contiguousArray());
  const t = target.contiguousArray();
  const w = weight ? Float64Array.from(weight.contiguousArray()) : null;
  const [N, C] = x.ndim <= 1 ? [1, x.ndim === 0 ? 1 : x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
  const v = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const y = t[n]!;
    if (!(y >= 0 && y < C)) throw new RangeError('target out of range');
    const xy = a[n * C + y]!;
    let s = 0;
    for (let j = 0; j < C; j++) {
      if (j === y) continue;
      const z = margin - xy + a[n * C + j]!;
      if (z > 0) s += (p === 1 ? z : z * z) * (w ? w[y]! : 1);
    }
    v[n] = s / C;
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** multilabel_margin_loss: targets are class indices ended by -1; hinge of each target against each non-target. */
export function multilabelMargin(x: Tensor, target: Tensor, reduction: number, out: Tensor): void {
  const a = Float64Array.from(x.contiguousArray());
  const t = target.contiguousArray();
  const [N, C] = x.ndim <= 1 ? [1, x.ndim === 0 ? 1 : x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
  const v = new Float64Array(N);
  const isTarget = new Uint8Array(C);
  for (let n = 0; n < N; n++) {
    isTarget.fill(0);
    for (let k = 0; k < C; k++) {
      const y = t[n * C + k]!;
      if (y < 0) break;
      if (y >= C) throw new RangeError(`target index ${y} is out of range for ${C} classes`);
      isTarget[y] = 1;
    }
    let s = 0;
    for (let k = 0; k < C; k++) {
      const y = t[n * C + k]!;
      if (y < 0) break;
      const xy = a[n * C + y]!;
      for (let j = 0; j < C; j++) {
        if (isTarget[j]) continue;
        const z = 1 - xy + a[n * C + j]!;
        if (z > 0) s += z;
      }
    }
    v[n] = s / C;
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** poisson_nll_loss: exp(x) - t x (log_input) or x - t log(x + eps), plus Stirling's term for t > 1 when full. */
export function poissonNll(x: Tensor, target: Tensor, logInput: boolean, full: boolean, eps: number, reduction: number, out: Tensor): void {
  const { values: [a, t] } = expandAll([x, target]);
  const v = new Float64Array(a!.length);
  for (let i = 0; i < v.length; i++) {
    const xi = a![i]!, ti = t![i]!;
    let l = logInput ? Math.exp(xi) - ti * xi : xi - ti * Math.log(xi + eps);
    if (full && ti > 1) l += ti * Math.log(ti) - ti + 0.5 * Math.log(2 * Math.PI * ti);
    v[i] = l;
  }
  writeLoss(out, reduceLoss(v, reduction));
}

/** pairwise_distance along the last dim: ||x1 - x2 + eps||_p (rows broadcast). */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p: number, eps: number): { shape: number[]; d: Float64Array } {
  const { shape, values: [a, b] } = expandAll([x1, x2]);
  const D = shape.length ? shape[shape.length - 1]! : 1;
  const rows = D === 0 ? 0 : a!.length / D;
  const d = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < D; k++) {
      const z = Math.abs(a![r * D + k]! - b![r * D + k]! + eps);
      if (p === Infinity) s = Math.max(s, z);
      else if (p === 0) s += z !== 0 ? 1 : 0;
      else if (p === 1) s += z;
      else if (p === 2) s += z * z;
      else s += z ** p;
    }
    d[r] = p === Infinity || p === 0 || p === 1 ? s : p === 2 ? Math.sqrt(s) : s ** (1 / p);
  }
  return { shape: shape.slice(0, -1), d };
}

/** triplet_margin_loss: max(0, margin + d(a, p) - d(a, n)), d(a, n) replaced by min(d(a, n), d(p, n)) with swap. */
export function tripletMargin(an: Tensor, pos: Tensor, neg: Tensor, margin: number, p: number, eps: number, swap: boolean, reduction: number, out: Tensor): void {
  const dp = pairwiseDistance(an, pos, p, eps).d;
  const dn = pairwiseDistance(an, neg, p, eps).d;
  if (swap) {
    const ds = pairwiseDistance(pos, neg, p, eps).d;
    for (let i = 0; i < dn.length; i++) dn[i] = Math.min(dn[i]!, ds[i]!);
  }
  const v = new Float64Array(dp.length);
  for (let i = 0; i < v.length; i++) v[i] = Math.max(margin + dp[i]! - dn[i]!, 0);
  writeLoss(out, reduceLoss(v, reduction));
}

const logSigmoid = (x: number): number => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));

/** F.gaussian_nll_loss: 0.5 (log(max(var, eps)) + (x - t)^2 / max(var, eps)) (+ 0.5 log 2 pi when full). */
export function gaussianNll(x: Tensor, target: Tensor, variance: Tensor, full: boolean, eps: number, reduction: number, out: Tensor): void {
  const { values: [a, t, v] } = expandAll([x, target, variance]);
  const o = new Float64Array(a!.length);
  const c = full ? 0.5 * Math.log(2 * Math.PI) : 0;
  for (let i = 0; i < o.length; i++) {
    const vi = Math.max(v![i]!, eps);
    const d = a![i]! - t![i]!;
    o[i] = 0.5 * (Math.log(vi) + (d * d) / vi) + c;
  }
  writeLoss(out, reduceLoss(o, reduction));
}

/** F.multilabel_soft_margin_loss: mean over classes of -(t logsigmoid(x) + (1 - t) logsigmoid(-x)) (* weight). */
export function multilabelSoftMargin(x: Tensor, target: Tensor, weight: Tensor | null, reduction: number, out: Tensor): void {
  const { shape, values } = expandAll(weight ? [x, target, weight] : [x, target]);
  const [a, t, w] = values;
  const C = shape.length ? shape[shape.length - 1]! : 1;
  const rows = C === 0 ? 0 : a!.length / C;
  const o = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < C; k++) {
      const i = r * C + k;
      const l = -(t![i]! * logSigmoid(a![i]!) + (1 - t![i]!) * logSigmoid(-a![i]!));
      s += w ? l * w[i]! : l;
    }
    o[r] = s / C;
  }
  writeLoss(out, reduceLoss(o, reduction));
}
