import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { adaptivePlan, checkFloat, listWithDefault, runAdaptiveAvg } from './pool_common.js';

export const adaptiveAvg3d = {
  infer: (a: Args) => {
    const x = a.self as Tensor;
    const p = adaptivePlan('adaptive_avg_pool3d', x.shape, 3, a.output_size, false);
    checkFloat('adaptive_avg_pool3d_cpu', x.dtype);
    return { shape: p.outShape, dtype: x.dtype };
  },
  cpu: (a: Args, [out]: Tensor[]) => runAdaptiveAvg(a.self, adaptivePlan('adaptive_avg_pool3d', (a.self as Tensor).shape, 3, a.output_size, false), out!),
};

/** Averages over output_size windows [floor(i * in / out), ceil((i + 1) * in / out)). */
export const adaptive_avg_pool3d = defineOp({
  name: 'adaptive_avg_pool3d',
  variants: ['F'],
  overloads: [
    { schema: 'aten::adaptive_avg_pool3d(Tensor self, int[3] output_size) -> Tensor', ...adaptiveAvg3d },
    {
      // torch.nn.functional.adaptive_avg_pool3d(input, output_size): None entries keep the input size
      schema: 'py::adaptive_avg_pool3d(Tensor input, Any output_size) -> Tensor',
      tags: ['composite'],
      decompose: (a) => callOp('aten::adaptive_avg_pool3d', [a.input, listWithDefault(a.output_size, a.input, 3)]),
    },
  ],
});
