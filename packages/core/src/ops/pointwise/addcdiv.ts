import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, checkedScalarIn, rounder, runTernary } from '../../cpu/pointwise_kernels.js';
import { promote } from '../../cpu/pointwise.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

function compute(a: Args): DType {
  const t1 = a.tensor1 as Tensor, t2 = a.tensor2 as Tensor;
  if (!isFloating(t1.dtype) && !isFloating(t2.dtype)) {
    throw new Error(
      'Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. ' +
        'The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as ' +
        '(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.',
    );
  }
  return promote(a.self as Tensor, t1, t2);
}

/** self + value * tensor1 / tensor2 in the promoted dtype */
export const addcdiv = defineOp({
  name: 'addcdiv',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::addcdiv(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor',
      infer: (a) => ({ shape: broadcastOperands(a.self, a.tensor1, a.tensor2), dtype: compute(a) }),
      cpu: (a, [out]) => {
        const c = out!.dtype;
        const v = checkedScalarIn(a.value as number, c);
        const r = rounder(c);
        runTernary(out!, a.self as Tensor, a.tensor1 as Tensor, a.tensor2 as Tensor, c, (x, y, z) => r(x + r(r(v * y) / z)));
      },
    },
  ],
});
