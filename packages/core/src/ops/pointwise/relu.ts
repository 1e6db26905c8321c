import { defineOp } from '../../registry.js';
import { unaryOp } from '../../cpu/pointwise.js';

export const relu = defineOp({
  name: 'relu',
  variants: ['function', 'method', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::relu(Tensor self) -> Tensor', ...unaryOp((x) => (x > 0 ? x : x === x ? 0 : x)) }],
});
