import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** x * log(y), 0 where x == 0 (unless y is NaN); computed in the promoted float dtype */
const kernel = binary({
  kernel: 'xlogy_cpu',
  compute: 'float',
  f: () => (x, y) => (y !== y ? NaN : x === 0 ? 0 : x * Math.log(y)),
});

export const xlogy = defineOp({
  name: 'xlogy',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::xlogy.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::xlogy.Scalar_Self(Scalar self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::xlogy.Scalar_Other(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
