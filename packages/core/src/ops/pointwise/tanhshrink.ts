import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** F.tanhshrink(input) = input - input.tanh(), a Python composite in PyTorch */
export const tanhshrink = defineOp({
  name: 'tanhshrink',
  variants: ['F'],
  tags: ['pointwise', 'composite'],
  overloads: [
    {
      schema: 'torchlet::tanhshrink(Tensor input) -> Tensor',
      decompose: (a) => {
        const t = callOp('aten::tanh', [a.input]) as Tensor;
        const r = callOp('aten::sub', [a.input, t]);
        t.dispose();
        return r;
      },
    },
  ],
});
