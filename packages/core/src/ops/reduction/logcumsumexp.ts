import { defineOp } from '../../registry.js';
import { scalarTypeName } from '../../cpu/reduce_core.js';
import { scan, scanLayout } from '../../cpu/reduce_scan.js';
import { isFloating } from '../../dtype.js';

/** log(exp(a) + exp(b)) without overflow; -inf + -inf stays -inf, inf + inf stays inf. */
export function logAddExp(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  const m = a > b ? a : b;
  if (m === -Infinity || m === Infinity) return m;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

export const logcumsumexp = defineOp({
  name: 'logcumsumexp',
  overloads: [
    {
      schema: 'aten::logcumsumexp(Tensor self, int dim) -> Tensor',
      infer: (a) => {
        if (!isFloating(a.self.dtype)) throw new TypeError(`"logcumsumexp_out_cpu" not implemented for '${scalarTypeName(a.self.dtype)}'`);
        return { shape: [...a.self.shape], dtype: a.self.dtype };
      },
      cpu: (a, [out]) => {
        const L = scanLayout(a.self, a.dim);
        // accumulate in float64, then store
        const acc = new Float64Array(L.outer * L.R * L.inner);
        scan(L, acc, logAddExp);
        out!.hostArray.set(acc);
      },
    },
  ],
});
