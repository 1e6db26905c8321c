import { defineOp } from '../../registry.js';
import { convOverload, convTransposeNdCall } from './conv_common.js';

/** F.conv_transpose3d (the gradient of conv3d with respect to its input); unbatched inputs allowed. */
export const conv_transpose3d = defineOp({
  name: 'conv_transpose3d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::conv_transpose3d.input(Tensor input, Tensor weight, Tensor? bias=None, int[3] stride=1, int[3] padding=0, int[3] output_padding=0, int groups=1, int[3] dilation=1) -> Tensor',
      ...convOverload(convTransposeNdCall(3, 'conv_transpose3d')),
    },
  ],
});
