import { defineOp } from '../../registry.js';
import { convolutionCall, convOverload } from './conv_common.js';

/** What traced models call (`torch._convolution(...)`); benchmark/deterministic/cudnn/tf32 flags do nothing on CPU. */
export const _convolution = defineOp({
  name: '_convolution',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::_convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, bool benchmark, bool deterministic, bool cudnn_enabled, bool allow_tf32) -> Tensor',
      ...convOverload(convolutionCall),
    },
    {
      schema: 'aten::_convolution.deprecated(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, bool benchmark, bool deterministic, bool cudnn_enabled) -> Tensor',
      ...convOverload(convolutionCall),
    },
  ],
});
