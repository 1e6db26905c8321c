import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype, expandShapeCheck, fillScaled, rowsMatrix } from './common.js';
import { matmulInto, matmulPlan } from './matmul.js';

function linearShape(x: Tensor, w: Tensor): number[] {
  if (w.ndim > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${w.ndim}D`);
  if (w.ndim === 2) {
    if (x.ndim === 0) throw new Error(`both arguments to matmul need to be at least 1D, but they are 0D and 2D`);
    const inF = x.shape[x.ndim - 1]!;
    if (inF !== w.shape[1]) {
      let rows = 1;
      for (let i = 0; i < x.ndim - 1; i++) rows *= x.shape[i]!;
      throw new Error(`mat1 and mat2 shapes cannot be multiplied (${rows}x${inF} and ${w.shape[1]}x${w.shape[0]})`);
    }
    return [...x.shape.slice(0, -1), w.shape[0]!];
  }
  return matmulPlan(x, w).outShape;
}

/** input @ weight.T + bias */
export const linear = defineOp({
  name: 'linear',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor',
      infer: (a) => {
        const x = a.input as Tensor, w = a.weight as Tensor, b = a.bias as Tensor | null;
        const shape = linearShape(x, w);
        checkSameDtype(x.dtype, w.dtype);
        if (b) {
          if (b.dtype !== x.dtype) throw new Error('self and mat2 must have the same dtype');
          expandShapeCheck(b, shape);
        }
        checkBlasDtype('addmm_impl_cpu_', x.dtype);
        return { shape, dtype: x.dtype };
      },
      cpu: (a, [out]) => {
        const x = a.input as Tensor, w = a.weight as Tensor, b = a.bias as Tensor | null, o = out!;
        if (b) fillScaled(o, b, 1);
        if (w.ndim === 1) {
          matmulInto(x, w, matmulPlan(x, w), o.hostArray, 1, b !== null);
          return;
        }
        const X = rowsMatrix(x);
        const nOut = w.shape[0]!;
        gemm(X.rows, nOut, X.cols, X.m, { data: w.hostArray, off: w.offset, rs: w.strides[1]!, cs: w.strides[0]! }, o.hostArray, 0, nOut, 1, b !== null);
      },
    },
  ],
});
