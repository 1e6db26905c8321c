import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { digamma as digammaScalar } from '../../cpu/pointwise_math.js';

/** the logarithmic derivative of the gamma function; integer inputs give float32 */
export const digamma = defineOp({
  name: 'digamma',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::digamma(Tensor self) -> Tensor', ...unary({ kernel: 'digamma_vml_cpu', kind: 'float', f: digammaScalar }) }],
});
