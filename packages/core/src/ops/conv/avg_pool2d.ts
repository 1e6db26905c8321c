import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat, checkPoolRank, poolArgs, poolPlan, runAvgPool } from './pool_common.js';

function plan(a: Args) {
  const x = a.self as Tensor;
  checkPoolRank(x, 2, true);
  if (a.divisor_override === 0) throw new Error('divisor must be not zero');
  return poolPlan('avg_pool2d', x.shape, 2, poolArgs(a), 'avg');
}

/** Average pooling; int64 inputs divide with truncation like PyTorch's integer kernel. */
export const avg_pool2d = defineOp({
  name: 'avg_pool2d',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor',
      infer: (a) => {
        const p = plan(a);
        checkFloat('avg_pool2d', (a.self as Tensor).dtype, true);
        return { shape: p.outShape, dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => runAvgPool(a.self, plan(a), out!, a.count_include_pad, a.divisor_override),
    },
  ],
});
