import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** elementwise min; NaN propagates */
const kernel = binary({ kernel: 'minimum', f: () => (x, y) => (x !== x || y !== y ? NaN : y < x ? y : x) });

export const minimum = defineOp({
  name: 'minimum',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::minimum(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
