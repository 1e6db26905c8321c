import { defineOp, type Args } from '../../registry.js';
import { accumulateDtype, castFn, scalarTypeName } from '../../cpu/reduce_core.js';
import { cumulativeSum, scanLayout } from '../../cpu/reduce_scan.js';
import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** cumsum/cumprod output dtype: `dtype=` or the input's, with integers and bool widened to int64. */
export function scanDtype(name: string, a: Args): DType {
  const d = accumulateDtype((a.self as Tensor).dtype, a.dtype as DType | null);
  if (d === 'bool') throw new TypeError(`"${name}_out_cpu" not implemented for '${scalarTypeName(d)}'`);
  return d;
}

export const cumsum = defineOp({
  name: 'cumsum',
  inplace: true,
  overloads: [
    {
      schema: 'aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: [...a.self.shape], dtype: scanDtype('cumsum', a) }),
      cpu: (a, [out]) => cumulativeSum(scanLayout(a.self, a.dim, castFn(a.self.dtype, a.dtype)), out!.hostArray),
    },
  ],
});
