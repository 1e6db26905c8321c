import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { erf as erfScalar } from '../../cpu/pointwise_math.js';

export const erf = defineOp({
  name: 'erf',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::erf(Tensor self) -> Tensor', ...unary({ kernel: 'erf_vml_cpu', kind: 'float', f: erfScalar }) }],
});
