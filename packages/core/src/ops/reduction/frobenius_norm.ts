import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { keptShape, reduceDims, reduceLayout, scalarTypeName } from '../../cpu/reduce_core.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import { laneNorms } from './norm.js';

function dimsOf(a: Args): number[] {
  const dim = (a.dim as number[] | undefined) ?? [];
  if (dim.length > 2) throw new RangeError(`Expected at most 2 dimensions, but got ${dim.length} dimensions instead.`);
  return reduceDims(a.self, dim);
}

const overload = (schema: string): OverloadDecl => ({
  schema,
  infer: (a) => {
    const self = a.self as Tensor;
    if (!isFloating(self.dtype)) throw new TypeError(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(self.dtype)} instead.`);
    return { shape: keptShape(self, dimsOf(a), Boolean(a.keepdim)), dtype: self.dtype };
  },
  cpu: (a, [out]) => out!.hostArray.set(laneNorms(reduceLayout(a.self, dimsOf(a)), 2)),
});

/** sqrt of the sum of squares over `dim` (all dims when empty); what torch.norm(p='fro') calls. */
export const frobenius_norm = defineOp({
  name: 'frobenius_norm',
  variants: ['function'],
  tags: ['reduction'],
  overloads: [
    overload('aten::frobenius_norm(Tensor self) -> Tensor'),
    overload('aten::frobenius_norm.dim(Tensor self, int[1] dim, bool keepdim=False) -> Tensor'),
  ],
});
