import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

/** true everywhere: torchlet has no complex dtypes */
export const isreal = defineOp({
  name: 'isreal',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::isreal(Tensor self) -> Tensor', ...unary({ kernel: 'isreal', kind: 'bool', f: () => 1 }) }],
});
