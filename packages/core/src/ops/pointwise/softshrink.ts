import { defineOp } from '../../registry.js';
import { floatUnary, checkedScalarIn } from '../../cpu/pointwise_kernels.js';

/** x - lambd for x > lambd, x + lambd for x < -lambd, else 0 */
export const softshrink = defineOp({
  name: 'softshrink',
  variants: ['F'],
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::softshrink(Tensor self, Scalar lambd=0.5) -> Tensor',
      ...floatUnary(
        'softshrink_cpu',
        (d, a) => {
          const l = checkedScalarIn(a.lambd as number, d);
          return (x) => (x > l ? x - l : x < -l ? x + l : 0); // NaN gives 0 in PyTorch 1.13
        },
        (a) => {
          if (Number(a.lambd) < 0) throw new Error(`lambda must be greater or equal to 0, but found to be ${a.lambd}.`);
        },
      ),
    },
  ],
});
