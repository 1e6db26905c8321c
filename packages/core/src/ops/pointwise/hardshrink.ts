import { defineOp } from '../../registry.js';
import { floatUnary, checkedScalarIn } from '../../cpu/pointwise_kernels.js';

/** 0 for -lambd <= x <= lambd, else x */
export const hardshrink = defineOp({
  name: 'hardshrink',
  variants: ['function', 'method', 'F'],
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor',
      ...floatUnary('hardshrink_cpu', (d, a) => {
        const l = checkedScalarIn(a.lambd as number, d);
        return (x) => (x >= -l && x <= l ? 0 : x);
      }),
    },
  ],
});
