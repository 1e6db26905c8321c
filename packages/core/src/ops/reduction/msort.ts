import { defineOp } from '../../registry.js';
import { sortInto } from './sort.js';

/** Sorts along dim 0 (values only). */
export const msort = defineOp({
  name: 'msort',
  overloads: [
    {
      schema: 'aten::msort(Tensor self) -> Tensor',
      infer: (a) => ({ shape: [...a.self.shape], dtype: a.self.dtype }),
      cpu: (a, [values]) => sortInto(a.self, 0, false, false, values, undefined),
    },
  ],
});
