import { defineOp, type Args } from '../../registry.js';
import { keptShape, reduceDims, reduceLayout, store } from '../../cpu/reduce_core.js';
import { laneExtremes } from '../../cpu/reduce_minmax.js';
import type { Tensor } from '../../tensor.js';

function dimsOf(a: Args): number[] {
  const self = a.self as Tensor;
  if (a.dim === null) {
    if (self.numel() === 0) throw new RangeError('aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.');
    return reduceDims(self, null);
  }
  const dims = reduceDims(self, a.dim as number);
  for (const d of dims) if (self.shape[d] === 0) throw new RangeError(`aminmax: Expected reduction dim ${d} to have non-zero size.`);
  return dims;
}

function shapeOf(a: Args): number[] {
  const self = a.self as Tensor;
  // PyTorch quirk: a 0-d input with an explicit dim and keepdim=True gives shape [1]
  if (self.ndim === 0 && a.dim !== null && a.keepdim) return [1];
  return keptShape(self, dimsOf(a), a.keepdim);
}

export const aminmax = defineOp({
  name: 'aminmax',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::aminmax(Tensor self, *, int? dim=None, bool keepdim=False) -> (Tensor min, Tensor max)',
      infer: (a) => {
        const spec = { shape: shapeOf(a), dtype: a.self.dtype };
        return [spec, { ...spec, shape: [...spec.shape] }];
      },
      cpu: (a, [mn, mx]) => {
        const L = reduceLayout(a.self, dimsOf(a));
        store(mn!, laneExtremes(L, false).values);
        store(mx!, laneExtremes(L, true).values);
      },
    },
  ],
});
