import { defineOp } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import { logaddexp2 as logaddexp2Scalar } from '../../cpu/pointwise_math.js';

/** log2(2^x + 2^y) without overflow, floating dtypes only */
const kernel = binary({ kernel: 'logaddexp2_cpu', noInt: true, f: () => logaddexp2Scalar });

export const logaddexp2 = defineOp({
  name: 'logaddexp2',
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logaddexp2(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
