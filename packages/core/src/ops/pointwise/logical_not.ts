import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const logical_not = defineOp({
  name: 'logical_not',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logical_not(Tensor self) -> Tensor', ...unary({ kernel: 'logical_not', kind: 'bool', f: (x) => (x === 0 ? 1 : 0) }) }],
});
