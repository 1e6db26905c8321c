import { defineOp } from '../../registry.js';
import { hardtanhKernel } from './hardtanh.js';
import { pyInplaceWrapper } from './py_functional.js';

/** hardtanh(x, 0, 6) */
export const relu6 = defineOp({
  name: 'relu6',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::relu6(Tensor self) -> Tensor', ...hardtanhKernel(() => [0, 6]) },
    // F.relu6(input, inplace=False)
    pyInplaceWrapper('torchlet::relu6(Tensor input, bool inplace=False) -> Tensor', 'aten::relu6', ['input']),
  ],
});
