/** Shared checks and helpers for the matrix-product ops (not an op file: not listed in index.ts). */
import { isFloating, type DType } from '../../dtype.js';
import { gemm, type Mat, type NumArray } from '../../cpu/gemm.js';
import type { Tensor } from '../../tensor.js';

/** c10 ScalarType names, as PyTorch's dtype error messages print them. */
const TYPE_NAMES: Record<DType, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool',
};
export function typeName(d: DType): string {
  return TYPE_NAMES[d];
}

/** PyTorch's `"kernel" not implemented for 'Half'` error. */
export function notImplemented(kernel: string, d: DType): never {
  throw new Error(`"${kernel}" not implemented for '${typeName(d)}'`);
}

/**
 * The matrix products reject bool like PyTorch. float16 runs too (computed in float64 and rounded,
 * as on PyTorch's GPUs), where PyTorch 1.13's CPU kernels have no Half version.
 */
export function checkBlasDtype(kernel: string, d: DType): void {
  if (d === 'bool') notImplemented(kernel, d);
}

/** `expected scalar type Float but found Double` when `other` is not of dtype `want`. */
export function checkSameDtype(want: DType, other: DType): void {
  if (want !== other) throw new Error(`expected scalar type ${typeName(want)} but found ${typeName(other)}`);
}

/**
 * alpha/beta for a product of dtype `d`: integer results truncate (PyTorch casts the Scalar to the
 * result type); a boolean Scalar is 0/1.
 */
export function scalarAs(v: number | boolean, d: DType): number {
  const x = Number(v);
  return isFloating(d) ? x : Math.trunc(x);
}

/** addr-style ops reject float alpha/beta for integral tensors. */
export function checkIntegralScalar(name: string, v: number | boolean, d: DType): void {
  if (!isFloating(d) && typeof v === 'number' && !Number.isInteger(v)) {
    throw new Error(`For integral input tensors, argument ${name} must not be a floating point number.`);
  }
}

/** PyTorch's expand error for `self` of addmm-family ops. */
export function expandShapeCheck(self: Tensor, target: readonly number[]): void {
  const r = target.length;
  if (self.ndim > r) throw new Error(`expand: the number of sizes provided (${r}) must be greater or equal to the number of dimensions in the tensor (${self.ndim})`);
  for (let i = 0; i < self.ndim; i++) {
    const s = self.shape[i]!, t = target[r - self.ndim + i]!;
    if (s !== 1 && s !== t) {
      throw new Error(
        `The expanded size of the tensor (${t}) must match the existing size (${s}) at non-singleton dimension ${r - self.ndim + i}.  Target sizes: [${target.join(', ')}].  Tensor sizes: [${self.shape.join(', ')}]`,
      );
    }
  }
}

/**
 * Writes beta * self (broadcast to `out`'s shape) into the contiguous `out`; beta = 0 writes
 * zeros without reading self (so NaN/inf there do not propagate, as in BLAS).
 */
export function fillScaled(out: Tensor, self: Tensor, beta: number): void {
  const o = out.hostArray;
  const n = o.length;
  if (beta === 0 || n === 0) {
    o.fill(0);
    return;
  }
  const shape = out.shape, rank = shape.length;
  const st = new Array<number>(rank).fill(0);
  for (let i = 0; i < self.ndim; i++) {
    const d = rank - self.ndim + i;
    st[d] = self.shape[i] === 1 ? 0 : self.strides[i]!;
  }
  const s = self.hostArray;
  const idx = new Array<number>(rank).fill(0);
  let p = self.offset;
  for (let i = 0; i < n; i++) {
    o[i] = beta === 1 ? s[p]! : beta * s[p]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      p += st[d]!;
      if (idx[d]! < shape[d]!) break;
      p -= st[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** A tensor's 2-D strided view (dims r, c) as a GEMM operand. */
export function mat(t: Tensor, r: number, c: number, extraOffset = 0): Mat {
  return { data: t.hostArray, off: t.offset + extraOffset, rs: t.strides[r]!, cs: t.strides[c]! };
}

/** out[b] (= or +=) alpha * A[b] @ B[b] over a batch of strided matrices; out is contiguous [batch, m, n]. */
export function batchedGemm(
  batch: number, m: number, n: number, k: number,
  a: Tensor, aBatchStride: number, ar: number, ac: number,
  b: Tensor, bBatchStride: number, br: number, bc: number,
  out: NumArray, alpha: number, accumulate: boolean,
): void {
  const A = a.hostArray, B = b.hostArray;
  for (let i = 0; i < batch; i++) {
    gemm(m, n, k, { data: A, off: a.offset + i * aBatchStride, rs: ar, cs: ac }, { data: B, off: b.offset + i * bBatchStride, rs: br, cs: bc }, out, i * m * n, n, alpha, accumulate);
  }
}

/** Double-accumulated dot product of two strided vectors. */
export function dotStrided(n: number, x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number): number {
  let s = 0;
  for (let i = 0; i < n; i++, xo += xs, yo += ys) s += x[xo]! * y[yo]!;
  return s;
}

/** Can dims [d0, d1] of t be merged into one dim with a single stride? */
export function mergeable(t: Tensor, d0: number, d1: number): boolean {
  let inner = -1;
  for (let d = d1; d >= d0; d--) {
    if (t.shape[d] === 1) continue;
    if (t.shape[d] === 0) return true;
    if (inner >= 0 && t.strides[d] !== t.strides[inner]! * t.shape[inner]!) return false;
    inner = d;
  }
  return true;
}

/** The stride of the merged dims [d0, d1] (see mergeable): the innermost non-unit dim's stride. */
export function mergedStride(t: Tensor, d0: number, d1: number): number {
  for (let d = d1; d >= d0; d--) if (t.shape[d] !== 1) return t.strides[d]!;
  return 1;
}

/**
 * t viewed as a [prod(shape[:-1]), shape[-1]] matrix: a strided view when the leading dims merge,
 * otherwise over a contiguous copy. A 1-D tensor is one row.
 */
export function rowsMatrix(t: Tensor): { m: Mat; rows: number; cols: number } {
  const nd = t.ndim;
  const cols = nd === 0 ? 1 : t.shape[nd - 1]!;
  let rows = 1;
  for (let i = 0; i < nd - 1; i++) rows *= t.shape[i]!;
  if (nd <= 1) return { m: { data: t.hostArray, off: t.offset, rs: 0, cs: nd === 0 ? 0 : t.strides[0]! }, rows, cols };
  if (mergeable(t, 0, nd - 2)) return { m: { data: t.hostArray, off: t.offset, rs: mergedStride(t, 0, nd - 2), cs: t.strides[nd - 1]! }, rows, cols };
  return { m: { data: t.contiguousArray(), off: 0, rs: cols, cs: 1 }, rows, cols };
}

/** The transpose of a matrix view. */
export function transposed(m: Mat): Mat {
  return { data: m.data, off: m.off, rs: m.cs, cs: m.rs };
}
