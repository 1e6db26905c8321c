import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { bitwiseKernel } from '../../cpu/pointwise_bitwise.js';

const kernel = bitwiseKernel('or');

export const bitwise_or = defineOp({
  name: 'bitwise_or',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::bitwise_or.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_or.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_or.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a | b` on tensors (not in the eager namespace) */
export const __or__ = defineOp({
  name: '__or__',
  variants: [],
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::__or__.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::__or__.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a |= b` on tensors */
export const __ior__ = defineOp({
  name: '__ior__',
  variants: [],
  tags: ['pointwise', 'inplace'],
  overloads: [
    { schema: 'aten::__ior__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_or_', [a.self, a.other]) },
    { schema: 'aten::__ior__.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_or_', [a.self, a.other]) },
  ],
});
