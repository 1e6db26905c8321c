import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, checkedScalarIn, runBinary } from '../../cpu/pointwise_kernels.js';
import { f32ToF16Bits, type DType } from '../../dtype.js';
import { Tensor } from '../../tensor.js';

function fillValue(a: Args): number | boolean {
  const v = a.value as Tensor | number | boolean;
  if (typeof v !== 'object') return v;
  if (v.ndim !== 0) throw new Error(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${v.ndim} dimension(s).`);
  return v.dtype === 'bool' ? (v.item() as boolean) : Number(v.item());
}

const f32 = new Float32Array(1), f64 = new Float64Array(1);
const b32 = new Uint8Array(f32.buffer), b64 = new Uint8Array(f64.buffer);
/** The first (little-endian) byte of an element, which is what ATen's kernel reads from a non-bool mask. */
function lowByte(v: number, d: DType): number {
  switch (d) {
    case 'float32': f32[0] = v; return b32[0]!;
    case 'float64': f64[0] = v; return b64[0]!;
    case 'float16': return f32ToF16Bits(v) & 255;
    default: return v & 255;
  }
}

/**
 * The mask as 0/1 bytes. PyTorch 1.13 accepts bool masks and (deprecated) byte masks; for other
 * dtypes its kernel reads each element's first byte, which must be 0 or 1 — reproduced here.
 */
function maskBytes(mask: Tensor): Tensor {
  if (mask.dtype === 'bool') return mask;
  const src = mask.contiguousArray();
  const out = Tensor.empty(mask.shape, 'uint8');
  const o = out.hostArray;
  for (let i = 0; i < src.length; i++) {
    const b = lowByte(src[i]!, mask.dtype);
    if (b > 1) {
      out.dispose();
      throw new Error('Mask tensor can take 0 and 1 values only');
    }
    o[i] = b;
  }
  return out;
}

/** self where mask is false, `value` (converted to self's dtype) where it is true; broadcast over self and mask */
const kernel = {
  infer: (a: Args) => {
    const self = a.self as Tensor, mask = a.mask as Tensor;
    checkedScalarIn(fillValue(a), self.dtype);
    return { shape: broadcastOperands(self, mask), dtype: self.dtype };
  },
  cpu: (a: Args, [out]: Tensor[]) => {
    const self = a.self as Tensor;
    const v = checkedScalarIn(fillValue(a), self.dtype);
    const m = maskBytes(a.mask as Tensor);
    try {
      runBinary(out!, self, m, self.dtype, (x, b) => (b ? v : x));
    } finally {
      if (m !== a.mask) m.dispose();
    }
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
