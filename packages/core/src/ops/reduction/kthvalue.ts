import { defineOp, type Args } from '../../registry.js';
import { checkNonEmptyDims, keptShape, reduceDims, scalarTypeName } from '../../cpu/reduce_core.js';
import { scanLayout } from '../../cpu/reduce_scan.js';
import { forEachLaneCopy, quickSelect } from '../../cpu/reduce_sort.js';
import type { Tensor } from '../../tensor.js';

function dimsOf(a: Args): number[] {
  const self = a.self as Tensor;
  const dims = reduceDims(self, a.dim);
  checkNonEmptyDims('kthvalue', self, dims);
  const size = self.ndim === 0 ? 1 : self.shape[dims[0]!]!;
  const k = a.k as number;
  if (k < 1 || k > size) throw new RangeError(`kthvalue(): selected number k out of range for dimension ${self.ndim === 0 ? 0 : dims[0]}`);
  return dims;
}

/** The k-th smallest along `dim` (NaN largest), found with ATen's quickselect so ties pick the same index. */
export const kthvalue = defineOp({
  name: 'kthvalue',
  overloads: [
    {
      schema: 'aten::kthvalue(Tensor self, int k, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)',
      infer: (a) => {
        if (a.self.dtype === 'bool') throw new TypeError(`"kthvalue_cpu" not implemented for '${scalarTypeName('bool')}'`);
        const shape = keptShape(a.self, dimsOf(a), a.keepdim);
        return [
          { shape, dtype: a.self.dtype },
          { shape: [...shape], dtype: 'int64' },
        ];
      },
      cpu: (a, [values, indices]) => {
        const k = a.k as number;
        const L = scanLayout(a.self, a.dim);
        const vo = values!.hostArray, io = indices!.hostArray;
        forEachLaneCopy(L, (v, ix, o, i) => {
          quickSelect(v, ix, L.R, k - 1);
          vo[o * L.inner + i] = v[k - 1]!;
          io[o * L.inner + i] = ix[k - 1]!;
        });
      },
    },
  ],
});
