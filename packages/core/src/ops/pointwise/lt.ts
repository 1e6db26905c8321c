import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const kernel = binary({ kernel: 'lt', out: 'bool', f: () => (x, y) => (x < y ? 1 : 0) });

export const lt = defineOp({
  name: 'lt',
  aliases: ['less'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::lt.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::lt.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
