import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { softplus1 } from '../../cpu/pointwise_math.js';
import { pyInplaceWrapper } from './py_functional.js';

/** x * tanh(softplus(x)) */
export const mish = defineOp({
  name: 'mish',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::mish(Tensor self) -> Tensor', ...floatUnary('mish_cpu', () => (x) => x * Math.tanh(softplus1(x))) },
    // F.mish(input, inplace=False)
    pyInplaceWrapper('torchlet::mish(Tensor input, bool inplace=False) -> Tensor', 'aten::mish', ['input']),
  ],
});
