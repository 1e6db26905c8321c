import { defineOp, type Args } from '../../registry.js';
import { binary } from '../../cpu/pointwise_kernels.js';
import type { Tensor } from '../../tensor.js';

function checkSameDtype(_c: unknown, a: Args): void {
  const self = a.self as Tensor, values = a.values as Tensor;
  if (self.dtype !== values.dtype) {
    throw new Error('heaviside is not yet implemented for tensors with different dtypes');
  }
}

/** 0 for x < 0, values for x == 0, 1 for x > 0 (NaN gives 0) */
const kernel = binary({
  kernel: 'heaviside_cpu',
  args: ['self', 'values'],
  check: checkSameDtype,
  f: () => (x, v) => (x === 0 ? v : x > 0 ? 1 : 0),
});

export const heaviside = defineOp({
  name: 'heaviside',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::heaviside(Tensor self, Tensor values) -> Tensor', ...kernel }],
});
