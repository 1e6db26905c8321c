import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat, checkPoolRank, poolArgs, poolPlan, runMaxPool } from './pool_common.js';

/** Max pooling that also returns each maximum's flat index within its input plane (int64). */
export const max_pool2d_with_indices = defineOp({
  name: 'max_pool2d_with_indices',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)',
      infer: (a) => {
        const x = a.self as Tensor;
        checkPoolRank(x, 2);
        const plan = poolPlan('max_pool2d_with_indices', x.shape, 2, poolArgs(a), 'max');
        checkFloat('max_pool2d', x.dtype);
        return [{ shape: plan.outShape, dtype: x.dtype }, { shape: plan.outShape, dtype: 'int64' }];
      },
      cpu: (a, [out, idx]) => runMaxPool(a.self, poolPlan('max_pool2d_with_indices', (a.self as Tensor).shape, 2, poolArgs(a), 'max'), out!, idx!),
    },
  ],
});
