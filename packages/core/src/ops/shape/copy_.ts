import { copyInto } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

export const copy_ = defineOp({
  name: 'copy_',
  variants: ['method'],
  overloads: [
    {
      schema: 'aten::copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)',
      tags: ['inplace'],
      cpuDynamic: (a) => {
        copyInto(a.self as Tensor, a.src as Tensor);
        return a.self;
      },
    },
  ],
});
