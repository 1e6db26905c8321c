import { promote } from '../../cpu/pointwise.js';
import { defineOp, type Args, type CpuKernel, type OutSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** outer/ger: self[:, None] * vec2 with mul's type promotion. */
export function outerImpl(name: string): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  return {
    infer: (a) => {
      const x = a.self as Tensor, y = a.vec2 as Tensor;
      if (x.ndim !== 1) throw new Error(`${name}: Expected 1-D argument self, but got ${x.ndim}-D`);
      if (y.ndim !== 1) throw new Error(`${name}: Expected 1-D argument vec2, but got ${y.ndim}-D`);
      return { shape: [x.shape[0]!, y.shape[0]!], dtype: promote(x, y) };
    },
    cpu: (a, [out]) => {
      const x = (a.self as Tensor).contiguousArray(), y = (a.vec2 as Tensor).contiguousArray();
      const o = out!.hostArray, m = y.length;
      for (let i = 0; i < x.length; i++) {
        const xi = x[i]!;
        for (let j = 0; j < m; j++) o[i * m + j] = xi * y[j]!;
      }
    },
  };
}

export const outer = defineOp({
  name: 'outer',
  overloads: [{ schema: 'aten::outer(Tensor self, Tensor vec2) -> Tensor', ...outerImpl('outer') }],
});
