import { defineOp, type Args } from '../../registry.js';
import { notImplemented, TORCH_TYPE_NAME } from '../../cpu/pointwise_kernels.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

function check(a: Args): void {
  const self = a.self as Tensor, w = a.weight as Tensor;
  if (!isFloating(self.dtype)) throw notImplemented('prelu_cpu', self.dtype);
  if (w.dtype !== self.dtype) throw new Error(`Found dtype ${TORCH_TYPE_NAME[w.dtype]} but expected ${TORCH_TYPE_NAME[self.dtype]}`);
  if (w.ndim > 1) throw new Error(`prelu: Expected \`weight\` to be a scalar or 1D tensor, but got ndim = ${w.ndim}`);
  const channels = self.ndim >= 2 ? self.shape[1]! : 1;
  const n = w.numel();
  if (n !== 1 && n !== channels) {
    throw new Error(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${channels}.`);
  }
}

/** x > 0 ? x : weight[c] * x, with one weight per channel (dim 1) or a single shared weight */
export const prelu = defineOp({
  name: 'prelu',
  variants: ['function', 'method', 'F'],
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::prelu(Tensor self, Tensor weight) -> Tensor',
      infer: (a) => {
        check(a);
        return { shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor, w = (a.weight as Tensor).contiguousArray();
        const x = self.contiguousArray();
        const o = out!.hostArray;
        const channels = w.length === 1 || self.ndim < 2 ? 1 : self.shape[1]!;
        let inner = 1;
        for (let d = 2; d < self.ndim; d++) inner *= self.shape[d]!;
        for (let i = 0; i < o.length; i++) {
          const v = x[i]!;
          o[i] = v > 0 ? v : w[channels === 1 ? 0 : Math.floor(i / inner) % channels]! * v;
        }
      },
    },
  ],
});
