import { copyInto } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import { defineOp } from '../../registry.js';
import { normalizeDim } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { dtypeName } from '../../cpu/nn_util.js';

/** out = x / max(||x||_p along dim, eps), the fiber norm as torch.norm computes it for each p. */
function normalizeInto(x: Tensor, p: number, dim: number, eps: number, out: Tensor): void {
  const src = x.contiguousArray();
  const o = out.hostArray;
  const d = normalizeDim(dim, x.ndim);
  const len = x.ndim === 0 ? 1 : x.shape[d]!;
  let inner = 1;
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i]!;
  const outer = len * inner === 0 ? 0 : src.length / (len * inner);
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      const base = a * len * inner + b;
      let n: number;
      if (p === Infinity || p === -Infinity) {
        n = p > 0 ? 0 : Infinity;
        for (let k = 0; k < len; k++) {
          const v = Math.abs(src[base + k * inner]!);
          if (Number.isNaN(v)) { n = NaN; break; }
          n = p > 0 ? Math.max(n, v) : Math.min(n, v);
        }
      } else if (p === 0) {
        n = 0;
        for (let k = 0; k < len; k++) if (src[base + k * inner] !== 0) n++;
      } else if (p === 1) {
        n = 0;
        for (let k = 0; k < len; k++) n += Math.abs(src[base + k * inner]!);
      } else if (p === 2) {
        n = 0;
        for (let k = 0; k < len; k++) n += src[base + k * inner]! ** 2;
        n = Math.sqrt(n);
      } else {
        n = 0;
        for (let k = 0; k < len; k++) n += Math.abs(src[base + k * inner]!) ** p;
        n = n ** (1 / p);
      }
      const den = Number.isNaN(n) ? n : Math.max(n, eps);
      for (let k = 0; k < len; k++) o[base + k * inner] = src[base + k * inner]! / den;
    }
  }
}

/** F.normalize(input, p=2.0, dim=1, eps=1e-12, out=None): input / norm(input, p, dim).clamp_min(eps). */
export const normalize = defineOp({
  name: 'normalize',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::normalize(Tensor input, float p=2., int dim=1, float eps=9.9999999999999998e-13, Tensor? out=None) -> Tensor',
      cpuDynamic: (a) => {
        const x = a.input as Tensor;
        if (!isFloating(x.dtype)) throw new Error(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${dtypeName(x.dtype)}`);
        normalizeDim(a.dim, x.ndim);
        const r = Tensor.empty(x.shape, x.dtype);
        normalizeInto(x, a.p, a.dim, a.eps, r);
        if (a.out) {
          copyInto(a.out as Tensor, r);
          r.dispose();
          return a.out;
        }
        return r;
      },
    },
  ],
});
