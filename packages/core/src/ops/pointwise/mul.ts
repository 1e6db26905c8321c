import { defineOp } from '../../registry.js';
import { binary, type FastLoops } from '../../cpu/pointwise_kernels.js';
import { isFloating } from '../../dtype.js';

/** x * y; bool * bool is logical and; int32 products wrap like C++ */
const MUL: FastLoops = {
  same: (A, ao, B, bo, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! * B[bo + i]!;
  },
  scalar: (A, ao, v, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! * v;
  },
};

const kernel = binary({
  kernel: 'mul',
  f: (c) => (c === 'bool' ? (x, y) => (x && y ? 1 : 0) : c === 'int32' ? Math.imul : (x, y) => x * y),
  fast: (c) => (isFloating(c) ? MUL : undefined),
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
