import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { batchedGemm, checkBlasDtype, checkSameDtype, expandShapeCheck, fillScaled, scalarAs } from './common.js';
import { bmmSizes } from './bmm.js';

/** beta * self + alpha * bmm(batch1, batch2); self is cast to the batches' dtype. */
export const baddbmm = defineOp({
  name: 'baddbmm',
  inplace: true,
  overloads: [
    {
      schema: 'aten::baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, b1 = a.batch1 as Tensor, b2 = a.batch2 as Tensor;
        const [b, n, , p] = bmmSizes(b1, b2);
        expandShapeCheck(self, [b, n, p]);
        checkSameDtype(b1.dtype, b2.dtype);
        checkBlasDtype('baddbmm_cpu', b1.dtype);
        return { shape: [b, n, p], dtype: b1.dtype };
      },
      cpu: (a, [out]) => {
        const x = a.batch1 as Tensor, y = a.batch2 as Tensor, o = out!;
        const [b, n, k, p] = bmmSizes(x, y);
        fillScaled(o, a.self, scalarAs(a.beta, o.dtype));
        // unlike addmm, alpha = 0 still multiplies (NaN in the batches propagates, as in PyTorch)
        batchedGemm(b, n, p, k, x, x.strides[0]!, x.strides[1]!, x.strides[2]!, y, y.strides[0]!, y.strides[1]!, y.strides[2]!, o.hostArray, scalarAs(a.alpha, o.dtype), true);
      },
    },
  ],
});
