import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const bitwise_not = defineOp({
  name: 'bitwise_not',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::bitwise_not(Tensor self) -> Tensor', ...unary({ kernel: 'bitwise_not_cpu', kind: 'same', f: (x) => -x - 1, bool: (x) => (x ? 0 : 1), noFloat: true }) }],
});
