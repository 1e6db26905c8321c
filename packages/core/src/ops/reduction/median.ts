import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { checkNonEmptyDims, keptShape, reduceDims, scalarTypeName } from '../../cpu/reduce_core.js';
import { scanLayout } from '../../cpu/reduce_scan.js';
import { forEachLaneCopy, nthElement } from '../../cpu/reduce_sort.js';
import type { Tensor } from '../../tensor.js';

/**
 * The lower median of the lane `v` (values at positions 0..n-1): for median the first NaN wins;
 * nanmedian ignores NaNs. Like ATen, std::nth_element partitions positions ordered by (value,
 * position), so ties report the same index as PyTorch (the all-NaN nanmedian case included).
 */
export function laneMedian(v: Float64Array, pos: Float64Array, n: number, ignoreNan: boolean): [number, number] {
  let nans = 0;
  for (let r = 0; r < n; r++) {
    pos[r] = r;
    if (v[r] !== v[r]) {
      if (!ignoreNan) return [NaN, r];
      nans++;
    }
  }
  const m = Math.trunc((n - nans - 1) / 2);
  const less = ignoreNan
    ? (i: number, j: number): boolean => v[i]! < v[j]! || (v[i] === v[j] && i < j) || (v[j] !== v[j] && v[i] === v[i])
    : (i: number, j: number): boolean => v[i]! < v[j]! || (v[i] === v[j] && i < j);
  nthElement(pos, dummy(n), 0, m, n, less);
  const idx = pos[m]!;
  return [v[idx]!, idx];
}

let scratch = new Float64Array(16);
function dummy(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

export function medianOverloads(name: 'median' | 'nanmedian'): OverloadDecl[] {
  const ignoreNan = name === 'nanmedian';
  const checkDtype = (self: Tensor): void => {
    if (self.dtype === 'bool') throw new TypeError(`"${name === 'median' ? 'median' : 'nanmedian'}_cpu" not implemented for '${scalarTypeName('bool')}'`);
  };
  const dimsOf = (a: Args): number[] => {
    const dims = reduceDims(a.self, a.dim);
    checkNonEmptyDims(name, a.self, dims);
    return dims;
  };
  return [
    {
      schema: `aten::${name}(Tensor self) -> Tensor`,
      infer: (a) => {
        checkDtype(a.self);
        return { shape: [], dtype: a.self.dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const n = self.numel();
        const v = Float64Array.from(self.contiguousArray()), ix = new Float64Array(n);
        out!.hostArray[0] = n === 0 ? NaN : laneMedian(v, ix, n, ignoreNan)[0];
      },
    },
    {
      schema: `aten::${name}.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)`,
      infer: (a) => {
        checkDtype(a.self);
        const shape = keptShape(a.self, dimsOf(a), a.keepdim);
        return [
          { shape, dtype: a.self.dtype },
          { shape: [...shape], dtype: 'int64' },
        ];
      },
      cpu: (a, [values, indices]) => {
        const L = scanLayout(a.self, a.dim);
        const vo = values!.hostArray, io = indices!.hostArray;
        forEachLaneCopy(L, (v, ix, o, i) => {
          const [val, idx] = laneMedian(v, ix, L.R, ignoreNan);
          vo[o * L.inner + i] = val;
          io[o * L.inner + i] = idx;
        });
      },
    },
  ];
}

export const median = defineOp({ name: 'median', tags: ['reduction'], overloads: medianOverloads('median') });
