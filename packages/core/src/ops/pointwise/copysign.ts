import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** |x| with the sign of y (including -0), in the promoted float dtype */
const kernel = binary({
  kernel: 'copysign_cpu',
  compute: 'float',
  f: () => (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x)),
});

export const copysign = defineOp({
  name: 'copysign',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::copysign.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::copysign.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
