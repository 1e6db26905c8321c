import { defineOp, type Args, type CpuKernel } from '../../registry.js';
import { rounder, runUnary, unary } from '../../cpu/pointwise_kernels.js';
import type { Tensor } from '../../tensor.js';

const base = unary({ kernel: 'logit_cpu', kind: 'float', f: (x) => Math.log(x / (1 - x)) });

/** log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps >= 0 is given; in the result's precision like ATen */
const cpu: CpuKernel = (a: Args, [out]) => {
  const d = out!.dtype;
  const r = rounder(d);
  const eps = a.eps as number | null;
  let f: (x: number) => number;
  if (eps === null || eps < 0) f = (x) => Math.log(r(x / r(1 - x)));
  else {
    const lo = r(eps), hi = r(1 - lo);
    f = (x) => {
      const z = x < lo ? lo : x > hi ? hi : x;
      return Math.log(r(z / r(1 - z)));
    };
  }
  runUnary(out!, a.self as Tensor, d, f);
};

export const logit = defineOp({
  name: 'logit',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logit(Tensor self, float? eps=None) -> Tensor', infer: base.infer, cpu }],
});
