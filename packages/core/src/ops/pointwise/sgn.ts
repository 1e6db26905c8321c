import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

/** sign of x: NaN gives 0, as ATen computes (0 < x) - (x < 0) */
const signOf = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

export const sgn = defineOp({
  name: 'sgn',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::sgn(Tensor self) -> Tensor', ...unary({ kernel: 'sgn_cpu', kind: 'same', f: signOf, bool: (x) => x }) }],
});
