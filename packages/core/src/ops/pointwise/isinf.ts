import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const isinf = defineOp({
  name: 'isinf',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::isinf(Tensor self) -> Tensor', ...unary({ kernel: 'isinf', kind: 'bool', f: (x) => (x === Infinity || x === -Infinity ? 1 : 0) }) }],
});
