import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { adaptivePlan, check1d, checkDimRange, checkFloat, runAdaptiveAvg, squeeze2d } from './pool_common.js';

function plan(a: Args) {
  const x = a.self as Tensor;
  checkDimRange(x, 'adaptive_avg_pool1d');
  check1d('adaptive_avg_pool1d', 'output_size', a.output_size);
  const shape = [...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]!];
  return adaptivePlan('adaptive_avg_pool2d', shape, 2, [1, a.output_size[0]], false);
}

/** 1-d adaptive average pooling, run as PyTorch does: a 2-d one over x.unsqueeze(-2). */
export const adaptive_avg_pool1d = defineOp({
  name: 'adaptive_avg_pool1d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::adaptive_avg_pool1d(Tensor self, int[1] output_size) -> Tensor',
      infer: (a) => {
        const p = plan(a);
        checkFloat('adaptive_avg_pool2d', (a.self as Tensor).dtype);
        return { shape: squeeze2d(p.outShape), dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => runAdaptiveAvg(a.self, plan(a), out!),
    },
  ],
});
