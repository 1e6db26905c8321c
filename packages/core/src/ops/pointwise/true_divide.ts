import { defineOp } from '../../registry.js';
import { divKernel } from './div.js';

const kernel = divKernel(null);

export const true_divide = defineOp({
  name: 'true_divide',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::true_divide.Tensor(Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::true_divide.Scalar(Tensor self, Scalar other) -> Tensor', ...kernel },
  ],
});
