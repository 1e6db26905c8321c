import { defineOp } from '../../registry.js';
import { divKernel } from './div.js';

/** floor_divide rounds toward negative infinity (PyTorch 1.13 semantics, like div(rounding_mode='floor')) */
const kernel = divKernel('floor');

export const floor_divide = defineOp({
  name: 'floor_divide',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::floor_divide(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::floor_divide.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
