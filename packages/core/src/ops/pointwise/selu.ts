import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { eluFn } from './elu.js';
import { pyInplaceWrapper } from './py_functional.js';

const ALPHA = 1.6732632423543772848170429916717;
const SCALE = 1.0507009873554804934193349852946;

/** elu(x, alpha=1.6732..., scale=1.0507...) */
export const selu = defineOp({
  name: 'selu',
  variants: ['function', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::selu(Tensor self) -> Tensor', ...floatUnary('elu_cpu', (d) => eluFn(d, ALPHA, SCALE, 1)) },
    // F.selu(input, inplace=False)
    pyInplaceWrapper('torchlet::selu(Tensor input, bool inplace=False) -> Tensor', 'aten::selu', ['input']),
  ],
});
