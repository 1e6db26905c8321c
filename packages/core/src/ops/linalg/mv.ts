import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype } from './common.js';

export const mv = defineOp({
  name: 'mv',
  overloads: [
    {
      schema: 'aten::mv(Tensor self, Tensor vec) -> Tensor',
      infer: (a) => {
        const m = a.self as Tensor, v = a.vec as Tensor;
        if (m.ndim !== 2 || v.ndim !== 1) throw new Error(`vector + matrix @ vector expected, got 1, ${m.ndim}, ${v.ndim}`);
        const n = m.shape[0]!;
        if (m.shape[1] !== v.shape[0]) throw new Error(`size mismatch, got ${n}, ${n}x${m.shape[1]},${v.shape[0]}`);
        checkSameDtype(m.dtype, v.dtype);
        checkBlasDtype('addmv_impl_cpu', m.dtype);
        return { shape: [n], dtype: m.dtype };
      },
      cpu: (a, [out]) => {
        const m = a.self as Tensor, v = a.vec as Tensor;
        gemm(m.shape[0]!, 1, m.shape[1]!, { data: m.hostArray, off: m.offset, rs: m.strides[0]!, cs: m.strides[1]! }, { data: v.hostArray, off: v.offset, rs: v.strides[0]!, cs: 0 }, out!.hostArray, 0, 1);
      },
    },
  ],
});
