import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** elementwise min ignoring NaN */
const kernel = binary({ kernel: 'fmin', f: () => (x, y) => (x !== x ? y : y !== y ? x : y < x ? y : x) });

export const fmin = defineOp({
  name: 'fmin',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::fmin(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
