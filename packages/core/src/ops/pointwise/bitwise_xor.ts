import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { bitwiseKernel } from '../../cpu/pointwise_bitwise.js';

const kernel = bitwiseKernel('xor');

export const bitwise_xor = defineOp({
  name: 'bitwise_xor',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::bitwise_xor.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_xor.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_xor.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a ^ b` on tensors (not in the eager namespace) */
export const __xor__ = defineOp({
  name: '__xor__',
  variants: [],
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::__xor__.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::__xor__.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a ^= b` on tensors */
export const __ixor__ = defineOp({
  name: '__ixor__',
  variants: [],
  tags: ['pointwise', 'inplace'],
  overloads: [
    { schema: 'aten::__ixor__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_xor_', [a.self, a.other]) },
    { schema: 'aten::__ixor__.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_xor_', [a.self, a.other]) },
  ],
});
