import { defineOp, type Args } from '../../registry.js';
import { binary, isTensorOperand, type FastLoops, type Operand } from '../../cpu/pointwise_kernels.js';
import { isFloating, type DType } from '../../dtype.js';
import { addFn, checkAlpha } from './add.js';

function isBoolOperand(x: Operand): boolean {
  return isTensorOperand(x) ? x.dtype === 'bool' : typeof x === 'boolean';
}

/** PyTorch's sub_check: no subtraction with bool operands. */
export function checkSub(c: DType, a: Args): void {
  const x = a.self as Operand, y = a.other as Operand;
  if (isBoolOperand(x) && isBoolOperand(y)) {
    throw new Error('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  }
  if (isBoolOperand(x) || isBoolOperand(y)) {
    throw new Error('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
  checkAlpha(c, a);
}

/** x - alpha * y */
export function subFn(c: DType, alpha: number | boolean): (x: number, y: number) => number {
  return addFn(c, alpha, true);
}

const SUB: FastLoops = {
  same: (A, ao, B, bo, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! - B[bo + i]!;
  },
  scalar: (A, ao, v, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! - v;
  },
};

const kernel = binary({
  kernel: 'sub',
  check: checkSub,
  f: (c, a) => subFn(c, a.alpha),
  fast: (c, a) => (isFloating(c) && a.alpha === 1 ? SUB : undefined),
});

export const sub = defineOp({
  name: 'sub',
  aliases: ['subtract'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', ...kernel },
    { schema: 'aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', ...kernel },
  ],
});
