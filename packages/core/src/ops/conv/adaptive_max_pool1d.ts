import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { adaptivePlan, check1d, checkDimRange, checkFloat, runAdaptiveMax, squeeze2d } from './pool_common.js';

function plan(a: Args) {
  const x = a.self as Tensor;
  checkDimRange(x, 'adaptive_max_pool1d');
  check1d('adaptive_max_pool1d', 'output_size', a.output_size);
  const shape = [...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]!];
  return adaptivePlan('adaptive_max_pool2d', shape, 2, [1, a.output_size[0]], true);
}

/**
 * F.adaptive_max_pool1d returns the pooled tensor, or (values, indices) with return_indices=True;
 * aten::adaptive_max_pool1d always returns both (reachable by its ATen name).
 */
export const adaptive_max_pool1d = defineOp({
  name: 'adaptive_max_pool1d',
  variants: ['F'],
  overloads: [
    {
      schema: 'py::adaptive_max_pool1d(Tensor input, Any output_size, bool return_indices=False) -> Any',
      tags: ['composite'],
      decompose: (a) => {
        const size = typeof a.output_size === 'number' ? [a.output_size] : a.output_size;
        const r = callOp('aten::adaptive_max_pool1d', [a.input, size]) as Tensor[];
        if (a.return_indices) return r;
        r[1]!.dispose();
        return r[0];
      },
    },
    {
      schema: 'aten::adaptive_max_pool1d(Tensor self, int[1] output_size) -> (Tensor, Tensor)',
      infer: (a) => {
        const shape = squeeze2d(plan(a).outShape);
        checkFloat('adaptive_max_pool2d', (a.self as Tensor).dtype);
        return [{ shape, dtype: (a.self as Tensor).dtype }, { shape, dtype: 'int64' }];
      },
      cpu: (a, [out, idx]) => runAdaptiveMax(a.self, plan(a), out!, idx!),
    },
  ],
});
