import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype, expandShapeCheck, fillScaled, mergeable, mergedStride, rowsMatrix } from './common.js';

/** out[..., o] = sum_ij input1[..., i] * weight[o, i, j] * input2[..., j] + bias[o] */
export const bilinear = defineOp({
  name: 'bilinear',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None) -> Tensor',
      infer: (a) => {
        const x1 = a.input1 as Tensor, x2 = a.input2 as Tensor, w = a.weight as Tensor, b = a.bias as Tensor | null;
        if (x1.ndim !== x2.ndim) throw new Error(`bilinear(): input dimensions do not match: got ${x1.ndim} and ${x2.ndim}`);
        for (let i = 0; i < x1.ndim - 1; i++) {
          if (x1.shape[i] !== x2.shape[i]) throw new Error(`bilinear(): input batch dimensions do not match: got ${x1.shape[i]} and ${x2.shape[i]}`);
        }
        if (w.ndim !== 3) throw new Error(`bilinear(): weight must be a 3-D tensor, got ${w.ndim}-D`);
        if (x1.ndim === 0) throw new Error('bilinear(): inputs must have at least one dimension');
        if (x1.shape[x1.ndim - 1] !== w.shape[1]) throw new Error(`bilinear(): input1 size does not match weight size: got ${x1.shape[x1.ndim - 1]} but expected ${w.shape[1]}`);
        if (x2.shape[x2.ndim - 1] !== w.shape[2]) throw new Error(`bilinear(): input2 size does not match weight size: got ${x2.shape[x2.ndim - 1]} but expected ${w.shape[2]}`);
        if (b && b.shape[b.ndim - 1] !== w.shape[0]) throw new Error(`bilinear(): bias size does not match weight size: got ${b.shape[b.ndim - 1]} but expected ${w.shape[0]}`);
        checkSameDtype(x1.dtype, w.dtype);
        checkSameDtype(x1.dtype, x2.dtype);
        const shape = [...x1.shape.slice(0, -1), w.shape[0]!];
        if (b) {
          checkSameDtype(x1.dtype, b.dtype);
          expandShapeCheck(b, shape);
        }
        checkBlasDtype('bmm', x1.dtype);
        return { shape, dtype: x1.dtype };
      },
      cpu: (a, [out]) => {
        const x1 = a.input1 as Tensor, x2 = a.input2 as Tensor, w = a.weight as Tensor, b = a.bias as Tensor | null, o = out!;
        const [nO, nI, nJ] = w.shape as [number, number, number];
        const X1 = rowsMatrix(x1), X2 = rowsMatrix(x2);
        const R = X1.rows;
        // Z[r, (o, i)] = sum_j x2[r, j] * W[o, i, j]: one GEMM against W viewed as [(o, i), j]
        const oi = nO * nI;
        const Z = new Float64Array(R * oi);
        const W = mergeable(w, 0, 1)
          ? { data: w.hostArray, off: w.offset, rs: w.strides[2]!, cs: mergedStride(w, 0, 1) }
          : { data: w.contiguousArray(), off: 0, rs: 1, cs: nJ };
        gemm(R, oi, nJ, X2.m, W, Z, 0, oi);
        if (b) fillScaled(o, b, 1);
        else o.hostArray.fill(0);
        const O = o.hostArray, A = X1.m.data;
        for (let r = 0; r < R; r++) {
          const xr = X1.m.off + r * X1.m.rs;
          for (let q = 0; q < nO; q++) {
            let s = 0;
            const zo = r * oi + q * nI;
            for (let i = 0; i < nI; i++) s += A[xr + i * X1.m.cs]! * Z[zo + i]!;
            O[r * nO + q] += s;
          }
        }
      },
    },
  ],
});
