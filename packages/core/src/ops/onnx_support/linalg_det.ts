import { isFloating } from '../../dtype.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** det of [..., n, n] by LU with partial pivoting in float64 (LAPACK getrf's pivoting). */
export const linalg_det = defineOp({
  name: 'linalg_det',
  variants: [],
  overloads: [
    {
      schema: 'aten::linalg_det(Tensor A) -> Tensor',
      infer: (a) => {
        const A = a.A as Tensor;
        if (A.ndim < 2) throw new Error(`linalg.det: The input tensor A must have at least 2 dimensions.`);
        if (A.shape[A.ndim - 1] !== A.shape[A.ndim - 2]) throw new Error(`linalg.det: A must be batches of square matrices, but they are ${A.shape[A.ndim - 2]} by ${A.shape[A.ndim - 1]} matrices`);
        if (!isFloating(A.dtype)) throw new Error(`linalg.det: Expected a floating point or complex tensor as input. Got ${A.dtype}`);
        return { shape: A.shape.slice(0, -2), dtype: A.dtype };
      },
      cpu: (a, [out]) => {
        const A = a.A as Tensor;
        const n = A.shape[A.ndim - 1]!;
        const src = A.contiguousArray(), o = out!.hostArray;
        const m = new Float64Array(n * n);
        for (let b = 0; b < o.length; b++) {
          for (let i = 0; i < n * n; i++) m[i] = src[b * n * n + i]!;
          let det = 1;
          for (let k = 0; k < n && det !== 0; k++) {
            let p = k;
            for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[p * n + k]!)) p = i;
            if (m[p * n + k] === 0) {
              det = 0;
              break;
            }
            if (p !== k) {
              for (let j = 0; j < n; j++) [m[k * n + j], m[p * n + j]] = [m[p * n + j]!, m[k * n + j]!];
              det = -det;
            }
            const piv = m[k * n + k]!;
            det *= piv;
            for (let i = k + 1; i < n; i++) {
              const f = m[i * n + k]! / piv;
              if (f !== 0) for (let j = k + 1; j < n; j++) m[i * n + j] -= f * m[k * n + j]!;
            }
          }
          o[b] = det;
        }
      },
    },
  ],
});
