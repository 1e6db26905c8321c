import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import { defineOp, type Args } from '../../registry.js';
import { tidy } from '../../scope.js';
import { Tensor } from '../../tensor.js';
import { checkMha, mhaForward, mhaMask } from '../../cpu/nn_attention.js';
import { dtypeName, f64 } from '../../cpu/nn_util.js';

function check(a: Args): [number, number, number] {
  const q = a.query as Tensor;
  if (!isFloating(q.dtype)) throw new Error(`"native_multi_head_attention" not implemented for '${dtypeName(q.dtype)}'`);
  return checkMha(q, a.key, a.value, a.embed_dim, a.num_head, a.qkv_weight, a.mask, a.mask_type);
}

/** The attention computation from registry ops (for backends without a fused kernel). */
export function mhaDecompose(a: Args): Tensor[] {
  const [B, T, S] = check(a);
  const E = a.embed_dim as number, H = a.num_head as number, dh = E / H;
  return tidy(() => {
    const [wq, wk, wv] = callOp('aten::unsafe_chunk', [a.qkv_weight, 3, 0]) as Tensor[];
    const [bq, bk, bv] = callOp('aten::unsafe_chunk', [a.qkv_bias, 3, 0]) as Tensor[];
    const heads = (x: Tensor, w: Tensor, b: Tensor, L: number): Tensor =>
      callOp('aten::transpose', [callOp('aten::view', [callOp('aten::linear', [x, w, b]), [B, L, H, dh]]), 1, 2]) as Tensor;
    const q = callOp('aten::div', [heads(a.query, wq!, bq!, T), Math.sqrt(dh)]) as Tensor;
    const k = heads(a.key, wk!, bk!, S), v = heads(a.value, wv!, bv!, S);
    let scores = callOp('aten::matmul', [q, callOp('aten::transpose', [k, -2, -1])]) as Tensor;
    const mask = a.mask as Tensor | null;
    if (mask) {
      let m = mask.dtype === 'bool' ? mask : (callOp('aten::ne', [mask, 0]) as Tensor);
      if (m.ndim === 2) m = callOp('aten::view', [m, [B, 1, 1, S]]) as Tensor;
      scores = callOp('aten::softmax', [callOp('aten::masked_fill', [scores, m, -Infinity]), -1]) as Tensor;
    } else scores = callOp('aten::softmax', [scores, -1]) as Tensor;
    const ctx = callOp('aten::reshape', [callOp('aten::transpose', [callOp('aten::matmul', [scores, v]), 1, 2]), [B, T, E]]) as Tensor;
    const out = callOp('aten::linear', [ctx, a.proj_weight, a.proj_bias]) as Tensor;
    let w: Tensor;
    if (!a.need_weights) w = Tensor.empty([0], (a.query as Tensor).dtype, (a.query as Tensor).device);
    else if (a.average_attn_weights) w = callOp('aten::div', [callOp('aten::sum', [scores, [1]]), H]) as Tensor;
    else w = scores;
    return [out, w];
  });
}

/**
 * torch._native_multi_head_attention: nn.MultiheadAttention's fused fast path (batch-first
 * query/key/value [B, T, E], packed in-projection). The mask (nonzero = masked) is a [B, S] key
 * padding mask or a [B, H, T, S] mask; mask_type must be given with it (1 or 2; 0 is not supported
 * on CPU in PyTorch 1.13). Returns (out, weights): weights are [B, T, S] averaged over heads,
 * [B, H, T, S] per head, or an empty tensor when need_weights=False (PyTorch returns None).
 */
export const _native_multi_head_attention = defineOp({
  name: '_native_multi_head_attention',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::_native_multi_head_attention(Tensor query, Tensor key, Tensor value, int embed_dim, int num_head, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias, Tensor? mask=None, bool need_weights=True, bool average_attn_weights=True, int? mask_type=None) -> (Tensor, Tensor)',
      infer: (a) => {
        const [B, T, S] = check(a);
        const dtype = (a.query as Tensor).dtype;
        const wShape = !a.need_weights ? [0] : a.average_attn_weights ? [B, T, S] : [B, a.num_head as number, T, S];
        return [{ shape: [B, T, a.embed_dim as number], dtype }, { shape: wShape, dtype }];
      },
      cpu: (a, [out, w]) => {
        const q = a.query as Tensor, k = a.key as Tensor, v = a.value as Tensor;
        const [B, T] = [q.shape[0]!, q.shape[1]!];
        const S = k.shape[1]!;
        const E = a.embed_dim as number, H = a.num_head as number;
        const r = mhaForward(f64(q), f64(k), f64(v), B, T, S, E, H,
          { qkvW: f64(a.qkv_weight), qkvB: f64(a.qkv_bias), projW: f64(a.proj_weight), projB: f64(a.proj_bias) },
          mhaMask(a.mask, H, T, S), a.need_weights, a.average_attn_weights);
        out!.hostArray.set(r.out);
        if (r.weights) w!.hostArray.set(r.weights);
      },
      decompose: mhaDecompose,
    },
  ],
});
