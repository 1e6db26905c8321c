import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const isfinite = defineOp({
  name: 'isfinite',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::isfinite(Tensor self) -> Tensor', ...unary({ kernel: 'isfinite', kind: 'bool', f: (x) => (Number.isFinite(x) ? 1 : 0) }) }],
});
