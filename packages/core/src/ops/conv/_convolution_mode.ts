import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { convOverload } from './conv_common.js';

/** Convolution with string padding ('valid' / 'same'), batched input. */
export const _convolution_mode = defineOp({
  name: '_convolution_mode',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::_convolution_mode(Tensor input, Tensor weight, Tensor? bias, int[] stride, str padding, int[] dilation, int groups) -> Tensor',
      ...convOverload((a) => ({
        input: a.input as Tensor, weight: a.weight as Tensor, bias: a.bias as Tensor | null, stride: a.stride as number[],
        padding: a.padding as string, dilation: a.dilation as number[], transposed: false, outputPadding: [0], groups: a.groups as number,
      })),
    },
  ],
});
