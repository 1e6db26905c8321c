import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const square = defineOp({
  name: 'square',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::square(Tensor self) -> Tensor', ...unary({ kernel: 'pow', kind: 'same', f: (x) => x * x, bool: (x) => x, boolOut: 'int64', forDtype: (d) => (d === 'int32' ? (x) => Math.imul(x, x) : undefined) }) }],
});
