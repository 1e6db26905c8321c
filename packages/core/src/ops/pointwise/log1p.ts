import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const log1p = defineOp({
  name: 'log1p',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::log1p(Tensor self) -> Tensor', ...unary({ kernel: 'log1p_vml_cpu', kind: 'float', f: Math.log1p }) }],
});
