import { defineOp } from '../../registry.js';
import { floatUnary, rounder, checkedScalarIn } from '../../cpu/pointwise_kernels.js';

/** log(1 + exp(beta x)) / beta, or x where beta x > threshold */
export const softplus = defineOp({
  name: 'softplus',
  variants: ['F'],
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor',
      ...floatUnary('softplus_cpu', (d, a) => {
        const beta = checkedScalarIn(a.beta as number, d), th = checkedScalarIn(a.threshold as number, d);
        const r = rounder(d);
        return (x) => {
          const xb = r(x * beta);
          return xb > th ? x : Math.log1p(Math.exp(xb)) / beta;
        };
      }),
    },
  ],
});
