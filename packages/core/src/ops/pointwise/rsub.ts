import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import { checkSub, subFn } from './sub.js';

/** rsub(self, other, alpha) = other - alpha * self */
const kernel = binary({
  kernel: 'rsub',
  check: checkSub,
  f: (c, a) => {
    const g = subFn(c, a.alpha);
    return (x, y) => g(y, x);
  },
});

export const rsub = defineOp({
  name: 'rsub',
  variants: ['function'],
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', ...kernel },
    { schema: 'aten::rsub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', ...kernel },
  ],
});
