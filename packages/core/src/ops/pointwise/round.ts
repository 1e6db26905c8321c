import { defineOp } from '../../registry.js';
import { rounder, unary, notImplemented } from '../../cpu/pointwise_kernels.js';
import { runUnary } from '../../cpu/pointwise_kernels.js';
import { nearbyint } from '../../cpu/pointwise_math.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

export const round = defineOp({
  name: 'round',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::round(Tensor self) -> Tensor', ...unary({ kernel: 'round_vml_cpu', kind: 'same', f: nearbyint, int: (x) => x }) },
    {
      schema: 'aten::round.decimals(Tensor self, *, int decimals) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor;
        if (!isFloating(self.dtype)) throw notImplemented('round_cpu', self.dtype);
        return { shape: [...self.shape], dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        // ATen: nearbyint(x * 10^d) / 10^d (or x / 10^-d, ... * 10^-d for d < 0) in the tensor's precision
        const r = rounder(self.dtype);
        let d = a.decimals as number;
        const neg = d < 0;
        if (neg) d = -d;
        const p = r(10 ** d);
        const f = neg ? (x: number) => r(nearbyint(r(x / p)) * p) : (x: number) => r(nearbyint(r(x * p)) / p);
        runUnary(out!, self, self.dtype, f);
      },
    },
  ],
});
