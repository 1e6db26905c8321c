import { defineOp } from '../../registry.js';
import { binary, type FastLoops } from '../../cpu/pointwise_kernels.js';

/** compares in the promoted dtype; the result is bool */
const LOOPS: FastLoops = {
  same: (A, ao, B, bo, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! <= B[bo + i]! ? 1 : 0;
  },
  scalar: (A, ao, v, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! <= v ? 1 : 0;
  },
};

const kernel = binary({ kernel: 'le', out: 'bool', f: () => (x, y) => (x <= y ? 1 : 0), fast: () => LOOPS });

export const le = defineOp({
  name: 'le',
  aliases: ['less_equal'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::le.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::le.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
