import { defineOp } from '../../registry.js';
import { convNdCall, convOverload } from './conv_common.js';

const read = convNdCall(2, 'conv2d');

/** F.conv2d: int or string ('valid' / 'same') padding; unbatched inputs allowed. */
export const conv2d = defineOp({
  name: 'conv2d',
  variants: ['function', 'F'],
  overloads: [
    { schema: 'aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] dilation=1, int groups=1) -> Tensor', ...convOverload(read) },
    { schema: 'aten::conv2d.padding(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, str padding="valid", int[2] dilation=1, int groups=1) -> Tensor', ...convOverload(read) },
  ],
});
