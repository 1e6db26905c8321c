import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const cos = defineOp({
  name: 'cos',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::cos(Tensor self) -> Tensor', ...unary({ kernel: 'cos_vml_cpu', kind: 'float', f: Math.cos }) }],
});
