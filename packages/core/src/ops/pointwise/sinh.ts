import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const sinh = defineOp({
  name: 'sinh',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::sinh(Tensor self) -> Tensor', ...unary({ kernel: 'sinh_cpu', kind: 'float', f: Math.sinh }) }],
});
