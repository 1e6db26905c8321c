import { defineOp } from '../../registry.js';
import { binary, checkIntDivisor, rounder, type Operand } from '../../cpu/pointwise_kernels.js';
import { intRemainder, pyRemainder } from '../../cpu/pointwise_math.js';
import { isFloating } from '../../dtype.js';
import type { Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** Python's modulus: the result has the sign of the divisor */
const base = binary({
  kernel: 'remainder_cpu',
  noBool: true,
  f: (c) => {
    if (!isFloating(c)) return intRemainder;
    const r = rounder(c);
    return (x, y) => pyRemainder(x, y, r);
  },
});
const kernel = {
  infer: base.infer,
  cpu: (a: Args, outs: Tensor[]) => {
    checkIntDivisor(a.other as Operand, outs[0]!.dtype);
    base.cpu(a, outs);
  },
};

export const remainder = defineOp({
  name: 'remainder',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::remainder.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::remainder.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::remainder.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', ...kernel },
  ],
});
