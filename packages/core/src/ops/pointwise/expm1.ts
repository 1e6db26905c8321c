import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const expm1 = defineOp({
  name: 'expm1',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::expm1(Tensor self) -> Tensor', ...unary({ kernel: 'expm1_vml_cpu', kind: 'float', f: Math.expm1 }) }],
});
