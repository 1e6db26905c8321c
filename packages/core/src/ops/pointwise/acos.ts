import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const acos = defineOp({
  name: 'acos',
  aliases: ['arccos'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::acos(Tensor self) -> Tensor', ...unary({ kernel: 'acos_vml_cpu', kind: 'float', f: Math.acos }) }],
});
