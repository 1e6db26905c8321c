import { defineOp } from '../../registry.js';
import { binary, checkedScalarIn } from '../../cpu/pointwise_kernels.js';

/** max(x, min) in the promoted dtype; a NaN bound is ignored for the Scalar overload, propagated for Tensor bounds */
export const clampMinScalar = binary({ kernel: 'clamp_min_cpu', args: ['self', 'min'], noBool: true, check: (c, a) => void checkedScalarIn(a.min, c), f: () => (x, m) => (x < m ? m : x) });
export const clampMinTensor = binary({ kernel: 'clamp_min', args: ['self', 'min'], f: () => (x, m) => (m !== m ? m : x < m ? m : x) });

export const clamp_min = defineOp({
  name: 'clamp_min',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::clamp_min(Tensor self, Scalar min) -> Tensor', ...clampMinScalar },
    { schema: 'aten::clamp_min.Tensor(Tensor self, Tensor min) -> Tensor', ...clampMinTensor },
  ],
});
