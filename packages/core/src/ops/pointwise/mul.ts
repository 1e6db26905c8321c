import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** x * y; bool * bool is logical and; int32 products wrap like C++ */
const kernel = binary({
  kernel: 'mul',
  f: (c) => (c === 'bool' ? (x, y) => (x && y ? 1 : 0) : c === 'int32' ? Math.imul : (x, y) => x * y),
});

export const mul = defineOp({
  name: 'mul',
  aliases: ['multiply'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::mul.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::mul.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
