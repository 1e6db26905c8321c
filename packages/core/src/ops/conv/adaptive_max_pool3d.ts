import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { adaptivePlan, checkFloat, listWithDefault, runAdaptiveMax } from './pool_common.js';

/**
 * F.adaptive_max_pool3d returns the pooled tensor, or (values, indices) with return_indices=True;
 * aten::adaptive_max_pool3d always returns both (reachable by its ATen name).
 */
export const adaptive_max_pool3d = defineOp({
  name: 'adaptive_max_pool3d',
  variants: ['F'],
  overloads: [
    {
      schema: 'py::adaptive_max_pool3d(Tensor input, Any output_size, bool return_indices=False) -> Any',
      tags: ['composite'],
      decompose: (a) => {
        const r = callOp('aten::adaptive_max_pool3d', [a.input, listWithDefault(a.output_size, a.input, 3)]) as Tensor[];
        if (a.return_indices) return r;
        r[1]!.dispose();
        return r[0];
      },
    },
    {
      schema: 'aten::adaptive_max_pool3d(Tensor self, int[3] output_size) -> (Tensor, Tensor)',
      infer: (a) => {
        const x = a.self as Tensor;
        const p = adaptivePlan('adaptive_max_pool3d', x.shape, 3, a.output_size, true);
        checkFloat('adaptive_max_pool3d', x.dtype);
        return [{ shape: p.outShape, dtype: x.dtype }, { shape: p.outShape, dtype: 'int64' }];
      },
      cpu: (a, [out, idx]) => runAdaptiveMax(a.self, adaptivePlan('adaptive_max_pool3d', (a.self as Tensor).shape, 3, a.output_size, true), out!, idx!),
    },
  ],
});
