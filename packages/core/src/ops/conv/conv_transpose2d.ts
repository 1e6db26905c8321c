import { defineOp } from '../../registry.js';
import { convOverload, convTransposeNdCall } from './conv_common.js';

/** F.conv_transpose2d (the gradient of conv2d with respect to its input); unbatched inputs allowed. */
export const conv_transpose2d = defineOp({
  name: 'conv_transpose2d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::conv_transpose2d.input(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] output_padding=0, int groups=1, int[2] dilation=1) -> Tensor',
      ...convOverload(convTransposeNdCall(2, 'conv_transpose2d')),
    },
  ],
});
