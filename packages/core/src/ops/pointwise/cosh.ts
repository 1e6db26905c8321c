import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const cosh = defineOp({
  name: 'cosh',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::cosh(Tensor self) -> Tensor', ...unary({ kernel: 'cosh_cpu', kind: 'float', f: Math.cosh }) }],
});
