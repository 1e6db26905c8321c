import { defineOp, type OverloadDecl } from '../../registry.js';
import { reduceDims } from '../../cpu/reduce_core.js';
import { sortInto } from './sort.js';

const overload = (schema: string): OverloadDecl => ({
  schema,
  infer: (a) => {
    reduceDims(a.self, a.dim);
    return { shape: [...a.self.shape], dtype: 'int64' };
  },
  cpu: (a, [indices]) => sortInto(a.self, a.dim, a.descending, Boolean(a.stable), undefined, indices),
});

/** The indices of sort (stable=False uses the same std::sort order as PyTorch). */
export const argsort = defineOp({
  name: 'argsort',
  overloads: [
    overload('aten::argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor'),
    overload('aten::argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor'),
  ],
});
