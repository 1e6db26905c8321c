import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const sin = defineOp({
  name: 'sin',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::sin(Tensor self) -> Tensor', ...unary({ kernel: 'sin_vml_cpu', kind: 'float', f: Math.sin }) }],
});
