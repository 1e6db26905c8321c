import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const asinh = defineOp({
  name: 'asinh',
  aliases: ['arcsinh'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::asinh(Tensor self) -> Tensor', ...unary({ kernel: 'asinh_cpu', kind: 'float', f: Math.asinh }) }],
});
