import { sumDtype } from '../../cpu/reduce.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { notImplemented } from './common.js';

/** Sum of the main diagonal of a matrix; integers accumulate to int64 like sum. */
export const trace = defineOp({
  name: 'trace',
  overloads: [
    {
      schema: 'aten::trace(Tensor self) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor;
        if (x.ndim !== 2) throw new Error(`trace: expected a matrix, but got tensor with dim ${x.ndim}`);
        if (x.dtype === 'bool') notImplemented('trace', x.dtype);
        return { shape: [], dtype: sumDtype(x.dtype, null) };
      },
      cpu: (a, [out]) => {
        const x = a.self as Tensor;
        const n = Math.min(x.shape[0]!, x.shape[1]!), st = x.strides[0]! + x.strides[1]!, X = x.hostArray;
        let s = 0;
        for (let i = 0, p = x.offset; i < n; i++, p += st) s += X[p]!;
        out!.hostArray[0] = s;
      },
    },
  ],
});
