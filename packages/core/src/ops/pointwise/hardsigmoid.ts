import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { pyInplaceWrapper } from './py_functional.js';

/** relu6(x + 3) / 6 */
export const hardsigmoid = defineOp({
  name: 'hardsigmoid',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::hardsigmoid(Tensor self) -> Tensor', ...floatUnary('hardsigmoid_cpu', () => (x) => Math.min(Math.max(x + 3, 0), 6) / 6) },
    // F.hardsigmoid(input, inplace=False)
    pyInplaceWrapper('torchlet::hardsigmoid(Tensor input, bool inplace=False) -> Tensor', 'aten::hardsigmoid', ['input']),
  ],
});
