import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const kernel = binary({ kernel: 'gt', out: 'bool', f: () => (x, y) => (x > y ? 1 : 0) });

export const gt = defineOp({
  name: 'gt',
  aliases: ['greater'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::gt.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::gt.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
