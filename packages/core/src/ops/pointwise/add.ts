import { defineOp } from '../../registry.js';
import { binaryOp } from '../../cpu/pointwise.js';

const addKernel = binaryOp((a) => {
  const alpha = Number(a.alpha);
  return alpha === 1 ? (x, y) => x + y : (x, y) => x + alpha * y;
});

export const add = defineOp({
  name: 'add',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', ...addKernel },
    { schema: 'aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', ...addKernel },
  ],
});
