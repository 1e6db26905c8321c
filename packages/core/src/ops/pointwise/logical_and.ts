import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** truthiness of both operands (NaN is true); the result is bool */
const kernel = binary({ kernel: 'logical_and', out: 'bool', f: () => (x, y) => (x !== 0 && y !== 0 ? 1 : 0) });

export const logical_and = defineOp({
  name: 'logical_and',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logical_and(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
