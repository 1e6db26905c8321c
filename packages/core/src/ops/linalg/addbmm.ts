import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, expandShapeCheck, fillScaled, scalarAs } from './common.js';

/** beta * self + alpha * sum_b batch1[b] @ batch2[b] */
export const addbmm = defineOp({
  name: 'addbmm',
  inplace: true,
  overloads: [
    {
      schema: 'aten::addbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, b1 = a.batch1 as Tensor, b2 = a.batch2 as Tensor;
        if (b1.ndim !== 3) throw new Error('batch1 must be a 3D tensor');
        if (b2.ndim !== 3) throw new Error('batch2 must be a 3D tensor');
        if (b1.shape[0] !== b2.shape[0]) throw new Error(`batch1 and batch2 must have same number of batches, got ${b1.shape[0]} and ${b2.shape[0]}`);
        if (b1.shape[2] !== b2.shape[1]) throw new Error(`Incompatible matrix sizes for bmm (${b1.shape[1]}x${b1.shape[2]} and ${b2.shape[1]}x${b2.shape[2]})`);
        if (self.dtype !== b2.dtype || b1.dtype !== b2.dtype) throw new Error('self and mat2 must have the same dtype');
        const shape = [b1.shape[1]!, b2.shape[2]!];
        expandShapeCheck(self, shape);
        checkBlasDtype('addmm_impl_cpu_', self.dtype);
        return { shape, dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const b1 = a.batch1 as Tensor, b2 = a.batch2 as Tensor, o = out!;
        const [nb, n, k] = b1.shape as [number, number, number];
        const p = b2.shape[2]!;
        const beta = scalarAs(a.beta, o.dtype), alpha = scalarAs(a.alpha, o.dtype);
        fillScaled(o, a.self, beta);
        if (alpha === 0) return;
        for (let i = 0; i < nb; i++) {
          gemm(n, p, k, { data: b1.hostArray, off: b1.offset + i * b1.strides[0]!, rs: b1.strides[1]!, cs: b1.strides[2]! }, { data: b2.hostArray, off: b2.offset + i * b2.strides[0]!, rs: b2.strides[1]!, cs: b2.strides[2]! }, o.hostArray, 0, p, alpha, true);
        }
      },
    },
  ],
});
