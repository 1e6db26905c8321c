import { defineOp, type Args } from '../../registry.js';
import { inferSameAsSelf } from '../../cpu/pointwise.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

function triKernel(lower: boolean) {
  return (a: Args, [out]: Tensor[]): void => {
    const self = a.self as Tensor;
    const k = a.diagonal as number;
    const o = out!.hostArray;
    const src = self.contiguousArray();
    const rows = self.shape[self.ndim - 2]!, cols = self.shape[self.ndim - 1]!;
    const mat = rows * cols;
    const batches = mat === 0 ? 0 : self.numel() / mat;
    for (let b = 0; b < batches; b++) {
      const base = b * mat;
      for (let i = 0; i < rows; i++) {
        const row = base + i * cols;
        for (let j = 0; j < cols; j++) {
          const keep = lower ? j - i <= k : j - i >= k;
          o[row + j] = keep ? src[row + j]! : 0;
        }
      }
    }
  };
}

function triInfer(a: Args) {
  const self = a.self as Tensor;
  wrapDim(-2, self.ndim);
  return inferSameAsSelf(a);
}

/** Lower triangle of the last two dims (j - i <= diagonal), zeros elsewhere. */
export const tril = defineOp({
  name: 'tril',
  inplace: true,
  overloads: [{ schema: 'aten::tril(Tensor self, int diagonal=0) -> Tensor', infer: triInfer, cpu: triKernel(true) }],
});

/** Upper triangle of the last two dims (j - i >= diagonal), zeros elsewhere. */
export const triu = defineOp({
  name: 'triu',
  inplace: true,
  overloads: [{ schema: 'aten::triu(Tensor self, int diagonal=0) -> Tensor', infer: triInfer, cpu: triKernel(false) }],
});
