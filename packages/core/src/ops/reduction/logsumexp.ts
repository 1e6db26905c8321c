import { defineOp, type Args } from '../../registry.js';
import { keptShape, reduceDims, reduceLayout } from '../../cpu/reduce_core.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

function dimsOf(a: Args): number[] {
  const self = a.self as Tensor;
  const dim = a.dim as number[];
  if (dim.length === 0 && self.ndim > 0) {
    // PyTorch 1.13 fails the same way (its out= broadcast check rejects dim=[])
    throw new RangeError(`output with shape [] doesn't match the broadcast shape [${self.shape.map(() => 1).join(', ')}]`);
  }
  return reduceDims(self, dim);
}

/** log(sum(exp(x))) with the max subtracted first (an infinite max is not subtracted), as ATen does. */
export const logsumexp = defineOp({
  name: 'logsumexp',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor',
      infer: (a) => ({ shape: keptShape(a.self, dimsOf(a), a.keepdim), dtype: isFloating(a.self.dtype) ? a.self.dtype : 'float32' }),
      cpu: (a, [out]) => {
        const { data, offset, outer, R, inner } = reduceLayout(a.self, dimsOf(a));
        const o = out!.hostArray;
        for (let oo = 0; oo < outer; oo++) {
          for (let i = 0; i < inner; i++) {
            const b = offset + oo * R * inner + i;
            let m = -Infinity;
            for (let r = 0, p = b; r < R; r++, p += inner) {
              const v = data[p]!;
              if (v > m || v !== v) m = v;
              if (m !== m) break;
            }
            if (R === 0 || Math.abs(m) === Infinity) m = 0;
            let s = 0;
            for (let r = 0, p = b; r < R; r++, p += inner) s += Math.exp(data[p]! - m);
            o[oo * inner + i] = Math.log(s) + m;
          }
        }
      },
    },
  ],
});
