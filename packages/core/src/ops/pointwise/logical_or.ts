import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** truthiness of either operand; the result is bool */
const kernel = binary({ kernel: 'logical_or', out: 'bool', f: () => (x, y) => (x !== 0 || y !== 0 ? 1 : 0) });

export const logical_or = defineOp({
  name: 'logical_or',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logical_or(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
