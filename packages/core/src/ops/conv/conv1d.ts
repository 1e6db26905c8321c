import { defineOp } from '../../registry.js';
import { convNdCall, convOverload } from './conv_common.js';

const read = convNdCall(1, 'conv1d');

/** F.conv1d: int or string ('valid' / 'same') padding; unbatched inputs allowed. */
export const conv1d = defineOp({
  name: 'conv1d',
  variants: ['function', 'F'],
  overloads: [
    { schema: 'aten::conv1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=[1], int[1] padding=[0], int[1] dilation=[1], int groups=1) -> Tensor', ...convOverload(read) },
    { schema: 'aten::conv1d.padding(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=[1], str padding="valid", int[1] dilation=[1], int groups=1) -> Tensor', ...convOverload(read) },
  ],
});
