import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const sqrt = defineOp({
  name: 'sqrt',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::sqrt(Tensor self) -> Tensor', ...unary({ kernel: 'sqrt_vml_cpu', kind: 'float', f: Math.sqrt }) }],
});
