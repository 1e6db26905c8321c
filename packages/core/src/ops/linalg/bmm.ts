import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { batchedGemm, checkBlasDtype, checkSameDtype } from './common.js';

/** bmm's checks: both 3-D, batch2's first two dims [b, k]; returns [b, n, k, p]. */
export function bmmSizes(b1: Tensor, b2: Tensor): [number, number, number, number] {
  if (b1.ndim !== 3) throw new Error('batch1 must be a 3D tensor');
  if (b2.ndim !== 3) throw new Error('batch2 must be a 3D tensor');
  const [b, n, k] = b1.shape as [number, number, number];
  if (b2.shape[0] !== b || b2.shape[1] !== k) {
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${b}, ${k}] but got: [${b2.shape[0]}, ${b2.shape[1]}].`);
  }
  return [b, n, k, b2.shape[2]!];
}

export const bmm = defineOp({
  name: 'bmm',
  overloads: [
    {
      schema: 'aten::bmm(Tensor self, Tensor mat2) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, m2 = a.mat2 as Tensor;
        const [b, n, , p] = bmmSizes(self, m2);
        checkSameDtype(self.dtype, m2.dtype);
        checkBlasDtype('bmm', self.dtype);
        return { shape: [b, n, p], dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const x = a.self as Tensor, y = a.mat2 as Tensor;
        const [b, n, k, p] = bmmSizes(x, y);
        batchedGemm(b, n, p, k, x, x.strides[0]!, x.strides[1]!, x.strides[2]!, y, y.strides[0]!, y.strides[1]!, y.strides[2]!, out!.hostArray, 1, false);
      },
    },
  ],
});
