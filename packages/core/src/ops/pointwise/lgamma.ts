import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { lgamma as lgammaScalar } from '../../cpu/pointwise_math.js';

/** log of the absolute value of the gamma function; integer inputs give float32 */
export const lgamma = defineOp({
  name: 'lgamma',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::lgamma(Tensor self) -> Tensor', ...unary({ kernel: 'lgamma_vml_cpu', kind: 'float', f: lgammaScalar }) }],
});
