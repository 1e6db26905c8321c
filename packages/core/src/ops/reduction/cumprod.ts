import { defineOp } from '../../registry.js';
import { castFn } from '../../cpu/reduce_core.js';
import { scanLayout } from '../../cpu/reduce_scan.js';
import { isFloating } from '../../dtype.js';
import { scanDtype } from './cumsum.js';
import { IntProduct } from './prod.js';

export const cumprod = defineOp({
  name: 'cumprod',
  inplace: true,
  overloads: [
    {
      schema: 'aten::cumprod(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: [...a.self.shape], dtype: scanDtype('cumprod', a) }),
      cpu: (a, [out]) => {
        const { data, offset, outer, R, inner } = scanLayout(a.self, a.dim, castFn(a.self.dtype, a.dtype));
        const o = out!.hostArray;
        if (isFloating(out!.dtype)) {
          const acc = new Float64Array(inner);
          for (let oo = 0; oo < outer; oo++) {
            acc.fill(1);
            for (let r = 0; r < R; r++) {
              const p = (oo * R + r) * inner, q = offset + p;
              for (let i = 0; i < inner; i++) o[p + i] = acc[i] *= data[q + i]!;
            }
          }
          return;
        }
        const prod = new IntProduct(out!.dtype);
        for (let oo = 0; oo < outer; oo++) {
          for (let i = 0; i < inner; i++) {
            prod.reset();
            for (let r = 0; r < R; r++) {
              const p = (oo * R + r) * inner + i;
              prod.mul(data[offset + p]!);
              o[p] = prod.value();
            }
          }
        }
      },
    },
  ],
});
