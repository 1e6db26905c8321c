import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, runBinary, scalarIn, TORCH_TYPE_NAME } from '../../cpu/pointwise_kernels.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

function checkMask(mask: Tensor): void {
  // PyTorch 1.13 reads non-bool masks as bytes (uint8 with a deprecation warning); float masks are rejected here
  if (isFloating(mask.dtype)) throw new Error(`masked_fill_ only supports boolean masks, but got mask with dtype ${TORCH_TYPE_NAME[mask.dtype]}`);
}

function fillValue(a: Args): number | boolean {
  const v = a.value as Tensor | number | boolean;
  if (typeof v !== 'object') return v;
  if (v.ndim !== 0) throw new Error(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${v.ndim} dimension(s).`);
  return v.dtype === 'bool' ? v.item() : Number(v.item());
}

/** self where mask is false, `value` (cast to self's dtype) where it is true; broadcast over self and mask */
const kernel = {
  infer: (a: Args) => {
    const self = a.self as Tensor, mask = a.mask as Tensor;
    checkMask(mask);
    fillValue(a);
    return { shape: broadcastOperands(self, mask), dtype: self.dtype };
  },
  cpu: (a: Args, [out]: Tensor[]) => {
    const self = a.self as Tensor, mask = a.mask as Tensor;
    const v = scalarIn(fillValue(a), self.dtype);
    const byteMask = mask.dtype !== 'bool';
    runBinary(out!, self, mask, self.dtype, (x, m) => {
      if (byteMask) {
        const b = m & 255; // the low byte, as ATen reads a non-bool mask
        if (b !== 0 && b !== 1) throw new Error('Mask tensor can take 0 and 1 values only');
        return b ? v : x;
      }
      return m ? v : x;
    });
  },
};

export const masked_fill = defineOp({
  name: 'masked_fill',
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor', ...kernel },
    { schema: 'aten::masked_fill.Tensor(Tensor self, Tensor mask, Tensor value) -> Tensor', ...kernel },
  ],
});
