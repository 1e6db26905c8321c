import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { checkNonEmptyDims, checkNonEmptyFull, keptShape, reduceDims, reduceLayout, store } from '../../cpu/reduce_core.js';
import { laneExtremes } from '../../cpu/reduce_minmax.js';
import type { Tensor } from '../../tensor.js';

/** amax/amin: values only, NaN propagates; an empty reduced dim is an error. */
export function amaxOverload(name: 'amax' | 'amin'): OverloadDecl {
  const dimsOf = (a: Args): number[] => {
    const self = a.self as Tensor;
    const dims = reduceDims(self, a.dim);
    if ((a.dim as number[]).length === 0) checkNonEmptyFull(name, self);
    checkNonEmptyDims(name, self, dims);
    return dims;
  };
  return {
    schema: `aten::${name}(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor`,
    infer: (a) => ({ shape: keptShape(a.self, dimsOf(a), a.keepdim), dtype: a.self.dtype }),
    cpu: (a, [out]) => store(out!, laneExtremes(reduceLayout(a.self, dimsOf(a)), name === 'amax').values),
  };
}

export const amax = defineOp({ name: 'amax', tags: ['reduction'], overloads: [amaxOverload('amax')] });
