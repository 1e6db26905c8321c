import { defineOp, type Args } from '../../registry.js';
import { reduceDims, scalarTypeName } from '../../cpu/reduce_core.js';
import { scanLayout } from '../../cpu/reduce_scan.js';
import { ascNanLast, descNanFirst, forEachLaneCopy, nthElement, partialSort, stdSort } from '../../cpu/reduce_sort.js';
import type { Tensor } from '../../tensor.js';

function shapeOf(a: Args): number[] {
  const self = a.self as Tensor;
  const k = a.k as number;
  if (self.ndim === 0) {
    reduceDims(self, a.dim);
    if (k < 0 || k > 1) throw new RangeError('selected index k out of range');
    return [];
  }
  const d = reduceDims(self, a.dim)[0]!;
  if (k < 0 || k > self.shape[d]!) throw new RangeError('selected index k out of range');
  const shape = [...self.shape];
  shape[d] = k;
  return shape;
}

/**
 * The k largest (smallest) along `dim`, with PyTorch's CPU algorithm (TopKImpl.h): a partial sort
 * when k * 64 <= n, else nth_element and a sort of the first k - 1, so ties come out in the same
 * order. NaN counts as the largest value.
 */
export const topk = defineOp({
  name: 'topk',
  overloads: [
    {
      schema: 'aten::topk(Tensor self, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)',
      infer: (a) => {
        if (a.self.dtype === 'bool') throw new TypeError(`"topk_cpu" not implemented for '${scalarTypeName('bool')}'`);
        const shape = shapeOf(a);
        return [
          { shape, dtype: a.self.dtype },
          { shape: [...shape], dtype: 'int64' },
        ];
      },
      cpu: (a, [values, indices]) => {
        const k = a.k as number;
        const L = scanLayout(a.self, a.dim);
        const { R: n, inner } = L;
        const less = a.largest ? descNanFirst : ascNanLast;
        const vo = values!.hostArray, io = indices!.hostArray;
        forEachLaneCopy(L, (v, ix, o, i) => {
          if (k * 64 <= n) partialSort(v, ix, 0, k, n, less);
          else {
            nthElement(v, ix, 0, k - 1, n, less);
            if (a.sorted) stdSort(v, ix, 0, k - 1, less);
          }
          for (let j = 0, p = o * k * inner + i; j < k; j++, p += inner) {
            vo[p] = v[j]!;
            io[p] = ix[j]!;
          }
        });
      },
    },
  ],
});
