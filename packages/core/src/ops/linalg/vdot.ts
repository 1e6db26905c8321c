import { defineOp } from '../../registry.js';
import { dotInfer, dotKernel } from './dot.js';

/** Conjugating dot product; all torchlet dtypes are real, so it equals dot. */
export const vdot = defineOp({
  name: 'vdot',
  overloads: [
    {
      schema: 'aten::vdot(Tensor self, Tensor other) -> Tensor',
      infer: (a) => dotInfer('dot', a.self, a.other),
      cpu: (a, [out]) => dotKernel(a.self, a.other, out!),
    },
  ],
});
