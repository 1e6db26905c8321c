import { promote } from '../../cpu/pointwise.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkIntegralScalar, expandShapeCheck } from './common.js';

function check1d(name: string, t: Tensor): void {
  if (t.ndim !== 1) throw new Error(`addr: Expected 1-D argument ${name}, but got ${t.ndim}-D`);
}

/** beta * self + alpha * outer(vec1, vec2) with type promotion; bool: (beta && self) || (alpha && vec1 && vec2). */
export const addr = defineOp({
  name: 'addr',
  inplace: true,
  overloads: [
    {
      schema: 'aten::addr(Tensor self, Tensor vec1, Tensor vec2, *, Scalar beta=1, Scalar alpha=1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, v1 = a.vec1 as Tensor, v2 = a.vec2 as Tensor;
        check1d('vec1', v1);
        check1d('vec2', v2);
        const shape = [v1.shape[0]!, v2.shape[0]!];
        expandShapeCheck(self, shape);
        const dtype = promote(self, v1, v2);
        checkIntegralScalar('beta', a.beta, dtype);
        checkIntegralScalar('alpha', a.alpha, dtype);
        return { shape, dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor, v1 = a.vec1 as Tensor, v2 = a.vec2 as Tensor, o = out!;
        const [n, m] = o.shape as [number, number];
        const x = v1.contiguousArray(), y = v2.contiguousArray();
        const O = o.hostArray;
        const S = self.hostArray;
        const s0 = self.ndim === 2 && self.shape[0] !== 1 ? self.strides[0]! : 0;
        const s1 = self.ndim >= 1 && self.shape[self.ndim - 1] !== 1 ? self.strides[self.ndim - 1]! : 0;
        const beta = Number(a.beta), alpha = Number(a.alpha);
        const isBool = o.dtype === 'bool';
        for (let i = 0; i < n; i++) {
          const xi = x[i]!;
          for (let j = 0; j < m; j++) {
            const prod = xi * y[j]!;
            if (isBool) {
              const sv = beta !== 0 && S[self.offset + i * s0 + j * s1] !== 0;
              O[i * m + j] = sv || (alpha !== 0 && prod !== 0) ? 1 : 0;
            } else {
              const p = alpha * prod;
              O[i * m + j] = beta === 0 ? p : beta * S[self.offset + i * s0 + j * s1]! + p;
            }
          }
        }
      },
    },
  ],
});
