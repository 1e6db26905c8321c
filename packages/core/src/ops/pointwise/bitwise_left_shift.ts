import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { shiftKernel } from '../../cpu/pointwise_bitwise.js';

const kernel = shiftKernel('left');

export const bitwise_left_shift = defineOp({
  name: 'bitwise_left_shift',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::bitwise_left_shift.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_left_shift.Tensor_Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_left_shift.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a << b` on tensors (not in the eager namespace) */
export const __lshift__ = defineOp({
  name: '__lshift__',
  variants: [],
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::__lshift__.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::__lshift__.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a <<= b` on tensors */
export const __ilshift__ = defineOp({
  name: '__ilshift__',
  variants: [],
  tags: ['pointwise', 'inplace'],
  overloads: [
    { schema: 'aten::__ilshift__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_left_shift_', [a.self, a.other]) },
    { schema: 'aten::__ilshift__.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_left_shift_', [a.self, a.other]) },
  ],
});
