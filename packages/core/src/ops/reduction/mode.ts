import { defineOp, type Args } from '../../registry.js';
import { checkNonEmptyDims, keptShape, reduceDims } from '../../cpu/reduce_core.js';
import { scanLayout } from '../../cpu/reduce_scan.js';
import { forEachLaneCopy, stdSort } from '../../cpu/reduce_sort.js';
import type { Tensor } from '../../tensor.js';

function dimsOf(a: Args): number[] {
  const dims = reduceDims(a.self as Tensor, a.dim);
  checkNonEmptyDims('mode', a.self, dims);
  return dims;
}

const lt = (x: number, y: number): boolean => x < y;

/**
 * The most frequent value along `dim` (the smallest among equally frequent ones) and an index
 * of it, found as ATen does: std::sort the (value, index) pairs, take the last of the longest run.
 */
export const mode = defineOp({
  name: 'mode',
  overloads: [
    {
      schema: 'aten::mode(Tensor self, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)',
      infer: (a) => {
        const shape = keptShape(a.self, dimsOf(a), a.keepdim);
        return [
          { shape, dtype: a.self.dtype },
          { shape: [...shape], dtype: 'int64' },
        ];
      },
      cpu: (a, [values, indices]) => {
        const L = scanLayout(a.self, a.dim);
        const n = L.R;
        const vo = values!.hostArray, io = indices!.hostArray;
        forEachLaneCopy(L, (v, ix, o, i) => {
          stdSort(v, ix, 0, n, lt);
          let mode = 0, modei = 0, freq = 0, maxFreq = 0;
          for (let j = 0; j < n; j++) {
            freq++;
            if (j === n - 1 || v[j] !== v[j + 1]) {
              if (freq > maxFreq) {
                mode = v[j]!;
                modei = ix[j]!;
                maxFreq = freq;
              }
              freq = 0;
            }
          }
          vo[o * L.inner + i] = mode;
          io[o * L.inner + i] = modei;
        });
      },
    },
  ],
});
