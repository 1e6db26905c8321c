import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const isneginf = defineOp({
  name: 'isneginf',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::isneginf(Tensor self) -> Tensor', ...unary({ kernel: 'isneginf', kind: 'bool', f: (x) => (x === -Infinity ? 1 : 0) }) }],
});
