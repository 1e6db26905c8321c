import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const rsqrt = defineOp({
  name: 'rsqrt',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::rsqrt(Tensor self) -> Tensor', ...unary({ kernel: 'rsqrt_cpu', kind: 'float', f: (x) => 1 / Math.sqrt(x) }) }],
});
