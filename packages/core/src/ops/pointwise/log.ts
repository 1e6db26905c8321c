import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';

export const log = defineOp({
  name: 'log',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::log(Tensor self) -> Tensor', ...unary({ kernel: 'log_vml_cpu', kind: 'float', f: Math.log }) }],
});
