/**
 * Strided copy helpers for the shape, factory and indexing ops: every copy op (cat, flip, roll,
 * repeat, pad, index_select, ...) reduces to a strided copy or a "separable gather" whose source
 * index along each dim depends only on the output index along that dim.
 */
import type { DType, StorageArray } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Converts a value to the semantics of `dtype` where a typed-array store does not (bool, int64). */
export function castFn(dtype: DType): ((v: number) => number) | undefined {
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if (dtype === 'int64') return (v) => (Number.isFinite(v) ? Math.trunc(v) : 0);
  return undefined;
}

/** PyTorch's ScalarType names, as its error messages print them ('Float', 'Long', ...). */
export const TYPE_NAMES: Record<DType, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool',
};

/** The legacy tensor type name PyTorch prints (torch.FloatTensor). */
export function tensorTypeName(dtype: DType): string {
  return `torch.${TYPE_NAMES[dtype]}Tensor`;
}

/** at::infer_size folded over the shapes, with PyTorch's message. */
export function broadcastAll(shapes: readonly (readonly number[])[]): number[] {
  let out: number[] = [];
  for (const s of shapes) {
    const n = Math.max(out.length, s.length);
    const r = new Array<number>(n);
    for (let i = n - 1; i >= 0; i--) {
      const off = n - 1 - i;
      const a = out.length - 1 - off >= 0 ? out[out.length - 1 - off]! : 1;
      const b = s.length - 1 - off >= 0 ? s[s.length - 1 - off]! : 1;
      if (a !== b && a !== 1 && b !== 1) throw new RangeError(`The size of tensor a (${a}) must match the size of tensor b (${b}) at non-singleton dimension ${i}`);
      r[i] = a === 1 ? b : a;
    }
    out = r;
  }
  return out;
}

/** A JS scalar (number or boolean) as a value of `dtype`. */
export function scalarAs(v: number | boolean, dtype: DType): number {
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  const c = castFn(dtype);
  return c ? c(n) : n;
}

/**
 * Merges adjacent dims that are contiguous with each other in both layouts (and drops size-1
 * dims), so copies run over as few, as long rows as possible.
 */
export function coalesce(shape: readonly number[], a: readonly number[], b: readonly number[]): { shape: number[]; a: number[]; b: number[] } {
  const sh: number[] = [], sa: number[] = [], sb: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const k = sh.length - 1;
    if (k >= 0 && sa[k] === a[d]! * n && sb[k] === b[d]! * n) {
      sh[k]! *= n;
      sa[k] = a[d]!;
      sb[k] = b[d]!;
    } else {
      sh.push(n);
      sa.push(a[d]!);
      sb.push(b[d]!);
    }
  }
  return { shape: sh, a: sa, b: sb };
}

/**
 * dst[dOff + sum(i_k * dStrides[k])] = cast(src[sOff + sum(i_k * sStrides[k])]) for every index
 * in `shape`.
 */
export function stridedCopy(
  dst: StorageArray,
  dOff: number,
  dStrides: readonly number[],
  src: ArrayLike<number>,
  sOff: number,
  sStrides: readonly number[],
  shape: readonly number[],
  cast?: (v: number) => number,
): void {
  let n = 1;
  for (const s of shape) n *= s;
  if (n === 0) return;
  const c = coalesce(shape, dStrides, sStrides);
  const rank = c.shape.length;
  if (rank === 0) {
    dst[dOff] = cast ? cast(src[sOff]!) : src[sOff]!;
    return;
  }
  const last = rank - 1;
  const inner = c.shape[last]!, di = c.a[last]!, si = c.b[last]!;
  // rows contiguous on both sides: typed-array block copies
  const block = !cast && di === 1 && si === 1 && ArrayBuffer.isView(src) && (src as StorageArray).constructor === dst.constructor;
  const idx = new Array<number>(rank).fill(0);
  let pd = dOff, ps = sOff;
  for (let o = 0; o < n; o += inner) {
    if (block) dst.set((src as StorageArray).subarray(ps, ps + inner), pd);
    else {
      let qd = pd, qs = ps;
      if (cast) for (let k = 0; k < inner; k++, qd += di, qs += si) dst[qd] = cast(src[qs]!);
      else for (let k = 0; k < inner; k++, qd += di, qs += si) dst[qd] = src[qs]!;
    }
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      pd += c.a[d]!;
      ps += c.b[d]!;
      if (idx[d]! < c.shape[d]!) break;
      pd -= c.a[d]! * c.shape[d]!;
      ps -= c.b[d]! * c.shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Copies tensor `src` (same shape as the region) into `dst` storage at the given strides/offset. */
export function copyTensorInto(dst: Tensor, dOff: number, dStrides: readonly number[], src: Tensor): void {
  const cast = dst.dtype === src.dtype ? undefined : castFn(dst.dtype);
  stridedCopy(dst.hostArray, dOff, dStrides, src.hostArray, src.offset, src.strides, src.shape, cast);
}

/**
 * Separable gather into a contiguous `out`: out[i_0, ..., i_{r-1}] = src at source index
 * maps[d][i_d] along each dim d, or `fill` when any map entry is -1. `src` is given as its storage
 * array, offset and strides (rank r, the same rank as out).
 */
export function separableGather(
  out: StorageArray,
  outShape: readonly number[],
  src: ArrayLike<number>,
  sOff: number,
  sStrides: readonly number[],
  maps: readonly ArrayLike<number>[],
  fill = 0,
  cast?: (v: number) => number,
): void {
  const rank = outShape.length;
  let n = 1;
  for (const s of outShape) n *= s;
  if (n === 0) return;
  if (rank === 0) {
    out[0] = cast ? cast(src[sOff]!) : src[sOff]!;
    return;
  }
  // per-dim offset tables (Int32 for fast typed-array indexing) and fill masks
  const offs: Int32Array[] = [];
  const valid: (Uint8Array | null)[] = [];
  for (let d = 0; d < rank; d++) {
    const m = maps[d]!, size = outShape[d]!, st = sStrides[d]!;
    const t = new Int32Array(size);
    let mask: Uint8Array | null = null;
    for (let i = 0; i < size; i++) {
      if (m[i]! < 0) {
        mask ??= new Uint8Array(size).fill(1);
        mask[i] = 0;
      } else t[i] = m[i]! * st;
    }
    offs.push(t);
    valid.push(mask);
  }
  const last = rank - 1;
  const inner = outShape[last]!, lt = offs[last]!, lv = valid[last];
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; ) {
    let base = sOff, rowValid = true;
    for (let d = 0; d < last; d++) {
      const i = idx[d]!;
      if (valid[d] && !valid[d]![i]) rowValid = false;
      base += offs[d]![i]!;
    }
    if (!rowValid) {
      for (let k = 0; k < inner; k++) out[o++] = fill;
    } else if (lv) {
      for (let k = 0; k < inner; k++) out[o++] = lv[k] ? (cast ? cast(src[base + lt[k]!]!) : src[base + lt[k]!]!) : fill;
    } else if (cast) {
      for (let k = 0; k < inner; k++) out[o++] = cast(src[base + lt[k]!]!);
    } else {
      for (let k = 0; k < inner; k++) out[o++] = src[base + lt[k]!]!;
    }
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

/** Identity index map 0..n-1. */
export function iota(n: number): Int32Array {
  const m = new Int32Array(n);
  for (let i = 0; i < n; i++) m[i] = i;
  return m;
}

/** Wraps a possibly negative dim with PyTorch's "Dimension out of range" error (the dispatcher names the op). */
export function wrapDim(dim: number, rank: number, what = 'dim'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim}) for ${what}`);
  }
  return normalizeDim(dim, rank);
}

/** Reads an integer index tensor (any integer dtype) into a plain array, row-major. */
export function indexValues(t: Tensor, op: string, what = 'index'): ArrayLike<number> {
  if (t.isFloatingPoint || t.dtype === 'bool') {
    throw new TypeError(`${op}(): Expected dtype int64 for ${what} but got ${t.dtype}`);
  }
  return t.contiguousArray();
}
