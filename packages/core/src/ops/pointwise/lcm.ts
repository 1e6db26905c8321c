import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import { gcd } from '../../cpu/pointwise_math.js';

/** least common multiple |a / gcd * b| (0 when gcd is 0), integer dtypes only */
const kernel = binary({
  kernel: 'lcm_cpu',
  noFloat: true,
  noBool: true,
  f: () => (x, y) => {
    const g = gcd(x, y);
    return g === 0 ? 0 : Math.abs((x / g) * y);
  },
});

export const lcm = defineOp({
  name: 'lcm',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::lcm(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
