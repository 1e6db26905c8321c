import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { geluErf, geluTanh } from '../../cpu/pointwise_math.js';

/** approximate='none': x * Phi(x) with the exact erf; 'tanh': the tanh approximation */
export const gelu = defineOp({
  name: 'gelu',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::gelu(Tensor self, *, str approximate="none") -> Tensor',
      ...floatUnary(
        'GeluKernelImpl',
        (_d, a) => (a.approximate === 'tanh' ? geluTanh : geluErf),
        (a) => {
          if (a.approximate !== 'none' && a.approximate !== 'tanh') throw new Error('approximate argument must be either none or tanh.');
        },
      ),
    },
  ],
});
