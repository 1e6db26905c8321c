import { isFloating, resultType, type DType } from '../dtype.js';
import type { Args, CpuKernel, OutSpec } from '../registry.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Strides that read `t` as if expanded to `shape` (0 where broadcast). */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const rank = shape.length;
  const out = new Array<number>(rank).fill(0);
  const off = rank - t.ndim;
  for (let i = 0; i < t.ndim; i++) out[off + i] = t.shape[i] === 1 ? 0 : t.strides[i]!;
  return out;
}

/** Promoted dtype of tensor/scalar operands (wrapped numbers have the lowest priority). */
export function promote(...xs: (Tensor | number | boolean | null | undefined)[]): DType {
  return resultType(xs.filter((x) => x !== null && x !== undefined).map((x) => (typeof x === 'object' ? { dtype: x.dtype, dim: x.ndim, isWrappedNumber: x.isWrappedNumber } : x)));
}

/** Float result for ops like div, sqrt, sigmoid: integers promote to float32. */
export function toFloat(d: DType): DType {
  return isFloating(d) ? d : 'float32';
}

export function inferSameAsSelf(a: Args): OutSpec {
  const self = a.self as Tensor;
  return { shape: [...self.shape], dtype: self.dtype };
}

type Unary = (x: number) => number;
type Binary = (x: number, y: number) => number;

export function mapUnary(out: Tensor, x: Tensor, f: Unary): void {
  const o = out.hostArray;
  const n = o.length;
  if (x.is_contiguous()) {
    const a = x.hostArray, off = x.offset;
    for (let i = 0; i < n; i++) o[i] = f(a[off + i]!);
    return;
  }
  const a = x.contiguousArray();
  for (let i = 0; i < n; i++) o[i] = f(a[i]!);
}

/** out = f(a, b) with broadcasting; out is contiguous with the broadcast shape. */
export function mapBinary(out: Tensor, a: Tensor, b: Tensor, f: Binary): void {
  const o = out.hostArray;
  const n = out.numel();
  if (n === 0) return;
  const A = a.hostArray, B = b.hostArray;
  const sameShape = a.ndim === b.ndim && a.shape.every((s, i) => s === b.shape[i]) && a.ndim === out.ndim;
  if (sameShape && a.is_contiguous() && b.is_contiguous()) {
    const ao = a.offset, bo = b.offset;
    for (let i = 0; i < n; i++) o[i] = f(A[ao + i]!, B[bo + i]!);
    return;
  }
  if (b.numel() === 1 && a.is_contiguous() && a.numel() === n) {
    const v = B[b.offset]!, ao = a.offset;
    for (let i = 0; i < n; i++) o[i] = f(A[ao + i]!, v);
    return;
  }
  const shape = out.shape;
  const rank = shape.length;
  const sa = broadcastStrides(a, shape), sb = broadcastStrides(b, shape);
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const inner = rank ? shape[last]! : 1;
  const ia = rank ? sa[last]! : 0, ib = rank ? sb[last]! : 0;
  let pa = a.offset, pb = b.offset;
  for (let i = 0; i < n; ) {
    let qa = pa, qb = pb;
    for (let k = 0; k < inner; k++, qa += ia, qb += ib) o[i++] = f(A[qa]!, B[qb]!);
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      pa += sa[d]!;
      pb += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      pa -= sa[d]! * shape[d]!;
      pb -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** out = f(a, b, c) with broadcasting (where, clamp with tensor bounds, addcmul, lerp). */
export function mapTernary(out: Tensor, a: Tensor, b: Tensor, c: Tensor, f: (x: number, y: number, z: number) => number): void {
  const o = out.hostArray;
  const n = out.numel();
  if (n === 0) return;
  const A = a.hostArray, B = b.hostArray, C = c.hostArray;
  const shape = out.shape;
  const rank = shape.length;
  const sa = broadcastStrides(a, shape), sb = broadcastStrides(b, shape), sc = broadcastStrides(c, shape);
  const idx = new Array<number>(rank).fill(0);
  let pa = a.offset, pb = b.offset, pc = c.offset;
  for (let i = 0; i < n; i++) {
    o[i] = f(A[pa]!, B[pb]!, C[pc]!);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      pa += sa[d]!;
      pb += sb[d]!;
      pc += sc[d]!;
      if (idx[d]! < shape[d]!) break;
      pa -= sa[d]! * shape[d]!;
      pb -= sb[d]! * shape[d]!;
      pc -= sc[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * A unary pointwise op: `float` ops (sqrt, exp, sigmoid) give float32 for integer inputs,
 * `same` ops (neg, abs, relu) keep the dtype, `bool` ops (isnan, logical_not) give bool.
 */
export function unaryOp(f: Unary, kind: 'float' | 'same' | 'bool' = 'same'): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  return {
    infer: (a) => {
      const self = a.self as Tensor;
      const dtype = kind === 'float' ? toFloat(self.dtype) : kind === 'bool' ? 'bool' : self.dtype;
      return { shape: [...self.shape], dtype };
    },
    cpu: (a, [out]) => mapUnary(out!, a.self as Tensor, f),
  };
}

/** A binary pointwise op over (self, other) with broadcasting and type promotion. */
export function binaryOp(
  f: (a: Args, outDtype: DType) => Binary,
  kind: 'promote' | 'float' | 'bool' = 'promote',
  otherName = 'other',
): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  return {
    infer: (a) => {
      const self = a.self as Tensor;
      const other = a[otherName] as Tensor | number | boolean;
      const shape = typeof other === 'object' ? broadcastShapes(self.shape, other.shape) : [...self.shape];
      const p = promote(self, other);
      const dtype = kind === 'bool' ? 'bool' : kind === 'float' ? toFloat(p) : p;
      return { shape, dtype };
    },
    cpu: (a, [out]) => {
      const self = a.self as Tensor;
      const other = a[otherName] as Tensor | number | boolean;
      const fn = f(a, out!.dtype);
      if (typeof other === 'object') mapBinary(out!, self, other, fn);
      else {
        const v = Number(other);
        mapUnary(out!, self, (x) => fn(x, v));
      }
    },
  };
}
