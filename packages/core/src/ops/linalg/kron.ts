import { promote } from '../../cpu/pointwise.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** The Kronecker product: out[i * b.shape + j] = a[i] * b[j] per dim, ranks aligned to the right. */
export const kron = defineOp({
  name: 'kron',
  overloads: [
    {
      schema: 'aten::kron(Tensor self, Tensor other) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, y = a.other as Tensor;
        const r = Math.max(x.ndim, y.ndim);
        const xs = [...new Array<number>(r - x.ndim).fill(1), ...x.shape];
        const ys = [...new Array<number>(r - y.ndim).fill(1), ...y.shape];
        return { shape: xs.map((s, i) => s * ys[i]!), dtype: promote(x, y) };
      },
      cpu: (a, [out]) => {
        const x = a.self as Tensor, y = a.other as Tensor, o = out!;
        const r = o.ndim;
        const ys = [...new Array<number>(r - y.ndim).fill(1), ...y.shape];
        const xs = [...new Array<number>(r - x.ndim).fill(1), ...x.shape];
        const X = x.contiguousArray(), Y = y.contiguousArray(), O = o.hostArray;
        const ost = new Array<number>(r);
        for (let d = r - 1, s = 1; d >= 0; d--) {
          ost[d] = s;
          s *= o.shape[d]!;
        }
        // out offset of each element of y within a block, in y's row-major order
        const ny = Y.length;
        const yOff = new Int32Array(ny);
        const idx = new Array<number>(r).fill(0);
        for (let j = 0; j < ny; j++) {
          let off = 0;
          for (let d = 0; d < r; d++) off += idx[d]! * ost[d]!;
          yOff[j] = off;
          for (let d = r - 1; d >= 0; d--) {
            if (++idx[d]! < ys[d]!) break;
            idx[d] = 0;
          }
        }
        idx.fill(0);
        for (let i = 0; i < X.length; i++) {
          let base = 0;
          for (let d = 0; d < r; d++) base += idx[d]! * ys[d]! * ost[d]!;
          const xv = X[i]!;
          for (let j = 0; j < ny; j++) O[base + yOff[j]!] = xv * Y[j]!;
          for (let d = r - 1; d >= 0; d--) {
            if (++idx[d]! < xs[d]!) break;
            idx[d] = 0;
          }
        }
      },
    },
  ],
});
