import { defineOp } from '../../registry.js';
import { convOverload, convTransposeNdCall } from './conv_common.js';

/** F.conv_transpose1d (the gradient of conv1d with respect to its input); unbatched inputs allowed. */
export const conv_transpose1d = defineOp({
  name: 'conv_transpose1d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=[1], int[1] padding=[0], int[1] output_padding=[0], int groups=1, int[1] dilation=[1]) -> Tensor',
      ...convOverload(convTransposeNdCall(1, 'conv_transpose1d')),
    },
  ],
});
