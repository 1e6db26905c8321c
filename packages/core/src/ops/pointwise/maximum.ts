import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** elementwise max; NaN propagates (std::max order for ties of -0 and 0) */
const kernel = binary({ kernel: 'maximum', f: () => (x, y) => (x !== x || y !== y ? NaN : x < y ? y : x) });

export const maximum = defineOp({
  name: 'maximum',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::maximum(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
