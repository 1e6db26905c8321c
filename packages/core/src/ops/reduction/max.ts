import { callOp } from '../../dispatch.js';
import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { checkNonEmptyDims, checkNonEmptyFull, keptShape, reduceDims, reduceLayout, store } from '../../cpu/reduce_core.js';
import { laneExtremes } from '../../cpu/reduce_minmax.js';
import type { Tensor } from '../../tensor.js';

/** max()/min(), max.other/min.other (binary, = maximum/minimum) and max.dim/min.dim (values, indices). */
export function maxOverloads(name: 'max' | 'min'): OverloadDecl[] {
  const isMax = name === 'max';
  const dimOf = (a: Args): number[] => {
    const dims = reduceDims(a.self, a.dim as number);
    checkNonEmptyDims(name, a.self, dims);
    return dims;
  };
  return [
    {
      schema: `aten::${name}(Tensor self) -> Tensor`,
      infer: (a) => {
        checkNonEmptyFull(name, a.self);
        return { shape: [], dtype: a.self.dtype };
      },
      cpu: (a, [out]) => store(out!, laneExtremes(reduceLayout(a.self, reduceDims(a.self, null)), isMax).values),
    },
    {
      schema: `aten::${name}.other(Tensor self, Tensor other) -> Tensor`,
      decompose: (a) => callOp(isMax ? 'aten::maximum' : 'aten::minimum', [a.self, a.other]),
    },
    {
      schema: `aten::${name}.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)`,
      infer: (a) => {
        const shape = keptShape(a.self, dimOf(a), a.keepdim);
        return [{ shape, dtype: a.self.dtype }, { shape: [...shape], dtype: 'int64' }];
      },
      cpu: (a, [values, indices]) => {
        const r = laneExtremes(reduceLayout(a.self, dimOf(a)), isMax);
        store(values!, r.values);
        store(indices!, r.indices);
      },
    },
  ];
}

export const max = defineOp({ name: 'max', tags: ['reduction'], overloads: maxOverloads('max') });
