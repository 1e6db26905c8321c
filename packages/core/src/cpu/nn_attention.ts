/**
 * CPU reference kernels for PyTorch 1.13's attention ops: _masked_softmax, the fused
 * _native_multi_head_attention and _transformer_encoder_layer_fwd (nn.MultiheadAttention and
 * nn.TransformerEncoderLayer fast paths), and _scaled_dot_product_attention (math path).
 */
import type { Tensor } from '../tensor.js';
import { matmulNT } from './nn_rnn.js';
import { f64, shapeStr } from './nn_util.js';
import { geluErf } from './pointwise_math.js';

/**
 * Softmax of `rows` rows of `len` elements in place; `masked(row, j)` excludes an element (it gets
 * 0; a fully masked row gives NaN, as ATen's masked host_softmax computes 0 * (1 / 0)).
 */
export function softmaxRows(x: Float64Array, rows: number, len: number, masked?: (row: number, j: number) => boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * len;
    let max = -Infinity;
    for (let j = 0; j < len; j++) if (!masked?.(r, j) && x[o + j]! > max) max = x[o + j]!;
    let sum = 0;
    for (let j = 0; j < len; j++) {
      const z = masked?.(r, j) ? 0 : Math.exp(x[o + j]! - max);
      x[o + j] = z;
      sum += z;
    }
    const inv = 1 / sum;
    for (let j = 0; j < len; j++) x[o + j] = x[o + j]! * inv;
  }
}

/**
 * _masked_softmax(input, mask, dim, mask_type) as PyTorch 1.13's CPU kernel: softmax along `dim`
 * that skips elements whose (same-shaped) mask is true; a fully masked row gives NaN.
 */
export function maskedSoftmax(input: Tensor, mask: Tensor, dim: number, out: Tensor): void {
  const x = f64(input);
  const m = mask.contiguousArray();
  const shape = input.ndim === 0 ? [1] : input.shape;
  const dimSize = shape[dim]!;
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  const o = out.hostArray;
  for (let oi = 0; oi < outer; oi++) {
    for (let ii = 0; ii < inner; ii++) {
      const base = oi * dimSize * inner + ii;
      let max = -Infinity;
      for (let d = 0; d < dimSize; d++) if (!m[base + d * inner] && x[base + d * inner]! > max) max = x[base + d * inner]!;
      let sum = 0;
      for (let d = 0; d < dimSize; d++) {
        const z = m[base + d * inner] ? 0 : Math.exp(x[base + d * inner]! - max);
        o[base + d * inner] = z;
        sum += z;
      }
      const inv = 1 / sum;
      for (let d = 0; d < dimSize; d++) o[base + d * inner] = o[base + d * inner]! * inv;
    }
  }
}

/** Checks _masked_softmax's arguments as PyTorch 1.13's CPU kernel does (mask_type 1 and 2 behave alike). */
export function checkMaskedSoftmax(input: Tensor, mask: Tensor, maskType: number | null): void {
  if (mask.dtype !== 'bool') throw new TypeError('Mask should be a boolean tensor');
  if (maskType === null) throw new Error('Mask Type should be defined');
  if (maskType !== 0 && maskType !== 1 && maskType !== 2) throw new RangeError('Mask Type should be 0 (src_mask), 1 (src_key_padding_mask), or 2 (default_mask)');
  if (mask.ndim !== input.ndim || mask.shape.some((s, i) => s !== input.shape[i])) throw new RangeError(`Mask shape should match input shape (mask ${shapeStr(mask.shape)}, input ${shapeStr(input.shape)})`);
  if (maskType === 0) throw new Error('src_mask not currently supported on CPU');
}

export interface MhaWeights {
  qkvW: Float64Array;
  qkvB: Float64Array;
  projW: Float64Array;
  projB: Float64Array;
}

/**
 * Checks _native_multi_head_attention's arguments; returns [B, T, S]. A mask (any dtype, nonzero
 * = masked) is [B, S] (key padding) or [B, H, T, S]; mask_type 0 is not supported on CPU in 1.13.
 */
export function checkMha(q: Tensor, k: Tensor, v: Tensor, E: number, H: number, qkvW: Tensor, mask: Tensor | null, maskType: number | null): [number, number, number] {
  if (q.ndim !== 3) throw new RangeError(`expected 3-D \`query\`, got ${q.ndim}-D tensor`);
  if (k.ndim !== 3) throw new RangeError(`expected 3-D \`key\`, got ${k.ndim}-D tensor`);
  if (v.ndim !== 3) throw new RangeError(`expected 3-D \`value\`, got ${v.ndim}-D tensor`);
  if (!k.shape.every((s, i) => s === v.shape[i]) || k.shape[0] !== q.shape[0] || k.shape[2] !== q.shape[2]) {
    throw new RangeError('expected `query`/`key`/`value` shapes to match');
  }
  if (q.shape[2] !== E) throw new RangeError(`passed-in embed_dim ${E} didn't match last dim of query ${q.shape[2]}`);
  if (H <= 0 || E % H !== 0) throw new RangeError('`embed_dim` must divide evenly by `num_heads`');
  if (qkvW.ndim !== 2 || qkvW.shape[0] !== 3 * E || qkvW.shape[1] !== E) throw new RangeError(`expected qkv_weight of shape ${shapeStr([3 * E, E])}, got ${shapeStr(qkvW.shape)}`);
  const [B, T] = [q.shape[0]!, q.shape[1]!];
  const S = k.shape[1]!;
  if (mask) {
    if (maskType === null) throw new Error('Mask Type should be defined');
    if (maskType === 0) throw new Error('src_mask not currently supported on CPU');
    if (mask.ndim === 2) {
      if (mask.shape[0] !== B) throw new RangeError('Expected attn_mask->sizes()[0] == batch_size to be true, but got false.');
      if (mask.shape[1] !== S) throw new RangeError('Expected attn_mask->sizes()[1] == seq_len to be true, but got false.');
    } else if (mask.ndim !== 4 || mask.shape[0] !== B || mask.shape[1] !== H || mask.shape[2] !== T || mask.shape[3] !== S) {
      throw new RangeError(`Mask shape should match input shape (mask ${shapeStr(mask.shape)}, attention scores ${shapeStr([B, H, T, S])})`);
    }
  }
  return [B, T, S];
}

/**
 * Multi-head attention as ATen's native_multi_head_attention computes it: q, k, v projections
 * with the packed qkv weight, q scaled by 1/sqrt(head_dim), masked softmax over keys, the output
 * projection; weights averaged over heads when asked.
 */
export function mhaForward(
  q: Float64Array, k: Float64Array, v: Float64Array, B: number, T: number, S: number, E: number, H: number, w: MhaWeights,
  maskAt: ((b: number, h: number, t: number, s: number) => boolean) | null, needWeights: boolean, average: boolean,
): { out: Float64Array; weights: Float64Array | null } {
  const dh = E / H;
  const qb = w.qkvB.subarray(0, E), kb = w.qkvB.subarray(E, 2 * E), vb = w.qkvB.subarray(2 * E, 3 * E);
  const Q = matmulNT(q, B * T, E, w.qkvW.subarray(0, E * E), E, qb);
  const K = matmulNT(k, B * S, E, w.qkvW.subarray(E * E, 2 * E * E), E, kb);
  const V = matmulNT(v, B * S, E, w.qkvW.subarray(2 * E * E, 3 * E * E), E, vb);
  const scale = Math.sqrt(dh);
  for (let i = 0; i < Q.length; i++) Q[i] = Q[i]! / scale;
  const ctx = new Float64Array(B * T * E);
  const weights = needWeights ? new Float64Array(average ? B * T * S : B * H * T * S) : null;
  const qh = new Float64Array(T * dh), kh = new Float64Array(S * dh), vhT = new Float64Array(dh * S);
  const sc = new Float64Array(T * S), ch = new Float64Array(T * dh);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      // this head's slices, contiguous: q [T, dh], k [S, dh], v^T [dh, S]
      for (let t = 0; t < T; t++) for (let d = 0; d < dh; d++) qh[t * dh + d] = Q[(b * T + t) * E + h * dh + d]!;
      for (let j = 0; j < S; j++) {
        for (let d = 0; d < dh; d++) {
          kh[j * dh + d] = K[(b * S + j) * E + h * dh + d]!;
          vhT[d * S + j] = V[(b * S + j) * E + h * dh + d]!;
        }
      }
      matmulNT(qh, T, dh, kh, S, null, sc);
      softmaxRows(sc, T, S, maskAt ? (t, j) => maskAt(b, h, t, j) : undefined);
      matmulNT(sc, T, S, vhT, dh, null, ch);
      for (let t = 0; t < T; t++) for (let d = 0; d < dh; d++) ctx[(b * T + t) * E + h * dh + d] = ch[t * dh + d]!;
      if (weights) {
        if (average) for (let i = 0; i < T * S; i++) weights[b * T * S + i] = weights[b * T * S + i]! + sc[i]! / H;
        else weights.set(sc, ((b * H + h) * T) * S);
      }
    }
  }
  const out = matmulNT(ctx, B * T, E, w.projW, E, w.projB);
  return { out, weights };
}

/** A mask lookup (true = masked) for a [B, S] or [B, H, T, S] mask of any dtype. */
export function mhaMask(mask: Tensor | null, H: number, T: number, S: number): ((b: number, h: number, t: number, s: number) => boolean) | null {
  if (!mask) return null;
  const m = mask.contiguousArray();
  if (mask.ndim === 2) return (b, _h, _t, s) => m[b * S + s] !== 0;
  return (b, h, t, s) => m[((b * H + h) * T + t) * S + s] !== 0;
}

/** Row-wise layer norm over the last `E` elements (eps, weight, bias), in place into `out`. */
export function layerNormRows(x: Float64Array, rows: number, E: number, eps: number, w: Float64Array, b: Float64Array, out = new Float64Array(x.length)): Float64Array {
  for (let r = 0; r < rows; r++) {
    const o = r * E;
    let s = 0;
    for (let j = 0; j < E; j++) s += x[o + j]!;
    const m = s / E;
    let ss = 0;
    for (let j = 0; j < E; j++) ss += (x[o + j]! - m) ** 2;
    const rstd = 1 / Math.sqrt(ss / E + eps);
    for (let j = 0; j < E; j++) out[o + j] = (x[o + j]! - m) * rstd * w[j]! + b[j]!;
  }
  return out;
}

/** _transformer_encoder_layer_fwd: self-attention block and feed-forward block, post- or pre-norm. */
export function transformerEncoderLayer(
  src: Tensor, E: number, H: number, w: MhaWeights, useGelu: boolean, normFirst: boolean, eps: number,
  n1w: Tensor, n1b: Tensor, n2w: Tensor, n2b: Tensor, f1w: Tensor, f1b: Tensor, f2w: Tensor, f2b: Tensor, mask: Tensor | null,
): Float64Array {
  const [B, T] = [src.shape[0]!, src.shape[1]!];
  const rows = B * T;
  const x0 = f64(src);
  const ln1 = (v: Float64Array): Float64Array => layerNormRows(v, rows, E, eps, f64(n1w), f64(n1b));
  const ln2 = (v: Float64Array): Float64Array => layerNormRows(v, rows, E, eps, f64(n2w), f64(n2b));
  const maskAt = mhaMask(mask, H, T, T);
  let a = normFirst ? ln1(x0) : x0;
  a = mhaForward(a, a, a, B, T, T, E, H, w, maskAt, false, true).out;
  for (let i = 0; i < a.length; i++) a[i] = a[i]! + x0[i]!;
  if (!normFirst) a = ln1(a);
  const res = a;
  let f = normFirst ? ln2(a) : a;
  const F = f1w.shape[0]!;
  const hdn = matmulNT(f, rows, E, f64(f1w), F, f64(f1b));
  for (let i = 0; i < hdn.length; i++) {
    const v = hdn[i]!;
    hdn[i] = useGelu ? geluErf(v) : v > 0 ? v : Number.isNaN(v) ? v : 0;
  }
  f = matmulNT(hdn, rows, F, f64(f2w), E, f64(f2b));
  for (let i = 0; i < f.length; i++) f[i] = f[i]! + res[i]!;
  return normFirst ? f : ln2(f);
}

/** Offset, in matrices, of batch element `b` of a `full` batch in an operand with batch dims `own` (broadcast). */
export function batchOffset(own: readonly number[], full: readonly number[], b: number): number {
  let idx = 0, rem = b, stride = 1;
  for (let i = full.length - 1; i >= 0; i--) {
    const coord = rem % full[i]!;
    rem = Math.floor(rem / full[i]!);
    const j = i - (full.length - own.length);
    if (j >= 0) {
      if (own[j] !== 1) idx += coord * stride;
      stride *= own[j]!;
    }
  }
  return idx;
}

/**
 * _scaled_dot_product_attention (1.13 math path), attention weights: softmax(q k^T / sqrt(E) +
 * mask) over the last two dims, batch dims broadcast as matmul does. A bool mask marks the
 * positions that take part (is_causal: the lower triangle); a float mask is added. `scaleFactor`
 * replaces 1/sqrt(E) (PyTorch 2.1's `scale`).
 */
export function sdpaWeights(q: Tensor, k: Tensor, mask: Tensor | null, causal: boolean, batch: number[], scaleFactor?: number | null): Float64Array {
  const L = q.shape[q.ndim - 2]!, E = q.shape[q.ndim - 1]!;
  const S = k.shape[k.ndim - 2]!;
  const nb = batch.reduce((p, s) => p * s, 1);
  const Q = f64(q), K = f64(k);
  const M = mask ? f64(mask) : null;
  const maskIsBool = mask?.dtype === 'bool';
  // the mask broadcasts against [..., L, S]
  const mShape = mask ? [...new Array<number>(Math.max(0, 2 - mask.ndim)).fill(1), ...mask.shape] : [1, 1];
  const mRows = mShape[mShape.length - 2]!, mCols = mShape[mShape.length - 1]!;
  const mBatch = mShape.slice(0, -2);
  const qb = q.shape.slice(0, -2), kb = k.shape.slice(0, -2);
  const sqrtE = Math.sqrt(E);
  const attn = new Float64Array(nb * L * S);
  for (let b = 0; b < nb; b++) {
    const qo = batchOffset(qb, batch, b) * L * E, ko = batchOffset(kb, batch, b) * S * E;
    const mo = M ? batchOffset(mBatch, batch, b) * mRows * mCols : 0;
    const sc = attn.subarray(b * L * S, (b + 1) * L * S);
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < S; j++) {
        let acc = 0;
        for (let d = 0; d < E; d++) acc += Q[qo + i * E + d]! * K[ko + j * E + d]!;
        let val = scaleFactor === undefined || scaleFactor === null ? acc / sqrtE : acc * scaleFactor;
        if (causal) {
          if (j > i) val = -Infinity;
        } else if (M) {
          const mv = M[mo + (mRows === 1 ? 0 : i) * mCols + (mCols === 1 ? 0 : j)]!;
          val = maskIsBool ? (mv ? val : -Infinity) : val + mv;
        }
        sc[i * S + j] = val;
      }
    }
    softmaxRows(sc, L, S);
  }
  return attn;
}

/** out = attn @ v in the sdpa batch layout. */
export function sdpaApply(attn: Float64Array, v: Tensor, L: number, S: number, batch: number[]): Float64Array {
  const Ev = v.shape[v.ndim - 1]!;
  const V = f64(v);
  const nb = batch.reduce((p, s) => p * s, 1);
  const vb = v.shape.slice(0, -2);
  const out = new Float64Array(nb * L * Ev);
  for (let b = 0; b < nb; b++) {
    const vo = batchOffset(vb, batch, b) * S * Ev;
    for (let i = 0; i < L; i++) {
      const oo = (b * L + i) * Ev;
      for (let j = 0; j < S; j++) {
        const p = attn[(b * L + i) * S + j]!;
        for (let d = 0; d < Ev; d++) out[oo + d] = out[oo + d]! + p * V[vo + j * Ev + d]!;
      }
    }
  }
  return out;
}
