import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const log2 = defineOp({
  name: 'log2',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::log2(Tensor self) -> Tensor', ...unary({ kernel: 'log2_vml_cpu', kind: 'float', f: Math.log2 }) }],
});
