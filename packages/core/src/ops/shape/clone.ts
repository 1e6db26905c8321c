import { copyInto } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { inferSameAsSelf } from '../../cpu/pointwise.js';

export const clone = defineOp({
  name: 'clone',
  overloads: [
    {
      schema: 'aten::clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor',
      infer: inferSameAsSelf,
      cpu: (a, [out]) => copyInto(out!, a.self),
    },
  ],
});
