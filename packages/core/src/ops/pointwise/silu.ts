import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { pyInplaceWrapper } from './py_functional.js';

/** x * sigmoid(x) */
export const silu = defineOp({
  name: 'silu',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::silu(Tensor self) -> Tensor', ...floatUnary('silu_cpu', () => (x) => x / (1 + Math.exp(-x))) },
    // F.silu(input, inplace=False)
    pyInplaceWrapper('torchlet::silu(Tensor input, bool inplace=False) -> Tensor', 'aten::silu', ['input']),
  ],
});
