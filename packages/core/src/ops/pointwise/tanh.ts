import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const tanh = defineOp({
  name: 'tanh',
  variants: ['function', 'method', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::tanh(Tensor self) -> Tensor', ...unary({ kernel: 'tanh_vml_cpu', kind: 'float', f: Math.tanh }) }],
});
