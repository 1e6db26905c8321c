import { defineOp } from '../../registry.js';
import { convNdCall, convOverload } from './conv_common.js';

const read = convNdCall(3, 'conv3d');

/** F.conv3d: int or string ('valid' / 'same') padding; unbatched inputs allowed. */
export const conv3d = defineOp({
  name: 'conv3d',
  variants: ['function', 'F'],
  overloads: [
    { schema: 'aten::conv3d(Tensor input, Tensor weight, Tensor? bias=None, int[3] stride=1, int[3] padding=0, int[3] dilation=1, int groups=1) -> Tensor', ...convOverload(read) },
    { schema: 'aten::conv3d.padding(Tensor input, Tensor weight, Tensor? bias=None, int[3] stride=1, str padding="valid", int[3] dilation=1, int groups=1) -> Tensor', ...convOverload(read) },
  ],
});
