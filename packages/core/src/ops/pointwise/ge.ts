import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const kernel = binary({ kernel: 'ge', out: 'bool', f: () => (x, y) => (x >= y ? 1 : 0) });

export const ge = defineOp({
  name: 'ge',
  aliases: ['greater_equal'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::ge.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::ge.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
