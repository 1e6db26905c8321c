import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const kernel = binary({ kernel: 'eq', out: 'bool', f: () => (x, y) => (x === y ? 1 : 0) });

export const eq = defineOp({
  name: 'eq',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::eq.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::eq.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
