import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat, checkPoolRank, poolArgs, poolPlan, runAvgPool } from './pool_common.js';

function plan(a: Args) {
  const x = a.self as Tensor;
  checkPoolRank(x, 3, true);
  if (a.divisor_override === 0) throw new Error('divisor must be not zero');
  return poolPlan('avg_pool3d', x.shape, 3, poolArgs(a), 'avg');
}

export const avg_pool3d = defineOp({
  name: 'avg_pool3d',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::avg_pool3d(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor',
      infer: (a) => {
        const p = plan(a);
        checkFloat('avg_pool3d_out_frame', (a.self as Tensor).dtype, true);
        return { shape: p.outShape, dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => runAvgPool(a.self, plan(a), out!, a.count_include_pad, a.divisor_override),
    },
  ],
});
