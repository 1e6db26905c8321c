import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { pyInplaceWrapper } from './py_functional.js';

export const relu = defineOp({
  name: 'relu',
  variants: ['function', 'method', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::relu(Tensor self) -> Tensor',
      ...unary({ kernel: 'clamp_min_cpu', kind: 'same', f: (x) => (x > 0 ? x : x === x ? 0 : x), boolError: 'Boolean inputs not supported for relu' }),
    },
    // F.relu(input, inplace=False)
    pyInplaceWrapper('torchlet::relu(Tensor input, bool inplace=False) -> Tensor', 'aten::relu', ['input']),
  ],
});
