import { defineOp, type Args } from '../../registry.js';
import { binary, checkedScalarIn, type Binary, type FastLoops } from '../../cpu/pointwise_kernels.js';
import { isFloating, type DType } from '../../dtype.js';

/** PyTorch's alpha checks for add/sub/rsub. */
export function checkAlpha(c: DType, a: Args): void {
  const alpha = a.alpha as number | boolean;
  if (typeof alpha === 'boolean' && c !== 'bool') throw new Error('Boolean alpha only supported for Boolean results.');
  if (!isFloating(c) && typeof alpha === 'number' && !Number.isInteger(alpha)) {
    throw new Error('For integral input tensors, argument alpha must not be a floating point number.');
  }
}

/** x + alpha * y in the computation dtype (bool: logical or). */
export function addFn(c: DType, alphaArg: number | boolean, negate = false): Binary {
  let alpha = checkedScalarIn(alphaArg, c);
  if (negate) alpha = c === 'int32' ? -alpha | 0 : -alpha;
  if (c === 'bool') return alpha ? (x, y) => (x || y ? 1 : 0) : (x) => x;
  if (alpha === 1) return (x, y) => x + y;
  if (c === 'int32') return (x, y) => x + Math.imul(alpha, y);
  return (x, y) => x + alpha * y;
}

const ADD: FastLoops = {
  same: (A, ao, B, bo, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! + B[bo + i]!;
  },
  scalar: (A, ao, v, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! + v;
  },
};

const kernel = binary({
  kernel: 'add',
  check: checkAlpha,
  f: (c, a) => addFn(c, a.alpha),
  fast: (c, a) => (isFloating(c) && a.alpha === 1 ? ADD : undefined),
});

export const add = defineOp({
  name: 'add',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', ...kernel },
    { schema: 'aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', ...kernel },
  ],
});
