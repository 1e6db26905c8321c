import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

/** sign of x: NaN gives 0, as ATen computes (0 < x) - (x < 0) */
const signOf = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

export const sign = defineOp({
  name: 'sign',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::sign(Tensor self) -> Tensor', ...unary({ kernel: 'sign_cpu', kind: 'same', f: signOf, bool: (x) => x }) }],
});
