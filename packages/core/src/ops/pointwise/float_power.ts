import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import { cpow } from './pow.js';

/** pow in double precision: the result is always float64 */
const kernel = binary({ kernel: 'float_power', args: ['self', 'exponent'], compute: 'float64', f: () => cpow });

export const float_power = defineOp({
  name: 'float_power',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::float_power.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor', ...kernel },
    { schema: 'aten::float_power.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor', ...kernel },
    { schema: 'aten::float_power.Scalar(Scalar self, Tensor exponent) -> Tensor', ...kernel },
  ],
});
