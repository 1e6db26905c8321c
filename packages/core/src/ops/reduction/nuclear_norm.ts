import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { keptShape, reduceLayout, scalarTypeName } from '../../cpu/reduce_core.js';
import { forEachLaneCopy } from '../../cpu/reduce_sort.js';
import { singularValues } from '../../cpu/reduce_svdvals.js';
import { isFloating } from '../../dtype.js';
import { normalizeDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

function dimsOf(a: Args): number[] {
  const self = a.self as Tensor;
  if (!a.dim) {
    if (self.ndim !== 2) throw new RangeError(`Expected a tensor with 2 dimensions, but got a tensor with ${self.ndim} dimensions instead.`);
    return [0, 1];
  }
  const [d0, d1] = (a.dim as number[]).map((d) => normalizeDim(d, self.ndim));
  if (d0 === d1) throw new RangeError('duplicate or invalid dimensions');
  return [d0!, d1!].sort((x, y) => x - y);
}

const overload = (schema: string): OverloadDecl => ({
  schema,
  infer: (a) => {
    const self = a.self as Tensor;
    if (!isFloating(self.dtype)) throw new TypeError(`linalg.svd: Expected a floating point or complex tensor as input. Got ${scalarTypeName(self.dtype)}`);
    return { shape: keptShape(self, dimsOf(a), a.keepdim), dtype: self.dtype };
  },
  cpu: (a, [out]) => {
    const self = a.self as Tensor;
    const dims = dimsOf(a);
    const m = self.shape[dims[0]!]!, n = self.shape[dims[1]!]!;
    const L = reduceLayout(self, dims);
    const o = out!.hostArray;
    forEachLaneCopy(L, (v, _ix, oo, i) => {
      for (let k = 0; k < v.length; k++) {
        if (!Number.isFinite(v[k]!)) throw new Error('linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values.');
      }
      o[oo * L.inner + i] = singularValues(v, m, n).reduce((s, x) => s + x, 0);
    });
  },
});

/** The sum of singular values over two dims (torch.norm(p='nuc')). */
export const nuclear_norm = defineOp({
  name: 'nuclear_norm',
  variants: ['function'],
  tags: ['reduction'],
  overloads: [
    overload('aten::nuclear_norm(Tensor self, bool keepdim=False) -> Tensor'),
    overload('aten::nuclear_norm.dim(Tensor self, int[2] dim, bool keepdim=False) -> Tensor'),
  ],
});
