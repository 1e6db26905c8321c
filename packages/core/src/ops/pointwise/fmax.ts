import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** elementwise max ignoring NaN (NaN only when both are NaN) */
const kernel = binary({ kernel: 'fmax', f: () => (x, y) => (x !== x ? y : y !== y ? x : x < y ? y : x) });

export const fmax = defineOp({
  name: 'fmax',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::fmax(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
