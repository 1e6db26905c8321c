import { defineOp, type Args } from '../../registry.js';
import { accumulateDtype, castFn, keptShape, laneSums, reduceDims, reduceLayout, store } from '../../cpu/reduce_core.js';
import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** sum and nansum: float64 accumulation; integers and bool give int64 unless `dtype` says otherwise. */
export function sumKernel(skipNaN: boolean) {
  return (a: Args, [out]: Tensor[]): void => {
    const self = a.self as Tensor;
    const dims = reduceDims(self, a.dim);
    store(out!, laneSums(reduceLayout(self, dims, castFn(self.dtype, a.dtype as DType | null)), skipNaN));
  };
}

export const sum = defineOp({
  name: 'sum',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: [], dtype: accumulateDtype(a.self.dtype, a.dtype) }),
      cpu: sumKernel(false),
    },
    {
      schema: 'aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim), a.keepdim), dtype: accumulateDtype(a.self.dtype, a.dtype) }),
      cpu: sumKernel(false),
    },
  ],
});

export const nansum = defineOp({
  name: 'nansum',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::nansum(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor;
        const dtype = accumulateDtype(self.dtype, a.dtype);
        if (a.dtype && a.dtype !== 'float32' && a.dtype !== 'float64' && a.dtype !== 'float16' && a.dtype !== 'int64') {
          throw new TypeError(`"nansum_cpu" not implemented for '${{ int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool' }[a.dtype as string]}'`);
        }
        return { shape: keptShape(self, reduceDims(self, a.dim), a.keepdim), dtype };
      },
      cpu: sumKernel(true),
    },
  ],
});
