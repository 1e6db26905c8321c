import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** F.softsign(input) = input / (input.abs() + 1), a Python composite in PyTorch */
export const softsign = defineOp({
  name: 'softsign',
  variants: ['F'],
  tags: ['pointwise', 'composite'],
  overloads: [
    {
      schema: 'torchlet::softsign(Tensor input) -> Tensor',
      decompose: (a) => {
        const abs = callOp('aten::abs', [a.input]) as Tensor;
        const den = callOp('aten::add', [abs, 1]) as Tensor;
        abs.dispose();
        const r = callOp('aten::div', [a.input, den]);
        den.dispose();
        return r;
      },
    },
  ],
});
