import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { sigmoid as sigmoidScalar } from '../../cpu/pointwise_math.js';

export const sigmoid = defineOp({
  name: 'sigmoid',
  variants: ['function', 'method', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::sigmoid(Tensor self) -> Tensor', ...unary({ kernel: 'sigmoid_cpu', kind: 'float', f: sigmoidScalar }) }],
});
