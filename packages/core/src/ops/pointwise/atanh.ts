import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const atanh = defineOp({
  name: 'atanh',
  aliases: ['arctanh'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::atanh(Tensor self) -> Tensor', ...unary({ kernel: 'atanh_cpu', kind: 'float', f: Math.atanh }) }],
});
