import { defineOp } from '../../registry.js';
import { frexp as frexpScalar } from '../../cpu/pointwise_math.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** (mantissa, exponent) with self = mantissa * 2^exponent, |mantissa| in [0.5, 1); exponent is int32 */
export const frexp = defineOp({
  name: 'frexp',
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::frexp.Tensor(Tensor self) -> (Tensor mantissa, Tensor exponent)',
      infer: (a) => {
        const self = a.self as Tensor;
        if (!isFloating(self.dtype)) throw new Error('torch.frexp() only supports floating-point dtypes');
        return [{ shape: [...self.shape], dtype: self.dtype }, { shape: [...self.shape], dtype: 'int32' }];
      },
      cpu: (a, [m, e]) => {
        const x = (a.self as Tensor).contiguousArray();
        const mo = m!.hostArray, eo = e!.hostArray;
        for (let i = 0; i < x.length; i++) {
          const [mm, ee] = frexpScalar(x[i]!);
          mo[i] = mm;
          eo[i] = ee;
        }
      },
    },
  ],
});
