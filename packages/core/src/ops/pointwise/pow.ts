import { defineOp, type Args } from '../../registry.js';
import { binary, checkedScalarIn, isTensorOperand, type Operand } from '../../cpu/pointwise_kernels.js';
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

/** ATen's pow_tensor_scalar special-cases these exponents (sqrt(-inf) is NaN where pow(-inf, 0.5) is inf) */
function scalarExponentFn(e: number): ((x: number) => number) | undefined {
  switch (e) {
    case 0.5: return Math.sqrt;
    case -0.5: return (x) => 1 / Math.sqrt(x);
    case 2: return (x) => x * x;
    case 3: return (x) => x * x * x;
    case -1: return (x) => 1 / x;
    case -2: return (x) => 1 / (x * x);
    default: return undefined;
  }
}

const kernel = binary({
  kernel: 'pow',
  args: ['self', 'exponent'],
  noBool: true,
  check: checkPow,
  f: (c, a) => {
    if (!isFloating(c)) return c === 'int64' ? (x, y) => intPow(x, y, true) : (x, y) => intPow(x, y, false);
    const e = a.exponent as Operand;
    const special = c === 'float16' || isTensorOperand(e) || !isTensorOperand(a.self as Operand) ? undefined : scalarExponentFn(checkedScalarIn(e, c));
    return special ? (x) => special(x) : cpow;
  },
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
