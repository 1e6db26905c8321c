import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import { logaddexp as logaddexpScalar } from '../../cpu/pointwise_math.js';

/** log(e^x + e^y) without overflow, floating dtypes only */
const kernel = binary({ kernel: 'logaddexp_cpu', noInt: true, f: () => logaddexpScalar });

export const logaddexp = defineOp({
  name: 'logaddexp',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logaddexp(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
