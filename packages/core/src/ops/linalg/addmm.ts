import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, expandShapeCheck, fillScaled, mat, scalarAs } from './common.js';
import { mmSizes } from './mm.js';

/** beta * self + alpha * (mat1 @ mat2); beta = 0 ignores self and alpha = 0 the product (BLAS semantics). */
export const addmm = defineOp({
  name: 'addmm',
  inplace: true,
  overloads: [
    {
      schema: 'aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, m1 = a.mat1 as Tensor, m2 = a.mat2 as Tensor;
        const [n, , p] = mmSizes(m1, m2, 'mat1', 'mat2', true);
        if (self.dtype !== m2.dtype || m1.dtype !== m2.dtype) throw new Error('self and mat2 must have the same dtype');
        expandShapeCheck(self, [n, p]);
        checkBlasDtype('addmm_impl_cpu_', self.dtype);
        return { shape: [n, p], dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const m1 = a.mat1 as Tensor, m2 = a.mat2 as Tensor, o = out!;
        const [n, k, p] = [m1.shape[0]!, m1.shape[1]!, m2.shape[1]!];
        const beta = scalarAs(a.beta, o.dtype), alpha = scalarAs(a.alpha, o.dtype);
        fillScaled(o, a.self, beta);
        if (alpha !== 0) gemm(n, p, k, mat(m1, 0, 1), mat(m2, 0, 1), o.hostArray, 0, p, alpha, true);
      },
    },
  ],
});
