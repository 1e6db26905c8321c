import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { as2d, check1d, checkDimRange, checkFloat, poolArgs, poolPlan, runAvgPool, squeeze2d } from './pool_common.js';

function plan(a: Args) {
  const x = a.self as Tensor;
  checkDimRange(x, 'avg_pool1d');
  const p = poolArgs(a);
  check1d('avg_pool1d', 'kernel_size', p.kernel);
  if (p.stride.length) check1d('avg_pool1d', 'stride', p.stride);
  check1d('avg_pool1d', 'padding', p.padding);
  const v = as2d(x.shape, p);
  return poolPlan('avg_pool2d', v.shape, 2, v.p, 'avg');
}

/** 1-d average pooling, run as PyTorch does: a 2-d pooling of x.unsqueeze(-2). */
export const avg_pool1d = defineOp({
  name: 'avg_pool1d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::avg_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=[0], bool ceil_mode=False, bool count_include_pad=True) -> Tensor',
      infer: (a) => {
        const p = plan(a);
        checkFloat('avg_pool2d', (a.self as Tensor).dtype, true);
        return { shape: squeeze2d(p.outShape), dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => runAvgPool(a.self, plan(a), out!, a.count_include_pad, null),
    },
  ],
});
