import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const floor = defineOp({
  name: 'floor',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::floor(Tensor self) -> Tensor', ...unary({ kernel: 'floor_vml_cpu', kind: 'same', f: Math.floor, int: (x) => x }) }],
});
