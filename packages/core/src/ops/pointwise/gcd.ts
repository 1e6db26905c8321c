import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import { gcd as gcdScalar } from '../../cpu/pointwise_math.js';

/** greatest common divisor (non-negative), integer dtypes only */
const kernel = binary({ kernel: 'gcd_cpu', noFloat: true, noBool: true, f: () => gcdScalar });

export const gcd = defineOp({
  name: 'gcd',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::gcd(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
