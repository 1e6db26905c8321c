import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { pyInplaceWrapper } from './py_functional.js';

/** x * relu6(x + 3) / 6 */
export const hardswish = defineOp({
  name: 'hardswish',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::hardswish(Tensor self) -> Tensor', ...floatUnary('hardswish_cpu', () => (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6) },
    // F.hardswish(input, inplace=False)
    pyInplaceWrapper('torchlet::hardswish(Tensor input, bool inplace=False) -> Tensor', 'aten::hardswish', ['input']),
  ],
});
