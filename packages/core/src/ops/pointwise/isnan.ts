import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const isnan = defineOp({
  name: 'isnan',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::isnan(Tensor self) -> Tensor', ...unary({ kernel: 'isnan', kind: 'bool', f: (x) => (x !== x ? 1 : 0) }) }],
});
