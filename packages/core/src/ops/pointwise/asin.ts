import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const asin = defineOp({
  name: 'asin',
  aliases: ['arcsin'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::asin(Tensor self) -> Tensor', ...unary({ kernel: 'asin_vml_cpu', kind: 'float', f: Math.asin }) }],
});
