import { defineOp } from '../../registry.js';
import { rounder, runUnary, unary } from '../../cpu/pointwise_kernels.js';
import type { Tensor } from '../../tensor.js';

const base = unary({ kernel: 'sinc_cpu', kind: 'float', f: (x) => x });

/** sin(pi x) / (pi x), 1 at 0; pi x is formed in the tensor's precision as ATen does (sinc(1) is not 0 in float32) */
export const sinc = defineOp({
  name: 'sinc',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::sinc(Tensor self) -> Tensor',
      infer: base.infer,
      cpu: (a, [out]) => {
        const r = rounder(out!.dtype);
        const pi = r(Math.PI);
        runUnary(out!, a.self as Tensor, out!.dtype, (x) => {
          if (x === 0) return 1;
          const p = r(pi * x);
          return Math.sin(p) / p;
        });
      },
    },
  ],
});
