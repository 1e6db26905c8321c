import { gemm } from '../../cpu/gemm.js';
import { mapBinary, promote } from '../../cpu/pointwise.js';
import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype, rowsMatrix, transposed } from './common.js';

/** Contracts the last dims: out[..a, ..b] = sum_k self[..a, k] * other[..b, k]; a 0-d operand multiplies. */
export const inner = defineOp({
  name: 'inner',
  overloads: [
    {
      schema: 'aten::inner(Tensor self, Tensor other) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, y = a.other as Tensor;
        if (x.ndim === 0 || y.ndim === 0) return { shape: broadcastShapes(x.shape, y.shape), dtype: promote(x, y) };
        if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1]) {
          throw new Error(`inner() the last dimension must match on both input tensors but got shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`);
        }
        checkSameDtype(x.dtype, y.dtype);
        checkBlasDtype('addmm_impl_cpu_', x.dtype);
        return { shape: [...x.shape.slice(0, -1), ...y.shape.slice(0, -1)], dtype: x.dtype };
      },
      cpu: (a, [out]) => {
        const x = a.self as Tensor, y = a.other as Tensor, o = out!;
        if (x.ndim === 0 || y.ndim === 0) {
          mapBinary(o, x, y, (u, v) => u * v);
          return;
        }
        const A = rowsMatrix(x), B = rowsMatrix(y);
        gemm(A.rows, B.rows, A.cols, A.m, transposed(B.m), o.hostArray, 0, B.rows);
      },
    },
  ],
});
