import { defineOp } from '../../registry.js';
import { runUnary } from '../../cpu/pointwise_kernels.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

const MAX: Partial<Record<DType, number>> = { float16: 65504, float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

export const nan_to_num = defineOp({
  name: 'nan_to_num',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::nan_to_num(Tensor self, float? nan=None, float? posinf=None, float? neginf=None) -> Tensor',
      infer: (a) => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        if (!isFloating(self.dtype)) {
          runUnary(out!, self, self.dtype, (x) => x);
          return;
        }
        const big = MAX[self.dtype]!;
        const nan = (a.nan as number | null) ?? 0;
        const pos = (a.posinf as number | null) ?? big;
        const neg = (a.neginf as number | null) ?? -big;
        runUnary(out!, self, self.dtype, (x) => (x !== x ? nan : x === Infinity ? pos : x === -Infinity ? neg : x));
      },
    },
  ],
});
