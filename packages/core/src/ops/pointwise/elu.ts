import { defineOp, type Args } from '../../registry.js';
import { floatUnary, rounder, checkedScalarIn, type Unary } from '../../cpu/pointwise_kernels.js';
import type { DType } from '../../dtype.js';
import { pyInplaceWrapper } from './py_functional.js';

/** ATen's elu: x <= 0 ? (exp(x * input_scale) - 1) * alpha * scale : x * scale */
export function eluFn(d: DType, alpha: number, scale: number, inputScale: number): Unary {
  const r = rounder(d);
  const negcoef = r(checkedScalarIn(alpha, d) * checkedScalarIn(scale, d));
  const poscoef = checkedScalarIn(scale, d);
  const negiptcoef = checkedScalarIn(inputScale, d);
  return (x) => (x <= 0 ? Math.expm1(x * negiptcoef) * negcoef : x * poscoef);
}

export const eluKernel = floatUnary('elu_cpu', (d, a: Args) => eluFn(d, a.alpha as number, a.scale as number, a.input_scale as number));

export const elu = defineOp({
  name: 'elu',
  variants: ['F'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    // F.elu(input, alpha=1.0, inplace=False) first: ATen's `scale` would otherwise take a positional `inplace` bool
    pyInplaceWrapper('torchlet::elu(Tensor input, float alpha=1.0, bool inplace=False) -> Tensor', 'aten::elu', ['input', 'alpha']),
    { schema: 'aten::elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor', ...eluKernel },
  ],
});
