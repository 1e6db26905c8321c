import { defineOp } from '../../registry.js';
import { binary, notImplemented } from '../../cpu/pointwise_kernels.js';
import { nextafter as nextafterScalar } from '../../cpu/pointwise_math.js';
import { f16BitsToF32, f32ToF16Bits } from '../../dtype.js';

/** the next representable value after self toward other, in the promoted float dtype (no half, like PyTorch's CPU) */
const kernel = binary({
  kernel: 'nextafter_cpu',
  noInt: true,
  check: (c) => {
    if (c === 'float16') throw notImplemented('nextafter_cpu', c);
  },
  f: (c) => {
    const p = c === 'float64' ? 'float64' : c === 'float32' ? 'float32' : 'float16';
    return (x, y) => nextafterScalar(x, y, p, f32ToF16Bits, f16BitsToF32);
  },
});

export const nextafter = defineOp({
  name: 'nextafter',
  inplace: true,
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::nextafter(Tensor self, Tensor other) -> Tensor', ...kernel }],
});
