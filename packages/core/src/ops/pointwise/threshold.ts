import { defineOp } from '../../registry.js';
import { checkedScalarIn, runUnary } from '../../cpu/pointwise_kernels.js';
import type { Tensor } from '../../tensor.js';
import { pyInplaceWrapper } from './py_functional.js';

/** x <= threshold ? value : x, with threshold and value in self's dtype */
export const threshold = defineOp({
  name: 'threshold',
  variants: ['function', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::threshold(Tensor self, Scalar threshold, Scalar value) -> Tensor',
      infer: (a) => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const th = checkedScalarIn(a.threshold as number, self.dtype), v = checkedScalarIn(a.value as number, self.dtype);
        runUnary(out!, self, self.dtype, (x) => (x <= th ? v : x));
      },
    },
    // F.threshold(input, threshold, value, inplace=False)
    pyInplaceWrapper('torchlet::threshold(Tensor input, float threshold, float value, bool inplace=False) -> Tensor', 'aten::threshold', ['input', 'threshold', 'value']),
  ],
});
