import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, notImplemented, checkedScalarIn, rounder, runTernary } from '../../cpu/pointwise_kernels.js';
import { promote } from '../../cpu/pointwise.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

function compute(a: Args): DType {
  const c = promote(a.self as Tensor, a.tensor1 as Tensor, a.tensor2 as Tensor);
  if (c === 'bool') throw notImplemented('addcmul_cpu_out', c);
  return c;
}

/** self + value * tensor1 * tensor2 in the promoted dtype (value truncated for integer results) */
export const addcmul = defineOp({
  name: 'addcmul',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::addcmul(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor',
      infer: (a) => ({ shape: broadcastOperands(a.self, a.tensor1, a.tensor2), dtype: compute(a) }),
      cpu: (a, [out]) => {
        const c = out!.dtype;
        const v = checkedScalarIn(a.value as number, c);
        const r = rounder(c);
        const f = isFloating(c)
          ? (x: number, y: number, z: number) => r(x + r(r(v * y) * z))
          : c === 'int32'
            ? (x: number, y: number, z: number) => x + Math.imul(Math.imul(v, y), z)
            : (x: number, y: number, z: number) => x + v * y * z;
        runTernary(out!, a.self as Tensor, a.tensor1 as Tensor, a.tensor2 as Tensor, c, f);
      },
    },
  ],
});
