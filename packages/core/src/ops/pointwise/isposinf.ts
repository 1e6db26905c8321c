import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const isposinf = defineOp({
  name: 'isposinf',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::isposinf(Tensor self) -> Tensor', ...unary({ kernel: 'isposinf', kind: 'bool', f: (x) => (x === Infinity ? 1 : 0) }) }],
});
