import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const frac = defineOp({
  name: 'frac',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::frac(Tensor self) -> Tensor', ...unary({ kernel: 'frac_cpu', kind: 'same', f: (x) => x - Math.trunc(x), noInt: true }) }],
});
