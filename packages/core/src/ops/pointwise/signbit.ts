import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** true where the sign bit is set: negative numbers, -0 and NaNs with the sign bit (read from the raw bits) */
function signbitKernel(x: Tensor, out: Tensor): void {
  const o = out.hostArray;
  const src = x.contiguousArray();
  const n = o.length;
  if (src instanceof Float32Array) {
    const bits = new Int32Array(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < n; i++) o[i] = bits[i]! < 0 ? 1 : 0;
  } else if (src instanceof Float64Array && x.dtype === 'float64') {
    const bits = new Int32Array(src.buffer, src.byteOffset, src.length * 2);
    for (let i = 0; i < n; i++) o[i] = bits[2 * i + 1]! < 0 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) o[i] = src[i]! < 0 ? 1 : 0;
  }
}

export const signbit = defineOp({
  name: 'signbit',
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::signbit(Tensor self) -> Tensor',
      infer: (a) => ({ shape: [...(a.self as Tensor).shape], dtype: 'bool' }),
      cpu: (a, [out]) => signbitKernel(a.self as Tensor, out!),
    },
  ],
});
