import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { checkNonEmptyDims, keptShape, reduceDims, reduceLayout, store } from '../../cpu/reduce_core.js';
import { laneExtremes } from '../../cpu/reduce_minmax.js';
import type { Tensor } from '../../tensor.js';

/** argmax/argmin: int64 indices; dim=None flattens (keepdim then gives all-ones dims). */
export function argmaxOverload(name: 'argmax' | 'argmin'): OverloadDecl {
  const dimsOf = (a: Args): number[] => {
    const self = a.self as Tensor;
    if (a.dim === null) {
      if (self.numel() === 0) throw new RangeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
      return reduceDims(self, null);
    }
    const dims = reduceDims(self, a.dim as number);
    checkNonEmptyDims(name, self, dims);
    return dims;
  };
  return {
    schema: `aten::${name}(Tensor self, int? dim=None, bool keepdim=False) -> Tensor`,
    infer: (a) => {
      const self = a.self as Tensor;
      if (self.dtype === 'bool') throw new TypeError(`"${name}_cpu" not implemented for 'Bool'`);
      const dims = dimsOf(a);
      return { shape: keptShape(self, dims, a.keepdim), dtype: 'int64' };
    },
    cpu: (a, [out]) => {
      const self = a.self as Tensor;
      const dims = dimsOf(a);
      // with dim=None the flat index is wanted: reduce the row-major contiguous data as one lane
      const L = a.dim === null ? { data: self.contiguousArray(), offset: 0, outer: 1, R: self.numel(), inner: 1 } : reduceLayout(self, dims);
      store(out!, laneExtremes(L, name === 'argmax').indices);
    },
  };
}

export const argmax = defineOp({ name: 'argmax', tags: ['reduction'], overloads: [argmaxOverload('argmax')] });
