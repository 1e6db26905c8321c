import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

const DEG2RAD = Math.PI / 180;

export const deg2rad = defineOp({
  name: 'deg2rad',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::deg2rad(Tensor self) -> Tensor', ...unary({ kernel: 'deg2rad', kind: 'float', f: (x) => x * DEG2RAD }) }],
});
