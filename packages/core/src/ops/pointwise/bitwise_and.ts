import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { bitwiseKernel } from '../../cpu/pointwise_bitwise.js';

const kernel = bitwiseKernel('and');

export const bitwise_and = defineOp({
  name: 'bitwise_and',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::bitwise_and.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_and.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::bitwise_and.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a & b` on tensors (not in the eager namespace) */
export const __and__ = defineOp({
  name: '__and__',
  variants: [],
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::__and__.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::__and__.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
  ],
});

/** TorchScript's `a &= b` on tensors */
export const __iand__ = defineOp({
  name: '__iand__',
  variants: [],
  tags: ['pointwise', 'inplace'],
  overloads: [
    { schema: 'aten::__iand__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_and_', [a.self, a.other]) },
    { schema: 'aten::__iand__.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', decompose: (a) => callOp('aten::bitwise_and_', [a.self, a.other]) },
  ],
});
