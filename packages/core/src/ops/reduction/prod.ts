import { defineOp, type Args } from '../../registry.js';
import { accumulateDtype, castFn, keptShape, reduceDims, reduceLayout, store } from '../../cpu/reduce_core.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

const SAFE = 2 ** 53;
const BITS: Partial<Record<DType, number>> = { int64: 64, int32: 32, int16: 16, int8: 8 };

/** Multiplies integers exactly and wraps like a C++ integer of `dtype` (int64 products overflow in PyTorch). */
export class IntProduct {
  private acc = 1;
  private big: bigint | undefined;
  constructor(private readonly dtype: DType) {}
  reset(): void {
    this.acc = 1;
    this.big = undefined;
  }
  mul(v: number): void {
    if (this.big === undefined) {
      const p = this.acc * v;
      if (Math.abs(p) < SAFE) {
        this.acc = p;
        return;
      }
      this.big = BigInt(this.acc);
    }
    this.big = BigInt.asIntN(64, this.big * BigInt(v));
  }
  value(): number {
    if (this.dtype === 'bool') return this.acc !== 0 || (this.big !== undefined && this.big !== 0n) ? 1 : 0;
    if (this.big === undefined) return this.acc;
    if (this.dtype === 'uint8') return Number(BigInt.asUintN(8, this.big));
    return Number(BigInt.asIntN(BITS[this.dtype] ?? 64, this.big));
  }
}

function prodKernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const { data, offset, outer, R, inner } = reduceLayout(self, reduceDims(self, a.dim), castFn(self.dtype, a.dtype as DType | null));
  if (isFloating(out!.dtype)) {
    const acc = new Float64Array(outer * inner).fill(1);
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < R; r++) {
        const b = offset + (o * R + r) * inner;
        for (let i = 0; i < inner; i++) acc[o * inner + i] *= data[b + i]!;
      }
    }
    store(out!, acc);
    return;
  }
  const res = new Float64Array(outer * inner);
  const p = new IntProduct(out!.dtype);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      p.reset();
      for (let r = 0, q = offset + o * R * inner + i; r < R; r++, q += inner) p.mul(data[q]!);
      res[o * inner + i] = p.value();
    }
  }
  store(out!, res);
}

export const prod = defineOp({
  name: 'prod',
  tags: ['reduction'],
  overloads: [
    {
      schema: 'aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: [], dtype: accumulateDtype(a.self.dtype, a.dtype) }),
      cpu: prodKernel,
    },
    {
      schema: 'aten::prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
      infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim), a.keepdim), dtype: accumulateDtype(a.self.dtype, a.dtype) }),
      cpu: prodKernel,
    },
  ],
});
