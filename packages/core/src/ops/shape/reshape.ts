import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { inferSize } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { viewStrides } from './view.js';

/** A view when the strides allow it, otherwise a contiguous copy viewed to the new shape. */
export const reshape = defineOp({
  name: 'reshape',
  overloads: [
    {
      schema: 'aten::reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor;
        const shape = inferSize(a.shape, self.numel(), 'reshape');
        if (viewStrides(self, shape)) return callOp('aten::view', [self, shape]);
        const c = callOp('aten::clone', [self], { memory_format: 0 }) as Tensor;
        const r = callOp('aten::view', [c, shape]) as Tensor;
        c.dispose();
        return r;
      },
    },
  ],
});
