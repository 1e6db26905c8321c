import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const kernel = binary({ kernel: 'ne', out: 'bool', f: () => (x, y) => (x !== y ? 1 : 0) });

export const ne = defineOp({
  name: 'ne',
  aliases: ['not_equal'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::ne.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::ne.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
