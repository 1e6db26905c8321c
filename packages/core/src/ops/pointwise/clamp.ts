import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, checkedScalarIn, notImplemented, runBinary, runTernary, runUnary } from '../../cpu/pointwise_kernels.js';
import { promote } from '../../cpu/pointwise.js';
import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

function checkBounds(a: Args): void {
  if ((a.min ?? null) === null && (a.max ?? null) === null) throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
}

function scalarCompute(a: Args): DType {
  checkBounds(a);
  const c = promote(a.self as Tensor, a.min as number | null, a.max as number | null);
  if (c === 'bool') throw notImplemented('clamp_scalar_cpu', c);
  return c;
}

/** Scalar bounds: std::min(std::max(x, min), max) in the promoted dtype; NaN in x propagates, NaN bounds are ignored. */
const scalarKernel = {
  infer: (a: Args) => ({ shape: [...(a.self as Tensor).shape], dtype: scalarCompute(a) }),
  cpu: (a: Args, [out]: Tensor[]) => {
    const c = scalarCompute(a);
    const lo = a.min === null ? undefined : checkedScalarIn(a.min as number, c);
    const hi = a.max === null ? undefined : checkedScalarIn(a.max as number, c);
    let f: (x: number) => number;
    if (lo !== undefined && hi !== undefined) f = (x) => { const v = x < lo ? lo : x; return hi < v ? hi : v; };
    else if (lo !== undefined) f = (x) => (x < lo ? lo : x);
    else f = (x) => (hi! < x ? hi! : x);
    runUnary(out!, a.self as Tensor, c, f);
  },
};

function tensorCompute(a: Args): DType {
  checkBounds(a);
  const c = promote(a.self as Tensor, a.min as Tensor | null, a.max as Tensor | null);
  // with one bound PyTorch runs maximum/minimum, which take bool; the two-sided kernel does not
  if (c === 'bool' && a.min !== null && a.max !== null) throw notImplemented('clamp_cpu', c);
  return c;
}

/** Tensor bounds: broadcast self/min/max; a NaN anywhere gives NaN. */
const tensorKernel = {
  infer: (a: Args) => ({ shape: broadcastOperands(a.self as Tensor, a.min as Tensor | null, a.max as Tensor | null), dtype: tensorCompute(a) }),
  cpu: (a: Args, [out]: Tensor[]) => {
    const c = tensorCompute(a);
    const self = a.self as Tensor, lo = a.min as Tensor | null, hi = a.max as Tensor | null;
    if (lo && hi) {
      runTernary(out!, self, lo, hi, c, (x, l, h) => {
        if (l !== l || h !== h) return NaN;
        const v = x < l ? l : x;
        return h < v ? h : v;
      });
    } else if (lo) runBinary(out!, self, lo, c, (x, l) => (l !== l ? l : x < l ? l : x));
    else runBinary(out!, self, hi!, c, (x, h) => (h !== h ? h : h < x ? h : x));
  },
};

export const clamp = defineOp({
  name: 'clamp',
  aliases: ['clip'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor', ...scalarKernel },
    { schema: 'aten::clamp.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor', ...tensorKernel },
  ],
});
