import { defineOp } from '../../registry.js';
import { unary } from '../../cpu/pointwise_kernels.js';
import type { Args, CpuKernel } from '../../registry.js';

const base = unary({ kernel: 'logit_cpu', kind: 'float', f: (x) => Math.log(x / (1 - x)) });

/** logit(x) = log(x / (1 - x)), with x clamped to [eps, 1 - eps] when eps is given */
const cpu: CpuKernel = (a: Args, outs) => {
  const eps = a.eps as number | null;
  if (eps === null || eps < 0) return base.cpu(a, outs);
  const lo = eps, hi = 1 - eps;
  return unary({ kernel: 'logit_cpu', kind: 'float', f: (x) => {
    const z = x < lo ? lo : x > hi ? hi : x;
    return Math.log(z / (1 - z));
  } }).cpu(a, outs);
};

export const logit = defineOp({
  name: 'logit',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::logit(Tensor self, float? eps=None) -> Tensor', infer: base.infer, cpu }],
});
