import { defineOp } from '../../registry.js';
import { normalizeDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

export const permute = defineOp({
  name: 'permute',
  overloads: [
    {
      schema: 'aten::permute(Tensor(a) self, int[] dims) -> Tensor(a)',
      view: (a) => {
        const self = a.self as Tensor;
        const dims = (a.dims as number[]).map((d) => normalizeDim(d, self.ndim));
        if (dims.length !== self.ndim || new Set(dims).size !== dims.length) {
          throw new RangeError(`permute: dims [${a.dims}] is not a permutation of the ${self.ndim} dims of the input`);
        }
        return { shape: dims.map((d) => self.shape[d]!), strides: dims.map((d) => self.strides[d]!), offset: self.offset };
      },
    },
  ],
});
