import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const atan = defineOp({
  name: 'atan',
  aliases: ['arctan'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::atan(Tensor self) -> Tensor', ...unary({ kernel: 'atan_vml_cpu', kind: 'float', f: Math.atan }) }],
});
