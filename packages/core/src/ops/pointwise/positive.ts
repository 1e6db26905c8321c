import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

export const positive = defineOp({
  name: 'positive',
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::positive(Tensor(a) self) -> Tensor(a)',
      // PyTorch returns `self` itself; torchlet returns a view of it (same storage, shape, strides)
      view: (a) => {
        const self = a.self as Tensor;
        if (self.dtype === 'bool') throw new Error('The `+` operator, on a bool tensor is not supported.');
        return { shape: [...self.shape], strides: [...self.strides], offset: self.offset };
      },
    },
  ],
});
