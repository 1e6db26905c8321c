import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const abs = defineOp({
  name: 'abs',
  aliases: ['absolute'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::abs(Tensor self) -> Tensor', ...unary({ kernel: 'abs_cpu', kind: 'same', f: Math.abs }) }],
});
