import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const exp = defineOp({
  name: 'exp',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::exp(Tensor self) -> Tensor', ...unary({ kernel: 'exp_vml_cpu', kind: 'float', f: Math.exp }) }],
});
