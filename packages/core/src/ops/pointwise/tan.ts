import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const tan = defineOp({
  name: 'tan',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::tan(Tensor self) -> Tensor', ...unary({ kernel: 'tan_vml_cpu', kind: 'float', f: Math.tan }) }],
});
