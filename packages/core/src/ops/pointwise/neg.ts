import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const neg = defineOp({
  name: 'neg',
  aliases: ['negative'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::neg(Tensor self) -> Tensor', ...unary({ kernel: 'neg_cpu', kind: 'same', f: (x) => -x, int: (x) => 0 - x, boolError: 'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.' }) }],
});
