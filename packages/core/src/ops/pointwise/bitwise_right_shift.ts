import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { shiftKernel } from '../../cpu/pointwise_bitwise.js';

const kernel = shiftKernel('right');

export const bitwise_right_shift = defineOp({
  name: 'bitwise_right_shift',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::bitwise_right_shift.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_right_shift.Tensor_Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_right_shift.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a >> b` on tensors (not in the eager namespace) */
export const __rshift__ = defineOp({
  name: '__rshift__',
  variants: [],
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::__rshift__.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::__rshift__.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a >>= b` on tensors */
export const __irshift__ = defineOp({
  name: '__irshift__',
  variants: [],
  tags: ['pointwise', 'inplace'],
  overloads: [
    { schema: 'aten::__irshift__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_right_shift_', [a.self, a.other]) },
    { schema: 'aten::__irshift__.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_right_shift_', [a.self, a.other]) },
  ],
});
