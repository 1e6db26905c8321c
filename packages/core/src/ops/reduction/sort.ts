import { defineOp, type OverloadDecl } from '../../registry.js';
import { reduceDims } from '../../cpu/reduce_core.js';
import { scanLayout } from '../../cpu/reduce_scan.js';
import { ascNanLast, descNanFirst, forEachLaneCopy, stableSort, stdSort } from '../../cpu/reduce_sort.js';
import type { Tensor } from '../../tensor.js';

/**
 * Sorts along `dim` (NaN is the largest value). stable=False runs libstdc++'s std::sort like
 * PyTorch's CPU kernel, so equal values come out in the same order as in PyTorch.
 */
export function sortInto(self: Tensor, dim: number, descending: boolean, stable: boolean, values: Tensor | undefined, indices: Tensor | undefined): void {
  const L = scanLayout(self, dim);
  const { R, inner } = L;
  const vo = values?.hostArray, io = indices?.hostArray;
  const less = descending ? descNanFirst : ascNanLast;
  forEachLaneCopy(L, (v, ix, o, i) => {
    if (stable) stableSort(v, ix, 0, R, less);
    else stdSort(v, ix, 0, R, less);
    for (let r = 0, p = o * R * inner + i; r < R; r++, p += inner) {
      if (vo) vo[p] = v[r]!;
      if (io) io[p] = ix[r]!;
    }
  });
}

function sortOverload(schema: string): OverloadDecl {
  return {
    schema,
    infer: (a) => {
      reduceDims(a.self, a.dim);
      return [
        { shape: [...a.self.shape], dtype: a.self.dtype },
        { shape: [...a.self.shape], dtype: 'int64' },
      ];
    },
    cpu: (a, [values, indices]) => sortInto(a.self, a.dim, a.descending, Boolean(a.stable), values, indices),
  };
}

export const sort = defineOp({
  name: 'sort',
  overloads: [
    sortOverload('aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)'),
    sortOverload('aten::sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)'),
  ],
});
