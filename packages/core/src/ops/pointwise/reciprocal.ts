import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const reciprocal = defineOp({
  name: 'reciprocal',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::reciprocal(Tensor self) -> Tensor', ...unary({ kernel: 'reciprocal_cpu', kind: 'float', f: (x) => 1 / x }) }],
});
