import { defineOp, type Args } from '../../registry.js';
import { binary, isTensorOperand, type Operand } from '../../cpu/pointwise_kernels.js';
import { intPow } from '../../cpu/pointwise_math.js';
import { isFloating, type DType } from '../../dtype.js';

/** C's pow: unlike Math.pow, pow(1, y) = 1 and pow(-1, +-inf) = 1. */
export function cpow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

function checkPow(c: DType, a: Args): void {
  const e = a.exponent as Operand;
  if (!isFloating(c) && !isTensorOperand(e) && isTensorOperand(a.self as Operand) && Number(e) < 0) {
    throw new Error('Integers to negative integer powers are not allowed.');
  }
}

const kernel = binary({
  kernel: 'pow',
  args: ['self', 'exponent'],
  noBool: true,
  check: checkPow,
  f: (c) => (isFloating(c) ? cpow : c === 'int64' ? (x, y) => intPow(x, y, true) : (x, y) => intPow(x, y, false)),
});

export const pow = defineOp({
  name: 'pow',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor', ...kernel },
    { schema: 'aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor', ...kernel },
    { schema: 'aten::pow.Scalar(Scalar self, Tensor exponent) -> Tensor', ...kernel },
  ],
});
