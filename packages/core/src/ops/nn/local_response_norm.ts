import { isFloating } from '../../dtype.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/**
 * F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0): x / (k + alpha * avg of x^2
 * over a window of `size` channels, zero-padded)^beta. Integer inputs average with integer
 * division, as PyTorch's avg_pool of an integer tensor does, and give float32.
 */
export const local_response_norm = defineOp({
  name: 'local_response_norm',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::local_response_norm(Tensor input, int size, float alpha=0.0001, float beta=0.75, float k=1.) -> Tensor',
      infer: (a) => {
        const x = a.input as Tensor;
        if (x.ndim < 3) throw new RangeError(`Expected 3D or higher dimensionality input (got ${x.ndim} dimensions)`);
        if (a.size <= 0) throw new RangeError(`pad should be smaller than or equal to half of kernel size, but got size=${a.size}`);
        return { shape: [...x.shape], dtype: x.numel() === 0 || isFloating(x.dtype) ? x.dtype : 'float32' };
      },
      cpu: (a, [out]) => {
        const x = a.input as Tensor;
        const src = x.contiguousArray();
        const o = out!.hostArray;
        const size = a.size as number, alpha = a.alpha as number, beta = a.beta as number, k = a.k as number;
        const isInt = !isFloating(x.dtype);
        const N = x.shape[0]!, C = x.shape[1]!;
        const inner = C === 0 || N === 0 ? 0 : src.length / (N * C);
        const lo = Math.floor(size / 2);
        for (let n = 0; n < N; n++) {
          for (let c = 0; c < C; c++) {
            const c0 = Math.max(0, c - lo), c1 = Math.min(C - 1, c - lo + size - 1);
            for (let i = 0; i < inner; i++) {
              let s = 0;
              for (let cc = c0; cc <= c1; cc++) {
                const v = src[(n * C + cc) * inner + i]!;
                s += v * v;
              }
              const avg = isInt ? Math.trunc(s / size) : s / size;
              const idx = (n * C + c) * inner + i;
              o[idx] = src[idx]! / (avg * alpha + k) ** beta;
            }
          }
        }
      },
    },
  ],
});
