import { defineOp, type Args } from '../../registry.js';
import { keptShape, reduceDims, reduceLayout } from '../../cpu/reduce_core.js';
import type { Tensor } from '../../tensor.js';

function kernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const { data, offset, outer, R, inner } = reduceLayout(self, reduceDims(self, a.dim));
  const o = out!.hostArray;
  for (let oo = 0; oo < outer; oo++) {
    for (let i = 0; i < inner; i++) {
      let n = 0;
      for (let r = 0, p = offset + oo * R * inner + i; r < R; r++, p += inner) if (data[p] !== 0) n++;
      o[oo * inner + i] = n;
    }
  }
}

export const count_nonzero = defineOp({
  name: 'count_nonzero',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::count_nonzero(Tensor self, int? dim=None) -> Tensor',
      infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim), false), dtype: 'int64' }),
      cpu: kernel,
    },
    {
      schema: 'aten::count_nonzero.dim_IntList(Tensor self, int[] dim) -> Tensor',
      infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim), false), dtype: 'int64' }),
      cpu: kernel,
    },
  ],
});
