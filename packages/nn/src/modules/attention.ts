import { Tensor, tidy, toDevice, type DType, type DeviceType } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { constant_, xavier_normal_, xavier_uniform_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, op, opTuple } from '../ops.js';
import type { Parameter } from '../parameter.js';
import { Linear, placeOn } from './linear.js';

export interface MultiheadAttentionKwargs extends FactoryKwargs {
  embed_dim?: number;
  num_heads?: number;
  dropout?: number;
  bias?: boolean;
  add_bias_kv?: boolean;
  add_zero_attn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batch_first?: boolean;
}

export interface MHAForwardOptions {
  key_padding_mask?: Tensor | null;
  need_weights?: boolean;
  attn_mask?: Tensor | null;
  average_attn_weights?: boolean;
}

/** The out_proj class PyTorch uses (a Linear that quantization leaves alone). */
export class NonDynamicallyQuantizableLinear extends Linear {}

const sizeStr = (s: readonly number[]): string => `torch.Size([${s.join(', ')}])`;

/**
 * A boolean (or uint8) mask as an additive float mask: -inf where true, 0 elsewhere; float masks
 * are returned as they are.
 */
export function additiveMask(mask: Tensor, dtype: DType, what: string): Tensor {
  if (mask.dtype === 'float32' || mask.dtype === 'float64' || mask.dtype === 'float16') return mask;
  if (mask.dtype === 'uint8') console.warn(`Byte tensor for ${what} in nn.MultiheadAttention is deprecated. Use bool tensor instead.`);
  else if (mask.dtype !== 'bool') throw new TypeError(`only bool and floating types of ${what} are supported`);
  if (mask.device !== 'cpu') throw new Error(`${what}: boolean masks must be on the CPU (convert it to a float mask on the device instead)`);
  const src = mask.contiguousArray();
  const out = Tensor.empty([...mask.shape], dtype);
  const a = out.hostArray;
  for (let i = 0; i < src.length; i++) a[i] = src[i] ? -Infinity : 0;
  return out;
}

/**
 * Multi-head attention as PyTorch 1.13's F.multi_head_attention_forward computes it. Returns
 * `[attn_output, attn_weights | null]`; weights are averaged over heads unless
 * `average_attn_weights: false`.
 */
export class MultiheadAttention extends Module {
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;
  declare out_proj: Linear;
  readonly embed_dim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly _qkv_same_embed_dim: boolean;
  readonly num_heads: number;
  readonly dropout: number;
  readonly batch_first: boolean;
  readonly head_dim: number;
  readonly add_zero_attn: boolean;

  constructor(
    ...args: PyArgs<
      [embed_dim: number, num_heads: number],
      [dropout: number, bias: boolean, add_bias_kv: boolean, add_zero_attn: boolean, kdim: number | null, vdim: number | null, batch_first: boolean, device: DeviceType | null, dtype: DType | null],
      MultiheadAttentionKwargs
    >
  ) {
    super();
    const a = bindArgs('MultiheadAttention', args, [
      ['embed_dim'], ['num_heads'], ['dropout', 0.0], ['bias', true], ['add_bias_kv', false], ['add_zero_attn', false],
      ['kdim', null], ['vdim', null], ['batch_first', false], ['device', null], ['dtype', null],
    ]);
    const E = a.embed_dim as number;
    this.embed_dim = E;
    this.kdim = a.kdim ?? E;
    this.vdim = a.vdim ?? E;
    this._qkv_same_embed_dim = this.kdim === E && this.vdim === E;
    this.num_heads = a.num_heads;
    this.dropout = a.dropout;
    this.batch_first = a.batch_first;
    this.head_dim = Math.floor(E / a.num_heads);
    if (this.head_dim * a.num_heads !== E) throw new RangeError('embed_dim must be divisible by num_heads');
    if (!this._qkv_same_embed_dim) {
      this.registerParameter('q_proj_weight', emptyParam([E, E], a.dtype));
      this.registerParameter('k_proj_weight', emptyParam([E, this.kdim], a.dtype));
      this.registerParameter('v_proj_weight', emptyParam([E, this.vdim], a.dtype));
      this.registerParameter('in_proj_weight', null);
    } else {
      this.registerParameter('in_proj_weight', emptyParam([3 * E, E], a.dtype));
      this.registerParameter('q_proj_weight', null);
      this.registerParameter('k_proj_weight', null);
      this.registerParameter('v_proj_weight', null);
    }
    this.registerParameter('in_proj_bias', a.bias ? emptyParam([3 * E], a.dtype) : null);
    this.registerModule('out_proj', new NonDynamicallyQuantizableLinear(E, E, { bias: a.bias, dtype: a.dtype }));
    if (a.add_bias_kv) {
      this.registerParameter('bias_k', emptyParam([1, 1, E], a.dtype));
      this.registerParameter('bias_v', emptyParam([1, 1, E], a.dtype));
    } else {
      this.registerParameter('bias_k', null);
      this.registerParameter('bias_v', null);
    }
    this.add_zero_attn = a.add_zero_attn;
    this._reset_parameters();
    placeOn(this, a.device);
  }

  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) xavier_uniform_(this.in_proj_weight!);
    else {
      xavier_uniform_(this.q_proj_weight!);
      xavier_uniform_(this.k_proj_weight!);
      xavier_uniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias) {
      constant_(this.in_proj_bias, 0);
      if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    }
    if (this.bias_k) xavier_normal_(this.bias_k);
    if (this.bias_v) xavier_normal_(this.bias_v);
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options: MHAForwardOptions = {}): [Tensor, Tensor | null] {
    const { key_padding_mask = null, need_weights = true, attn_mask = null, average_attn_weights = true } = options;
    const r = tidy(() => {
      const res = this._attention(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights);
      return res[1] ? res : [res[0]];
    });
    return [r[0]!, r[1] ?? null];
  }

  private _attention(
    query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor | null, needWeights: boolean, attnMask: Tensor | null, average: boolean,
  ): [Tensor, Tensor | null] {
    const isBatched = query.ndim === 3;
    const selfAttn = query === key && key === value;
    const kvSame = key === value;
    let q = query, k = key, v = value;
    if (this.batch_first && isBatched) {
      q = op('aten::transpose', q, 0, 1);
      k = selfAttn ? q : op('aten::transpose', k, 0, 1);
      v = kvSame ? k : op('aten::transpose', v, 0, 1);
    }
    // shape checks (_mha_shape_check)
    if (isBatched) {
      if (key.ndim !== 3 || value.ndim !== 3) throw new RangeError(`For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
      if (keyPaddingMask && keyPaddingMask.ndim !== 2) throw new RangeError(`For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${keyPaddingMask.ndim}-D tensor instead`);
      if (attnMask && attnMask.ndim !== 2 && attnMask.ndim !== 3) throw new RangeError(`For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`);
    } else if (query.ndim === 2) {
      if (key.ndim !== 2 || value.ndim !== 2) throw new RangeError(`For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
      if (keyPaddingMask && keyPaddingMask.ndim !== 1) throw new RangeError(`For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${keyPaddingMask.ndim}-D tensor instead`);
      q = op('aten::unsqueeze', q, 1);
      k = selfAttn ? q : op('aten::unsqueeze', k, 1);
      v = kvSame ? k : op('aten::unsqueeze', v, 1);
      if (keyPaddingMask) keyPaddingMask = op('aten::unsqueeze', keyPaddingMask, 0);
    } else {
      throw new RangeError(`query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
    }
    const [tgtLen, bsz, E] = q.shape as [number, number, number];
    const nh = this.num_heads, hd = this.head_dim;
    if (E !== this.embed_dim) throw new RangeError(`was expecting embedding dimension of ${this.embed_dim}, but got ${E}`);
    if (k.shape[0] !== v.shape[0] || k.shape[1] !== v.shape[1]) throw new RangeError(`key shape ${sizeStr(k.shape)} does not match value shape ${sizeStr(v.shape)}`);

    // input projections
    const b = this.in_proj_bias;
    const bq = b ? op('aten::slice', b, 0, 0, E) : null;
    const bk = b ? op('aten::slice', b, 0, E, 2 * E) : null;
    const bv = b ? op('aten::slice', b, 0, 2 * E, 3 * E) : null;
    let qp: Tensor, kp: Tensor, vp: Tensor;
    if (this._qkv_same_embed_dim) {
      const w = this.in_proj_weight!;
      if (selfAttn) {
        [qp, kp, vp] = opTuple('aten::chunk', op('aten::linear', q, w, b), 3, -1) as [Tensor, Tensor, Tensor];
      } else {
        qp = op('aten::linear', q, op('aten::slice', w, 0, 0, E), bq);
        kp = op('aten::linear', k, op('aten::slice', w, 0, E, 2 * E), bk);
        vp = op('aten::linear', v, op('aten::slice', w, 0, 2 * E, 3 * E), bv);
      }
    } else {
      qp = op('aten::linear', q, this.q_proj_weight, bq);
      kp = op('aten::linear', k, this.k_proj_weight, bk);
      vp = op('aten::linear', v, this.v_proj_weight, bv);
    }

    // masks as additive float masks
    let mask: Tensor | null = null;
    if (attnMask) {
      mask = additiveMask(attnMask, qp.dtype, 'attn_mask');
      if (mask.device !== qp.device) mask = toDevice(mask, qp.device);
      const srcLen0 = kp.shape[0]!;
      if (mask.ndim === 2) {
        if (mask.shape[0] !== tgtLen || mask.shape[1] !== srcLen0) throw new RangeError(`The shape of the 2D attn_mask is ${sizeStr(mask.shape)}, but should be ${sizeStr([tgtLen, srcLen0])}.`);
        mask = op('aten::unsqueeze', mask, 0);
      } else if (mask.ndim === 3) {
        const want = [bsz * nh, tgtLen, srcLen0];
        if (mask.shape.some((s, i) => s !== want[i])) throw new RangeError(`The shape of the 3D attn_mask is ${sizeStr(mask.shape)}, but should be ${sizeStr(want)}.`);
      } else throw new RangeError(`attn_mask's dimension ${mask.ndim} is not supported`);
    }
    let kpm: Tensor | null = keyPaddingMask ? additiveMask(keyPaddingMask, qp.dtype, 'key_padding_mask') : null;
    if (kpm && kpm.device !== qp.device) kpm = toDevice(kpm, qp.device);

    // add_bias_kv
    if (this.bias_k && this.bias_v) {
      kp = op('aten::cat', [kp, op('aten::expand', this.bias_k, [1, bsz, E])], 0);
      vp = op('aten::cat', [vp, op('aten::expand', this.bias_v, [1, bsz, E])], 0);
      if (mask) mask = padLast(mask);
      if (kpm) kpm = padLast(kpm);
    }

    // (L, B, E) -> (B * nh, L, hd)
    const heads = (t: Tensor): Tensor => op('aten::transpose', op('aten::reshape', op('aten::contiguous', t), [t.shape[0]!, bsz * nh, hd]), 0, 1);
    const qh = heads(qp);
    let kh = heads(kp), vh = heads(vp);
    if (this.add_zero_attn) {
      const z = Tensor.empty([bsz * nh, 1, hd], kh.dtype);
      const zd = z.device === kh.device ? z : toDevice(z, kh.device);
      kh = op('aten::cat', [kh, zd], 1);
      vh = op('aten::cat', [vh, zd], 1);
      if (mask) mask = padLast(mask);
      if (kpm) kpm = padLast(kpm);
    }
    const srcLen = kh.shape[1]!;
    if (kpm) {
      if (kpm.shape[0] !== bsz || kpm.shape[1] !== srcLen) throw new RangeError(`expecting key_padding_mask shape of ${sizeStr([bsz, srcLen])}, but got ${sizeStr(kpm.shape)}`);
      const k4 = op('aten::reshape', op('aten::expand', op('aten::reshape', kpm, [bsz, 1, 1, srcLen]), [bsz, nh, 1, srcLen]), [bsz * nh, 1, srcLen]);
      mask = mask ? op('aten::add', mask, k4) : k4;
    }

    // scaled dot-product attention
    const qs = op('aten::div', qh, Math.sqrt(hd));
    let attn = op('aten::bmm', qs, op('aten::transpose', kh, -2, -1));
    if (mask) attn = op('aten::add', attn, mask);
    attn = op('aten::softmax', attn, -1);
    const p = this.training ? this.dropout : 0;
    const attnDrop = p > 0 ? op('aten::dropout', attn, p, true) : attn;
    let out = op('aten::bmm', attnDrop, vh);
    out = op('aten::reshape', op('aten::contiguous', op('aten::transpose', out, 0, 1)), [tgtLen * bsz, E]);
    out = op('aten::linear', out, this.out_proj.weight, this.out_proj.bias);
    out = op('aten::reshape', out, [tgtLen, bsz, out.shape[1]!]);

    let weights: Tensor | null = null;
    if (needWeights) {
      weights = op('aten::reshape', attnDrop, [bsz, nh, tgtLen, srcLen]);
      if (average) weights = op('aten::div', op('aten::sum', weights, [1]), nh);
      if (!isBatched) weights = op('aten::squeeze', weights, 0);
    }
    if (!isBatched) out = op('aten::squeeze', out, 1);
    else if (this.batch_first) out = op('aten::transpose', out, 1, 0);
    return [out, weights];
  }
}

/** F.pad(mask, (0, 1)): one more zero column on the last dim. */
function padLast(m: Tensor): Tensor {
  const z = Tensor.empty([...m.shape.slice(0, -1), 1], m.dtype);
  return op('aten::cat', [m, z.device === m.device ? z : toDevice(z, m.device)], -1);
}
