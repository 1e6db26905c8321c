import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const kernel = binary({ kernel: 'le', out: 'bool', f: () => (x, y) => (x <= y ? 1 : 0) });

export const le = defineOp({
  name: 'le',
  aliases: ['less_equal'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::le.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::le.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
