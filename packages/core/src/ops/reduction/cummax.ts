import { defineOp, type OverloadDecl } from '../../registry.js';
import { cumulativeExtreme, scanLayout } from '../../cpu/reduce_scan.js';

/** cummax/cummin: (values, int64 indices); ties take the later index, NaN propagates. */
export function cummaxOverload(name: 'cummax' | 'cummin'): OverloadDecl {
  return {
    schema: `aten::${name}(Tensor self, int dim) -> (Tensor values, Tensor indices)`,
    infer: (a) => [
      { shape: [...a.self.shape], dtype: a.self.dtype },
      { shape: [...a.self.shape], dtype: 'int64' },
    ],
    cpu: (a, [values, indices]) => cumulativeExtreme(scanLayout(a.self, a.dim), values!.hostArray, indices!.hostArray, name === 'cummax'),
  };
}

export const cummax = defineOp({ name: 'cummax', overloads: [cummaxOverload('cummax')] });
