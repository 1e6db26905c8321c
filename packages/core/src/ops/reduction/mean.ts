import { defineOp, type Args } from '../../registry.js';
import { castFn, keptShape, laneSums, reduceDims, reduceLayout, scalarTypeName } from '../../cpu/reduce_core.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** mean's output dtype: floating input or a floating `dtype=`; integers raise as in PyTorch. */
export function meanDtype(self: Tensor, dtype: DType | null, op = 'mean'): DType {
  if (dtype) {
    if (!isFloating(dtype)) throw new TypeError(`${op}(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(dtype)}`);
    return dtype;
  }
  if (!isFloating(self.dtype)) throw new TypeError(`${op}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(self.dtype)}`);
  return self.dtype;
}

function meanKernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const L = reduceLayout(self, reduceDims(self, a.dim), castFn(self.dtype, a.dtype as DType | null));
  const s = laneSums(L);
  const o = out!.hostArray;
  for (let i = 0; i < s.length; i++) o[i] = s[i]! / L.R;
}

export const mean = defineOp({
  name: 'mean',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::mean(Tensor self, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: [], dtype: meanDtype(a.self, a.dtype) }),
      cpu: meanKernel,
    },
    {
      schema: 'aten::mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim), a.keepdim), dtype: meanDtype(a.self, a.dtype) }),
      cpu: meanKernel,
    },
  ],
});

export const nanmean = defineOp({
  name: 'nanmean',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::nanmean(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor;
        if (!isFloating(self.dtype)) throw new TypeError(`nanmean(): expected input to have floating point dtype but got ${scalarTypeName(self.dtype)}`);
        const dtype = (a.dtype as DType | null) ?? self.dtype;
        if (!isFloating(dtype)) throw new TypeError(`"nansum_cpu" not implemented for '${scalarTypeName(dtype)}'`);
        return { shape: keptShape(self, reduceDims(self, a.dim), a.keepdim), dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const L = reduceLayout(self, reduceDims(self, a.dim), castFn(self.dtype, a.dtype as DType | null));
        const { data, offset, outer, R, inner } = L;
        const s = laneSums(L, true);
        const o = out!.hostArray;
        for (let oo = 0; oo < outer; oo++) {
          for (let i = 0; i < inner; i++) {
            let n = 0;
            for (let r = 0, p = offset + oo * R * inner + i; r < R; r++, p += inner) if (data[p] === data[p]) n++;
            o[oo * inner + i] = s[oo * inner + i]! / n;
          }
        }
      },
    },
  ],
});
