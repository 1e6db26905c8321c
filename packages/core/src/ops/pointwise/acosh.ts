import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const acosh = defineOp({
  name: 'acosh',
  aliases: ['arccosh'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::acosh(Tensor self) -> Tensor', ...unary({ kernel: 'acosh_cpu', kind: 'float', f: Math.acosh }) }],
});
