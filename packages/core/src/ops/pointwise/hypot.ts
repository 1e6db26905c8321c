import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** sqrt(x^2 + y^2) for floating dtypes only */
const kernel = binary({ kernel: 'hypot_cpu', noInt: true, f: () => Math.hypot });

export const hypot = defineOp({
  name: 'hypot',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::hypot(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
