import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const ceil = defineOp({
  name: 'ceil',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::ceil(Tensor self) -> Tensor', ...unary({ kernel: 'ceil_vml_cpu', kind: 'same', f: Math.ceil, int: (x) => x }) }],
});
