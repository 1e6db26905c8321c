import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { eluFn } from './elu.js';
import { pyInplaceWrapper } from './py_functional.js';

/** elu(x, alpha, scale=1, input_scale=1/alpha) */
export const celu = defineOp({
  name: 'celu',
  variants: ['function', 'F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    {
      schema: 'aten::celu(Tensor self, Scalar alpha=1.) -> Tensor',
      ...floatUnary(
        'elu_cpu',
        (d, a) => eluFn(d, a.alpha as number, 1, 1 / (a.alpha as number)),
        (a) => {
          if (Number(a.alpha) === 0) throw new Error('ZeroDivisionError: alpha cannot be 0 for CELU');
        },
      ),
    },
    // F.celu(input, alpha=1., inplace=False)
    pyInplaceWrapper('torchlet::celu(Tensor input, float alpha=1., bool inplace=False) -> Tensor', 'aten::celu', ['input', 'alpha']),
  ],
});
