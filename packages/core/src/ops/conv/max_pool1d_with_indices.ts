import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { as2d, check1d, checkDimRange, checkFloat, poolArgs, poolPlan, runMaxPool, squeeze2d } from './pool_common.js';

function plan(a: Args) {
  const x = a.self as Tensor;
  checkDimRange(x, 'max_pool1d');
  const p = poolArgs(a);
  check1d('max_pool1d', 'kernel_size', p.kernel);
  if (p.stride.length) check1d('max_pool1d', 'stride', p.stride);
  check1d('max_pool1d', 'padding', p.padding);
  check1d('max_pool1d', 'dilation', p.dilation);
  const v = as2d(x.shape, p);
  return poolPlan('max_pool2d', v.shape, 2, v.p, 'max');
}

/** 1-d max pooling with argmax indices, run as PyTorch does: a 2-d pooling of x.unsqueeze(-2). */
export const max_pool1d_with_indices = defineOp({
  name: 'max_pool1d_with_indices',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::max_pool1d_with_indices(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=[0], int[1] dilation=[1], bool ceil_mode=False) -> (Tensor, Tensor)',
      infer: (a) => {
        const shape = squeeze2d(plan(a).outShape);
        checkFloat('max_pool2d', (a.self as Tensor).dtype);
        return [{ shape, dtype: (a.self as Tensor).dtype }, { shape, dtype: 'int64' }];
      },
      cpu: (a, [out, idx]) => runMaxPool(a.self, plan(a), out!, idx!),
    },
  ],
});
