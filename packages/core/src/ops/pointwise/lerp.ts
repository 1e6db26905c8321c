import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, checkedScalarIn, notImplemented, rounder, runBinary, runTernary } from '../../cpu/pointwise_kernels.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

const C_NAME: Record<DType, string> = {
  float32: 'float', float64: 'double', float16: 'c10::Half', int8: 'signed char', int16: 'short int', int32: 'int', int64: 'long int', uint8: 'unsigned char', bool: 'bool',
};

function check(a: Args, kernel: string): DType {
  const self = a.self as Tensor, end = a.end as Tensor, w = a.weight as Tensor | number;
  if (end.dtype !== self.dtype) throw new Error(`expected dtype ${C_NAME[self.dtype]} for \`end\` but got dtype ${C_NAME[end.dtype]}`);
  if (typeof w === 'object' && w.dtype !== self.dtype) throw new Error(`expected dtype ${C_NAME[self.dtype]} for \`weight\` but got dtype ${C_NAME[w.dtype]}`);
  if (!isFloating(self.dtype)) throw notImplemented(kernel, self.dtype);
  return self.dtype;
}

/** ATen 1.13's lerp: self + w * (end - self) for w < 0.5, else end - (end - self) * (1 - w), in the tensor's precision */
function lerpFn(d: DType): (s: number, e: number, w: number) => number {
  const r = rounder(d);
  return (s, e, w) => (w < 0.5 ? r(s + r(w * r(e - s))) : r(e - r(r(e - s) * r(1 - w))));
}

export const lerp = defineOp({
  name: 'lerp',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::lerp.Scalar(Tensor self, Tensor end, Scalar weight) -> Tensor',
      infer: (a) => ({ shape: broadcastOperands(a.self, a.end), dtype: check(a, 'lerp_kernel_scalar') }),
      cpu: (a, [out]) => {
        const d = out!.dtype;
        const w = checkedScalarIn(a.weight as number, d);
        const f = lerpFn(d);
        runBinary(out!, a.self as Tensor, a.end as Tensor, d, (s, e) => f(s, e, w));
      },
    },
    {
      schema: 'aten::lerp.Tensor(Tensor self, Tensor end, Tensor weight) -> Tensor',
      infer: (a) => ({ shape: broadcastOperands(a.self, a.end, a.weight), dtype: check(a, 'lerp_kernel_tensor') }),
      cpu: (a, [out]) => runTernary(out!, a.self as Tensor, a.end as Tensor, a.weight as Tensor, out!.dtype, lerpFn(out!.dtype)),
    },
  ],
});
