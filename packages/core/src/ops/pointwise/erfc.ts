import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { erfc as erfcScalar } from '../../cpu/pointwise_math.js';

export const erfc = defineOp({
  name: 'erfc',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::erfc(Tensor self) -> Tensor', ...unary({ kernel: 'erfc_vml_cpu', kind: 'float', f: erfcScalar }) }],
});
