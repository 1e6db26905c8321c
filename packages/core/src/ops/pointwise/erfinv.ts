import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { erfinv as erfinvScalar } from '../../cpu/pointwise_math.js';

export const erfinv = defineOp({
  name: 'erfinv',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::erfinv(Tensor self) -> Tensor', ...unary({ kernel: 'erfinv_vml_cpu', kind: 'float', f: erfinvScalar }) }],
});
