import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

const RAD2DEG = 180 / Math.PI;

export const rad2deg = defineOp({
  name: 'rad2deg',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::rad2deg(Tensor self) -> Tensor', ...unary({ kernel: 'rad2deg', kind: 'float', f: (x) => x * RAD2DEG }) }],
});
