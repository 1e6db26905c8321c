import { defineOp } from '../../registry.js';
import { binary, checkedScalarIn } from '../../cpu/pointwise_kernels.js';

/** min(x, max) in the promoted dtype; a NaN bound is ignored for the Scalar overload, propagated for Tensor bounds */
export const clampMaxScalar = binary({ kernel: 'clamp_max_scalar_cpu', args: ['self', 'max'], noBool: true, check: (c, a) => void checkedScalarIn(a.max, c), f: () => (x, m) => (m < x ? m : x) });
export const clampMaxTensor = binary({ kernel: 'clamp_max', args: ['self', 'max'], f: () => (x, m) => (m !== m ? m : m < x ? m : x) });

export const clamp_max = defineOp({
  name: 'clamp_max',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::clamp_max(Tensor self, Scalar max) -> Tensor', ...clampMaxScalar },
    { schema: 'aten::clamp_max.Tensor(Tensor self, Tensor max) -> Tensor', ...clampMaxTensor },
  ],
});
