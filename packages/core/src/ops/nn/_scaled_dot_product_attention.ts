import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import { tidy } from '../../scope.js';
import { Tensor } from '../../tensor.js';
import { sdpaApply, sdpaWeights } from '../../cpu/nn_attention.js';
import { dtypeName } from '../../cpu/nn_util.js';

/** Batch dims of the matmuls (q k^T and attn v), broadcast. */
function batchShape(a: Args): number[] {
  const q = a.query as Tensor, k = a.key as Tensor, v = a.value as Tensor;
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) throw new RangeError('_scaled_dot_product_attention: query, key and value must be at least 2-D');
  if (q.shape[q.ndim - 1] !== k.shape[k.ndim - 1]) throw new RangeError(`_scaled_dot_product_attention: query and key embedding sizes differ (${q.shape[q.ndim - 1]} vs ${k.shape[k.ndim - 1]})`);
  if (k.shape[k.ndim - 2] !== v.shape[v.ndim - 2]) throw new RangeError(`_scaled_dot_product_attention: key and value sequence lengths differ (${k.shape[k.ndim - 2]} vs ${v.shape[v.ndim - 2]})`);
  return broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2), v.shape.slice(0, -2));
}

function infer(a: Args): OutSpec[] {
  const q = a.query as Tensor, k = a.key as Tensor, v = a.value as Tensor;
  if (!isFloating(q.dtype)) throw new Error(`"softmax_lastdim_kernel_impl" not implemented for '${dtypeName(q.dtype)}'`);
  if (a.is_causal && a.attn_mask) throw new Error('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  const batch = batchShape(a);
  const L = q.shape[q.ndim - 2]!, S = k.shape[k.ndim - 2]!;
  if (a.attn_mask) broadcastShapes((a.attn_mask as Tensor).shape, [...batch, L, S]);
  return [
    { shape: [...batch, L, v.shape[v.ndim - 1]!], dtype: q.dtype },
    { shape: [...batch, L, S], dtype: q.dtype },
  ];
}

/**
 * F._scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
 * need_attn_weights=False, is_causal=False) -> (output, attn_weights), PyTorch 1.13's math path:
 * softmax(q k^T / sqrt(E) + mask) @ v. A bool mask marks the positions that take part, a float
 * mask is added; the weights are returned whatever need_attn_weights says, as 1.13 does on CPU.
 * dropout_p > 0 applies aten::dropout (training mode) to the weights.
 */
export const _scaled_dot_product_attention = defineOp({
  name: '_scaled_dot_product_attention',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::_scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0., bool need_attn_weights=False, bool is_causal=False) -> (Tensor, Tensor)',
      infer,
      cpu: (a, [out, attnOut]) => {
        const q = a.query as Tensor, k = a.key as Tensor;
        const batch = batchShape(a);
        const L = q.shape[q.ndim - 2]!, S = k.shape[k.ndim - 2]!;
        let attn = sdpaWeights(q, k, a.attn_mask, a.is_causal, batch);
        if (a.dropout_p > 0) {
          const t = Tensor.empty([...batch, L, S], q.dtype);
          t.hostArray.set(attn);
          const d = callOp('aten::dropout', [t, a.dropout_p, true]) as Tensor;
          attn = Float64Array.from(d.contiguousArray());
          t.dispose();
          d.dispose();
        }
        attnOut!.hostArray.set(attn);
        out!.hostArray.set(sdpaApply(attn, a.value, L, S, batch));
      },
      decompose: (a) => {
        infer(a);
        const q = a.query as Tensor, k = a.key as Tensor;
        const L = q.shape[q.ndim - 2]!, S = k.shape[k.ndim - 2]!;
        return tidy(() => {
          let scores = callOp('aten::div', [callOp('aten::matmul', [q, callOp('aten::transpose', [k, -2, -1])]), Math.sqrt(q.shape[q.ndim - 1]!)]) as Tensor;
          let mask = a.attn_mask as Tensor | null;
          if (a.is_causal) mask = callOp('aten::tril', [callOp('aten::ones', [[L, S]], { dtype: 'bool' })]) as Tensor;
          if (mask) {
            scores = mask.dtype === 'bool'
              ? (callOp('aten::masked_fill', [scores, callOp('aten::logical_not', [mask]), -Infinity]) as Tensor)
              : (callOp('aten::add', [scores, mask]) as Tensor);
          }
          let attn = callOp('aten::softmax', [scores, -1]) as Tensor;
          if (a.dropout_p > 0) attn = callOp('aten::dropout', [attn, a.dropout_p, true]) as Tensor;
          return [callOp('aten::matmul', [attn, a.value]), attn];
        });
      },
    },
  ],
});
