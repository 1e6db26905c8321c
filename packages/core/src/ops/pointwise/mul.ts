import { defineOp } from '../../registry.js';
import { binaryOp } from '../../cpu/pointwise.js';

const mulKernel = binaryOp((_a, dtype) => (dtype === 'bool' ? (x, y) => (x && y ? 1 : 0) : (x, y) => x * y));

export const mul = defineOp({
  name: 'mul',
  aliases: ['multiply'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::mul.Tensor(Tensor self, Tensor other) -> Tensor', ...mulKernel },
    { schema: 'aten::mul.Scalar(Tensor self, Scalar other) -> Tensor', ...mulKernel },
  ],
});
