import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const exp2 = defineOp({
  name: 'exp2',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::exp2(Tensor self) -> Tensor', ...unary({ kernel: 'exp2_cpu', kind: 'float', f: (x) => 2 ** x }) }],
});
