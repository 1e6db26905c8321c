import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype, fillScaled, scalarAs } from './common.js';

/** beta * self + alpha * (mat @ vec); self is cast to mat's dtype. */
export const addmv = defineOp({
  name: 'addmv',
  inplace: true,
  overloads: [
    {
      schema: 'aten::addmv(Tensor self, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, m = a.mat as Tensor, v = a.vec as Tensor;
        if (m.ndim !== 2 || v.ndim !== 1 || self.ndim > 1) throw new Error(`vector + matrix @ vector expected, got ${self.ndim}, ${m.ndim}, ${v.ndim}`);
        const n = m.shape[0]!;
        const selfN = self.ndim === 0 || self.shape[0] === 1 ? n : self.shape[0]!;
        if (m.shape[1] !== v.shape[0] || selfN !== n) throw new Error(`size mismatch, got ${selfN}, ${n}x${m.shape[1]},${v.shape[0]}`);
        checkSameDtype(m.dtype, v.dtype);
        checkBlasDtype('addmv_impl_cpu', m.dtype);
        return { shape: [n], dtype: m.dtype };
      },
      cpu: (a, [out]) => {
        const m = a.mat as Tensor, v = a.vec as Tensor, o = out!;
        const beta = scalarAs(a.beta, o.dtype), alpha = scalarAs(a.alpha, o.dtype);
        fillScaled(o, a.self, beta);
        if (alpha !== 0) {
          gemm(m.shape[0]!, 1, m.shape[1]!, { data: m.hostArray, off: m.offset, rs: m.strides[0]!, cs: m.strides[1]! }, { data: v.hostArray, off: v.offset, rs: v.strides[0]!, cs: 0 }, o.hostArray, 0, 1, alpha, true);
        }
      },
    },
  ],
});
