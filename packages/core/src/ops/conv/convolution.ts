import { defineOp } from '../../registry.js';
import { convolutionCall, convOverload } from './conv_common.js';

/** The generic convolution every conv op reduces to (batched input; 1-3 spatial dims from the weight). */
export const convolution = defineOp({
  name: 'convolution',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups) -> Tensor',
      ...convOverload(convolutionCall, false),
    },
  ],
});
