import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** atan2(self, other) in the promoted float dtype */
const kernel = binary({ kernel: 'atan2_cpu', compute: 'float', f: () => Math.atan2 });

export const atan2 = defineOp({
  name: 'atan2',
  aliases: ['arctan2'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::atan2(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
