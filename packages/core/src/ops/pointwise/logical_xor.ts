import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';

/** truthiness of exactly one operand; the result is bool */
const kernel = binary({ kernel: 'logical_xor', out: 'bool', f: () => (x, y) => ((x !== 0) !== (y !== 0) ? 1 : 0) });

export const logical_xor = defineOp({
  name: 'logical_xor',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logical_xor(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
