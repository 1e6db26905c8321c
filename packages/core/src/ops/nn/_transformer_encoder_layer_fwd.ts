import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import { defineOp, type Args } from '../../registry.js';
import { tidy } from '../../scope.js';
import type { Tensor } from '../../tensor.js';
import { checkMha, transformerEncoderLayer } from '../../cpu/nn_attention.js';
import { dtypeName, f64, shapeStr } from '../../cpu/nn_util.js';

function check(a: Args): void {
  const src = a.src as Tensor;
  if (!isFloating(src.dtype)) throw new Error(`"transformer_encoder_layer_forward" not implemented for '${dtypeName(src.dtype)}'`);
  if (src.numel() === 0) return;
  checkMha(src, src, src, a.embed_dim, a.num_heads, a.qkv_weight, a.mask, a.mask_type);
  const E = a.embed_dim as number;
  const f1 = a.ffn_weight_1 as Tensor, f2 = a.ffn_weight_2 as Tensor;
  if (f1.ndim !== 2 || f1.shape[1] !== E || f2.ndim !== 2 || f2.shape[0] !== E || f2.shape[1] !== f1.shape[0]) {
    throw new RangeError(`feed-forward weights ${shapeStr(f1.shape)} and ${shapeStr(f2.shape)} do not fit embed_dim ${E}`);
  }
}

/**
 * torch._transformer_encoder_layer_fwd: nn.TransformerEncoderLayer's fused fast path on a
 * batch-first [B, T, E] input: x + self_attn(x) and x + ffn(x) with layer norms after (or, with
 * norm_first, before) each block; ffn = linear2(relu or gelu(linear1(x))).
 */
export const _transformer_encoder_layer_fwd = defineOp({
  name: '_transformer_encoder_layer_fwd',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::_transformer_encoder_layer_fwd(Tensor src, int embed_dim, int num_heads, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias, bool use_gelu, bool norm_first, float eps, Tensor norm_weight_1, Tensor norm_bias_1, Tensor norm_weight_2, Tensor norm_bias_2, Tensor ffn_weight_1, Tensor ffn_bias_1, Tensor ffn_weight_2, Tensor ffn_bias_2, Tensor? mask=None, int? mask_type=None) -> Tensor',
      infer: (a) => {
        check(a);
        const src = a.src as Tensor;
        return { shape: [...src.shape], dtype: src.dtype };
      },
      cpu: (a, [out]) => {
        const src = a.src as Tensor;
        if (src.numel() === 0) return;
        out!.hostArray.set(transformerEncoderLayer(src, a.embed_dim, a.num_heads,
          { qkvW: f64(a.qkv_weight), qkvB: f64(a.qkv_bias), projW: f64(a.proj_weight), projB: f64(a.proj_bias) },
          a.use_gelu, a.norm_first, a.eps, a.norm_weight_1, a.norm_bias_1, a.norm_weight_2, a.norm_bias_2,
          a.ffn_weight_1, a.ffn_bias_1, a.ffn_weight_2, a.ffn_bias_2, a.mask));
      },
      decompose: (a) => {
        check(a);
        const src = a.src as Tensor;
        if (src.numel() === 0) return callOp('aten::clone', [src]);
        const E = a.embed_dim as number;
        return tidy(() => {
          const ln = (x: Tensor, w: Tensor, b: Tensor): Tensor => callOp('aten::layer_norm', [x, [E], w, b, a.eps]) as Tensor;
          let x = a.norm_first ? ln(src, a.norm_weight_1, a.norm_bias_1) : src;
          const [attn] = callOp('aten::_native_multi_head_attention', [x, x, x, E, a.num_heads, a.qkv_weight, a.qkv_bias, a.proj_weight, a.proj_bias, a.mask, false, true, a.mask_type]) as Tensor[];
          x = callOp('aten::add', [attn, src]) as Tensor;
          if (!a.norm_first) x = ln(x, a.norm_weight_1, a.norm_bias_1);
          const res = x;
          if (a.norm_first) x = ln(x, a.norm_weight_2, a.norm_bias_2);
          const h = callOp('aten::linear', [x, a.ffn_weight_1, a.ffn_bias_1]) as Tensor;
          const act = callOp(a.use_gelu ? 'aten::gelu' : 'aten::relu', [h]) as Tensor;
          x = callOp('aten::add', [callOp('aten::linear', [act, a.ffn_weight_2, a.ffn_bias_2]), res]) as Tensor;
          return a.norm_first ? x : ln(x, a.norm_weight_2, a.norm_bias_2);
        });
      },
    },
  ],
});
