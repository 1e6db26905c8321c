import { defineOp } from '../../registry.js';
import { notImplemented } from '../../cpu/pointwise_kernels.js';
import { sigmoid } from '../../cpu/pointwise_math.js';
import { isFloating } from '../../dtype.js';
import { normalizeDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

function gluShape(self: Tensor, dimArg: number): { dim: number; shape: number[] } {
  if (self.ndim === 0) throw new Error('glu does not support scalars because halving size must be even');
  const dim = normalizeDim(dimArg, self.ndim);
  const n = self.shape[dim]!;
  if (n % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${dim} is size ${n}`);
  const shape = [...self.shape];
  shape[dim] = n / 2;
  return { dim, shape };
}

/** glu(x, dim) = a * sigmoid(b) where a, b are the two halves of x along dim */
export const glu = defineOp({
  name: 'glu',
  variants: ['F'],
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::glu(Tensor self, int dim=-1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor;
        if (!isFloating(self.dtype)) throw notImplemented('glu_cpu', self.dtype);
        return { shape: gluShape(self, a.dim as number).shape, dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const { dim, shape } = gluShape(self, a.dim as number);
        const x = self.contiguousArray();
        const o = out!.hostArray;
        const half = shape[dim]!;
        let inner = 1;
        for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
        let outer = 1;
        for (let d = 0; d < dim; d++) outer *= shape[d]!;
        const block = half * inner;
        for (let i = 0; i < outer; i++) {
          const src = i * 2 * block, dst = i * block;
          for (let k = 0; k < block; k++) o[dst + k] = x[src + k]! * sigmoid(x[src + block + k]!);
        }
      },
    },
  ],
});
