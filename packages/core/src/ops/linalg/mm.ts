import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype, mat } from './common.js';

/** mm's checks: both 2-D, inner sizes equal; returns [n, k, p]. */
export function mmSizes(a: Tensor, b: Tensor, aName = 'self', bName = 'mat2', withDim = false): [number, number, number] {
  if (a.ndim !== 2) throw new Error(`${aName} must be a matrix${withDim ? `, got ${a.ndim}-D tensor` : ''}`);
  if (b.ndim !== 2) throw new Error(`${bName} must be a matrix${withDim ? `, got ${b.ndim}-D tensor` : ''}`);
  if (a.shape[1] !== b.shape[0]) {
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  return [a.shape[0]!, a.shape[1]!, b.shape[1]!];
}

export const mm = defineOp({
  name: 'mm',
  overloads: [
    {
      schema: 'aten::mm(Tensor self, Tensor mat2) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, m2 = a.mat2 as Tensor;
        const [n, , p] = mmSizes(self, m2);
        checkSameDtype(self.dtype, m2.dtype);
        checkBlasDtype('addmm_impl_cpu_', self.dtype);
        return { shape: [n, p], dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor, m2 = a.mat2 as Tensor;
        const [n, k, p] = [self.shape[0]!, self.shape[1]!, m2.shape[1]!];
        gemm(n, p, k, mat(self, 0, 1), mat(m2, 0, 1), out!.hostArray, 0, p);
      },
    },
  ],
});
