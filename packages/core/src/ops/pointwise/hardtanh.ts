import { defineOp, type Args, type CpuKernel, type OutSpec } from '../../registry.js';
import { caster, checkedScalarIn, runUnary } from '../../cpu/pointwise_kernels.js';
import { promote } from '../../cpu/pointwise.js';
import type { Tensor } from '../../tensor.js';
import { pyInplaceWrapper } from './py_functional.js';

function check(self: Tensor, lo: number, hi: number): void {
  if (self.dtype === 'bool') throw new Error('Bool inputs not supported for hardtanh');
  if (self.dtype === 'uint8' && (Math.trunc(lo) < 0 || Math.trunc(hi) < 0)) throw new Error('cannot do hardtanh on an unsigned type with negative limits');
}

/**
 * clamp(x, min_val, max_val) computed like ATen's hardtanh_out: clamp in the promoted dtype, then
 * cast back to self's dtype (so an int tensor with bounds -0.5/0.5 gives 0).
 */
export function hardtanhKernel(bounds: (a: Args) => [number, number]): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  return {
    infer: (a) => {
      const self = a.self as Tensor;
      const [lo, hi] = bounds(a);
      check(self, lo, hi);
      return { shape: [...self.shape], dtype: self.dtype };
    },
    cpu: (a, [out]) => {
      const self = a.self as Tensor;
      const [loArg, hiArg] = bounds(a);
      const c = promote(self, loArg, hiArg);
      const lo = checkedScalarIn(loArg, c), hi = checkedScalarIn(hiArg, c);
      const back = c === self.dtype ? (x: number) => x : caster(self.dtype);
      runUnary(out!, self, c, (x) => {
        const v = x < lo ? lo : x;
        return back(hi < v ? hi : v);
      });
    },
  };
}

export const hardtanh = defineOp({
  name: 'hardtanh',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor', ...hardtanhKernel((a) => [a.min_val as number, a.max_val as number]) },
    // F.hardtanh(input, min_val=-1., max_val=1., inplace=False)
    pyInplaceWrapper('torchlet::hardtanh(Tensor input, float min_val=-1., float max_val=1., bool inplace=False) -> Tensor', 'aten::hardtanh', ['input', 'min_val', 'max_val']),
  ],
});
