import { defineOp, type Args } from '../../registry.js';
import { forEachReduction, reducedShape, reductionDims, sumDtype } from '../../cpu/reduce.js';
import type { Tensor } from '../../tensor.js';

function sumKernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const o = out!.hostArray;
  forEachReduction(self, reductionDims(self, a.dim), (v, s, _st, n, i) => {
    let acc = 0;
    for (let k = 0; k < n; k++) acc += v[s + k]!;
    o[i] = acc;
  });
}

export const sum = defineOp({
  name: 'sum',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: [], dtype: sumDtype(a.self.dtype, a.dtype) }),
      cpu: sumKernel,
    },
    {
      schema: 'aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: reducedShape(a.self, reductionDims(a.self, a.dim), a.keepdim), dtype: sumDtype(a.self.dtype, a.dtype) }),
      cpu: sumKernel,
    },
  ],
});
