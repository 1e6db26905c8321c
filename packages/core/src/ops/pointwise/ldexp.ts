import { callOp, wrapScalar } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** self * 2^other, composed as ATen does: mul(self, pow(2.0, other)) (so the result is a float dtype) */
export const ldexp = defineOp({
  name: 'ldexp',
  inplace: true,
  tags: ['pointwise', 'composite'],
  overloads: [
    {
      schema: 'aten::ldexp.Tensor(Tensor self, Tensor other) -> Tensor',
      decompose: (a) => {
        // base: the Python float 2.0 (a wrapped float64 number: JS cannot tell 2.0 from 2)
        const p = callOp('aten::pow', [wrapScalar(2, 'float64'), a.other]) as Tensor;
        const r = callOp('aten::mul', [a.self, p]);
        p.dispose();
        return r;
      },
    },
  ],
});
