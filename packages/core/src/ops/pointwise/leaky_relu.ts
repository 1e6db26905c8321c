import { defineOp } from '../../registry.js';
import { floatUnary, checkedScalarIn } from '../../cpu/pointwise_kernels.js';
import { pyInplaceWrapper } from './py_functional.js';

export const leaky_relu = defineOp({
  name: 'leaky_relu',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor',
      ...floatUnary('leaky_relu_cpu', (d, a) => {
        const s = checkedScalarIn(a.negative_slope as number, d);
        return (x) => (x > 0 ? x : x * s);
      }),
    },
    // F.leaky_relu(input, negative_slope=0.01, inplace=False)
    pyInplaceWrapper('torchlet::leaky_relu(Tensor input, float negative_slope=0.01, bool inplace=False) -> Tensor', 'aten::leaky_relu', ['input', 'negative_slope']),
  ],
});
