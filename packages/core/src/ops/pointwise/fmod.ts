import { defineOp } from '../../registry.js';
import { binary, checkIntDivisor, type Operand } from '../../cpu/pointwise_kernels.js';
import { isFloating } from '../../dtype.js';
import type { Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** C's fmod: the result has the sign of the dividend */
const base = binary({
  kernel: 'fmod_cpu',
  noBool: true,
  f: (c) => (isFloating(c) ? (x, y) => x % y : (x, y) => (x % y) + 0),
});
const kernel = {
  infer: base.infer,
  cpu: (a: Args, outs: Tensor[]) => {
    checkIntDivisor(a.other as Operand, outs[0]!.dtype);
    base.cpu(a, outs);
  },
};

export const fmod = defineOp({
  name: 'fmod',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::fmod.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::fmod.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
