/**
 * mm / bmm / matmul / addmm / baddbmm / linear on the wasm GEMM. Operands are read through
 * their strides when they live in wasm memory (transposed views cost nothing) and copied
 * (contiguous) otherwise. Constant weights of linear layers are packed once.
 */
import type { Tensor } from '@torchlet/core';
import { derived, isConstant, isContiguous, table, type Scratch } from '../context.js';
import type { WasmRuntime } from '../runtime.js';
import { gemm, packedABytes, packedBBytes, type Epilogue } from './gemm.js';

/** A float32 tensor as (byte pointer, element strides) in wasm memory. */
export interface View {
  ptr: number;
  strides: number[];
  /** the tensor viewed (packed copies of constant tensors are cached by its storage) */
  tensor?: Tensor;
}

export function viewOf(s: Scratch, t: Tensor): View {
  const a = t.hostArray;
  if (s.rt.owns(a)) return { ptr: a.byteOffset + t.offset * 4, strides: [...t.strides], tensor: t };
  const strides = new Array<number>(t.ndim);
  let st = 1;
  for (let d = t.ndim - 1; d >= 0; d--) {
    strides[d] = st;
    st *= t.shape[d]!;
  }
  // copied into wasm memory on first use only (a constant operand packed earlier needs no copy)
  let ptr: number | undefined;
  return {
    get ptr(): number {
      return (ptr ??= s.input(t));
    },
    strides,
    tensor: t,
  };
}

/** offs/pix tables reading B (k x p) with strides (rs, cs) in elements. */
function bTables(rt: WasmRuntime, k: number, p: number, rs: number, cs: number): { offs: number; pix: number } {
  const offs = table(rt, `boffs:${k}:${rs}`, k, (t, b) => {
    for (let i = 0; i < k; i++) t[b + i] = i * rs * 4;
  });
  const pix = table(rt, `bpix:${p}:${cs}`, p, (t, b) => {
    for (let j = 0; j < p; j++) t[b + j] = j * cs * 4;
  });
  return { offs, pix };
}

/**
 * C[i] = A[i] @ B[i] for a batch of (n x k) @ (k x p) products; A's and B's batch offsets in
 * elements, C contiguous [batch, n, p] at `out` (plus `epi` on every product).
 */
export function batchedGemm(
  rt: WasmRuntime, s: Scratch, A: View, aRs: number, aCs: number, aOffs: number[], B: View, bRs: number, bCs: number, bOffs: number[],
  n: number, k: number, p: number, out: number, epi: (i: number) => Epilogue, accumulate = false,
): void {
  if (n === 0 || p === 0) return;
  if (k === 0) throw new Error('batchedGemm: k = 0 (callers run the reference kernel)');
  // B is packed into 8-column panels when enough rows reuse it: reading rows of a wide
  // row-major B in place strides through memory by whole rows (cache-set conflicts)
  const bConstant = !!B.tensor && isConstant(B.tensor) && bOffs.every((o) => o === bOffs[0]);
  const packB = (n >= 4 * rt.MR || bConstant) && p >= 8;
  const { offs, pix } = packB ? { offs: 0, pix: 0 } : bTables(rt, k, p, bRs, bCs);
  // constant operands (weights) are packed once and kept
  const aConst = A.tensor && isConstant(A.tensor) && aOffs.every((o) => o === aOffs[0]);
  const bConst = packB && bConstant;
  const ap = aConst
    ? derived(s, A.tensor!, `mmA:${n}:${k}:${aRs}:${aCs}:${aOffs[0]}:${rt.MR}`, packedABytes(rt, n, k), (dst) => rt.exports.packA(A.ptr + aOffs[0]! * 4, n, k, aRs, aCs, dst))
    : s.alloc(packedABytes(rt, n, k));
  const bp = bConst
    ? derived(s, B.tensor!, `mmB:${k}:${p}:${bRs}:${bCs}:${bOffs[0]}`, packedBBytes(k, p), (dst) => rt.exports.packB(B.ptr + bOffs[0]! * 4, k, p, bRs, bCs, dst))
    : packB ? s.alloc(packedBBytes(k, p)) : 0;
  let lastA = aConst ? aOffs[0]! : -1, lastB = bConst ? bOffs[0]! : -1;
  for (let i = 0; i < aOffs.length; i++) {
    if (aOffs[i] !== lastA) {
      rt.exports.packA(A.ptr + aOffs[i]! * 4, n, k, aRs, aCs, ap);
      lastA = aOffs[i]!;
    }
    if (packB && bOffs[i] !== lastB) {
      rt.exports.packB(B.ptr + bOffs[i]! * 4, k, p, bRs, bCs, bp);
      lastB = bOffs[i]!;
    }
    const b = packB ? bp : B.ptr + bOffs[i]! * 4;
    gemm(rt, { M: n, N: p, K: k, A: ap, B: b, offs, pix, bPacked: packB, C: out + i * n * p * 4, ldc: p * 4, epi: epi(i), accumulate });
  }
}

/** out [M, N] = x [M, K] @ w[N, K]^T (+ bias) with a fused epilogue; w packed once when constant. */
export function linear(rt: WasmRuntime, s: Scratch, x: Tensor, w: Tensor, bias: Tensor | null, out: number, extra: Epilogue = {}): void {
  const K = w.shape[1]!, N = w.shape[0]!;
  const M = K === 0 ? 0 : x.numel() / K;
  if (M === 0 || N === 0) return;
  if (K === 0) throw new Error('linear: K = 0 (callers run the reference kernel)');
  if (x.ndim === 2 && !isContiguous(x) && s.rt.owns(x.hostArray)) {
    // a strided matrix in wasm memory (e.g. a transposed view): packed straight from its strides
    linearRows(rt, s, x.hostArray.byteOffset + x.offset * 4, M, x.strides[0]!, x.strides[1]!, w, bias, out, N * 4, extra);
  } else {
    linearRows(rt, s, s.input(x), M, K, 1, w, bias, out, N * 4, extra);
  }
}

/** Packed panels of w^T (w [N, K]) for the GEMM's B operand, built once for constant weights. */
export function packedWeightT(rt: WasmRuntime, s: Scratch, w: Tensor): number {
  const K = w.shape[1]!, N = w.shape[0]!;
  return derived(s, w, 'linB', packedBBytes(K, N), (dst) => {
    const wv = viewOf(s, w);
    rt.exports.packB(wv.ptr, K, N, wv.strides[1]!, wv.strides[0]!, dst);
  });
}

/** The bias padded to whole 8-column tiles. */
export function paddedBias(rt: WasmRuntime, s: Scratch, bias: Tensor): number {
  const N = bias.numel();
  return derived(s, bias, 'linBias', Math.ceil(N / 8) * 32, (dst) => {
    rt.f32.fill(0, dst >> 2, (dst >> 2) + Math.ceil(N / 8) * 8);
    rt.f32.set(bias.contiguousArray(), dst >> 2);
  });
}

/**
 * C [M, N] (row stride ldc bytes) = A @ w^T (+ bias) (+ epilogue), A's rows at `a` with element
 * strides (rs, cs).
 */
export function linearRows(rt: WasmRuntime, s: Scratch, a: number, M: number, rs: number, cs: number, w: Tensor, bias: Tensor | null, out: number, ldc: number, extra: Epilogue = {}): void {
  const K = w.shape[1]!, N = w.shape[0]!;
  const A = s.alloc(packedABytes(rt, M, K));
  rt.exports.packA(a, M, K, rs, cs, A);
  const Bp = packedWeightT(rt, s, w);
  const colBias = bias ? paddedBias(rt, s, bias) : 0;
  gemm(rt, { M, N, K, A, B: Bp, offs: 0, pix: 0, bPacked: true, C: out, ldc, epi: { ...extra, colBias } });
}
