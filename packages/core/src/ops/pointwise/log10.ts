import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const log10 = defineOp({
  name: 'log10',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::log10(Tensor self) -> Tensor', ...unary({ kernel: 'log10_vml_cpu', kind: 'float', f: Math.log10 }) }],
});
