import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const trunc = defineOp({
  name: 'trunc',
  aliases: ['fix'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::trunc(Tensor self) -> Tensor', ...unary({ kernel: 'trunc_vml_cpu', kind: 'same', f: Math.trunc, int: (x) => x }) }],
});
