import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { sdpaApply, sdpaWeights } from '../../cpu/nn_attention.js';
import { dtypeName } from '../../cpu/nn_util.js';

/**
 * F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
 * is_causal=False, *, scale=None): PyTorch 2.x's public attention op (absent from 1.13, whose
 * models call _scaled_dot_product_attention instead), math path: softmax(q k^T * scale + mask) v
 * with scale = 1/sqrt(E) by default; a bool mask marks the positions that take part.
 */
export const scaled_dot_product_attention = defineOp({
  name: 'scaled_dot_product_attention',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0., bool is_causal=False, *, float? scale=None) -> Tensor',
      infer: (a) => {
        const q = a.query as Tensor, k = a.key as Tensor, v = a.value as Tensor;
        if (!isFloating(q.dtype)) throw new Error(`"softmax_lastdim_kernel_impl" not implemented for '${dtypeName(q.dtype)}'`);
        if (a.is_causal && a.attn_mask) throw new Error('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
        if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) throw new RangeError('scaled_dot_product_attention: query, key and value must be at least 2-D');
        if (q.shape[q.ndim - 1] !== k.shape[k.ndim - 1] || k.shape[k.ndim - 2] !== v.shape[v.ndim - 2]) {
          throw new RangeError(`scaled_dot_product_attention: incompatible shapes query [${q.shape}], key [${k.shape}], value [${v.shape}]`);
        }
        const batch = broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2), v.shape.slice(0, -2));
        return { shape: [...batch, q.shape[q.ndim - 2]!, v.shape[v.ndim - 1]!], dtype: q.dtype };
      },
      cpu: (a, [out]) => {
        const q = a.query as Tensor, k = a.key as Tensor, v = a.value as Tensor;
        const batch = broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2), v.shape.slice(0, -2));
        const L = q.shape[q.ndim - 2]!, S = k.shape[k.ndim - 2]!;
        let attn = sdpaWeights(q, k, a.attn_mask, a.is_causal, batch, a.scale);
        if (a.dropout_p > 0) {
          const t = Tensor.empty([...batch, L, S], q.dtype);
          t.hostArray.set(attn);
          const d = callOp('aten::dropout', [t, a.dropout_p, true]) as Tensor;
          attn = Float64Array.from(d.contiguousArray());
          t.dispose();
          d.dispose();
        }
        out!.hostArray.set(sdpaApply(attn, v, L, S, batch));
      },
    },
  ],
});
