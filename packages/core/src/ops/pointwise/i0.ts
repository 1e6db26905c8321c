import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import { i0 as i0Scalar } from '../../cpu/pointwise_math.js';

/** modified Bessel function of the first kind, order 0; integer inputs give float32 */
export const i0 = defineOp({
  name: 'i0',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::i0(Tensor self) -> Tensor', ...unary({ kernel: 'i0_vml_cpu', kind: 'float', f: i0Scalar }) }],
});
