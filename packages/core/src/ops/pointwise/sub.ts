import { defineOp } from '../../registry.js';
import { binaryOp } from '../../cpu/pointwise.js';

const subKernel = binaryOp((a) => {
  const alpha = Number(a.alpha);
  return (x, y) => x - alpha * y;
});

export const sub = defineOp({
  name: 'sub',
  aliases: ['subtract'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', ...subKernel },
    { schema: 'aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', ...subKernel },
  ],
});
