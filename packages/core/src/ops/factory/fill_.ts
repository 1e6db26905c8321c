import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';

/**
 * Tensor.fill_ / Tensor.zero_ in the eager API. `aten::fill_` itself is declared with the
 * TorchScript builtins (ops/scalar); these are the method spellings users call.
 */
export const fill_ = defineOp({
  name: 'fill_',
  variants: ['method'],
  overloads: [{ schema: 'torchlet::fill_(Tensor(a!) self, Scalar value) -> Tensor(a!)', tags: ['inplace', 'composite'], decompose: (a) => callOp('aten::fill_', [a.self, a.value]) }],
});

export const zero_ = defineOp({
  name: 'zero_',
  variants: ['method', 'function'],
  overloads: [{ schema: 'aten::zero_(Tensor(a!) self) -> Tensor(a!)', tags: ['inplace', 'composite'], decompose: (a) => callOp('aten::fill_', [a.self, 0]) }],
});

export const __invert__ = defineOp({
  name: '__invert__',
  variants: [],
  overloads: [{ schema: 'aten::__invert__(Tensor self) -> Tensor', tags: ['composite'], decompose: (a) => callOp('aten::bitwise_not', [a.self]) }],
});

/** torch.fill(x, v): a new tensor like x filled with v (OpInfo's functional fill). */
export const fill = defineOp({
  name: 'fill',
  variants: ['function'],
  overloads: [
    { schema: 'torchlet::fill.Scalar(Tensor self, Scalar value) -> Tensor', tags: ['composite'], decompose: (a) => callOp('aten::fill_', [callOp('aten::clone', [a.self]), a.value]) },
    { schema: 'torchlet::fill.Tensor(Tensor self, Tensor value) -> Tensor', tags: ['composite'], decompose: (a) => callOp('aten::fill_', [callOp('aten::clone', [a.self]), a.value]) },
  ],
});
