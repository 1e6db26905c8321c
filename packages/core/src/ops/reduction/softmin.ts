import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { implicitSoftmaxDim, softmaxInfer, softmaxKernel } from './softmax.js';

export const softmin = defineOp({
  name: 'softmin',
  variants: ['F'],
  overloads: [
    {
      // Python-level torch.nn.functional.softmin: softmax(-input)
      schema: 'torchlet::softmin(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None) -> Tensor',
      infer: (a) => softmaxInfer('softmin')({ self: a.input, dim: a.dim, dtype: a.dtype }),
      cpu: (a, outs) => softmaxKernel('softmin')({ self: a.input, dim: a.dim, dtype: a.dtype }, outs),
      decompose: (a) => {
        const self = a.input as Tensor;
        const neg = callOp('aten::neg', [self]) as Tensor;
        try {
          return callOp('aten::softmax', [neg, (a.dim as number | null) ?? implicitSoftmaxDim(self.ndim)], { dtype: a.dtype });
        } finally {
          neg.dispose();
        }
      },
    },
  ],
});
