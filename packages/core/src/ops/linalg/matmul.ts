import { gemm } from '../../cpu/gemm.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype, mergeable, mergedStride, typeName } from './common.js';

/** Broadcasts batch shapes with PyTorch's error wording. */
export function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1, y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    out[i] = x === 1 ? y : x;
  }
  return out;
}

const prod = (s: readonly number[]): number => s.reduce((x, y) => x * y, 1);

/** How matmul(a, b) runs: a batch of [n, k] @ [k, p] products over broadcast batch dims. */
export interface MatmulPlan {
  outShape: number[];
  batch: number[];
  n: number;
  k: number;
  p: number;
  /** per batch dim (aligned to `batch`), 0 where broadcast */
  aBatchStrides: number[];
  bBatchStrides: number[];
  aRs: number;
  aCs: number;
  bRs: number;
  bCs: number;
}

export function matmulPlan(a: Tensor, b: Tensor): MatmulPlan {
  const d1 = a.ndim, d2 = b.ndim;
  if (d1 === 0 || d2 === 0) throw new Error(`both arguments to matmul need to be at least 1D, but they are ${d1}D and ${d2}D`);
  const n = d1 === 1 ? 1 : a.shape[d1 - 2]!;
  const k1 = a.shape[d1 - 1]!;
  const k2 = d2 === 1 ? b.shape[0]! : b.shape[d2 - 2]!;
  const p = d2 === 1 ? 1 : b.shape[d2 - 1]!;
  const aBatch = a.shape.slice(0, Math.max(0, d1 - 2)), bBatch = b.shape.slice(0, Math.max(0, d2 - 2));
  let batch: number[];
  if (d1 >= 3 && d2 >= 3) batch = broadcastBatch(aBatch, bBatch);
  else batch = d1 >= 3 ? aBatch : bBatch;
  if (k1 !== k2) {
    const mmMsg = (r: number, c: number, r2: number, c2: number): string => `mat1 and mat2 shapes cannot be multiplied (${r}x${c} and ${r2}x${c2})`;
    if (d1 === 1 && d2 === 1) throw new Error(`inconsistent tensor size, expected tensor [${k1}] and src [${k2}] to have the same number of elements, but got ${k1} and ${k2} elements respectively`);
    if (d2 === 1) {
      const r = prod(aBatch) * n;
      throw new Error(`size mismatch, got ${r}, ${r}x${k1},${k2}`);
    }
    if (d1 <= 2 && d2 <= 2) throw new Error(mmMsg(n, k1, k2, p));
    if (d1 >= 3 && d2 === 2) throw new Error(mmMsg(prod(aBatch) * n, k1, k2, p));
    if (d1 === 1) {
      const r = prod(bBatch) * p;
      throw new Error(`size mismatch, got ${r}, ${r}x${k2},${k1}`);
    }
    if (d1 === 2) throw new Error(mmMsg(prod(bBatch) * p, k2, k1, n));
    const bs = prod(batch);
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${bs}, ${k1}] but got: [${bs}, ${k2}].`);
  }
  if (d1 === 1 && d2 === 1) {
    if (a.dtype !== b.dtype) throw new Error(`dot : expected both vectors to have same dtype, but found ${typeName(a.dtype)} and ${typeName(b.dtype)}`);
    checkBlasDtype('dot', a.dtype);
  } else {
    checkSameDtype(a.dtype, b.dtype);
    checkBlasDtype(d1 <= 2 && d2 === 1 ? 'addmv_impl_cpu' : (d1 >= 3 && d2 >= 3) || (d1 <= 2 && d2 >= 3) ? 'bmm' : 'addmm_impl_cpu_', a.dtype);
  }
  const batchStrides = (t: Tensor, tb: readonly number[]): number[] => {
    const out = new Array<number>(batch.length).fill(0);
    for (let i = 0; i < tb.length; i++) {
      const d = batch.length - tb.length + i;
      out[d] = tb[i] === 1 ? 0 : t.strides[i]!;
    }
    return out;
  };
  const outShape = [...batch];
  if (d1 >= 2) outShape.push(n);
  if (d2 >= 2) outShape.push(p);
  return {
    outShape, batch, n, k: k1, p,
    aBatchStrides: batchStrides(a, aBatch), bBatchStrides: batchStrides(b, bBatch),
    aRs: d1 === 1 ? 0 : a.strides[d1 - 2]!, aCs: a.strides[d1 - 1]!,
    bRs: d2 === 1 ? b.strides[0]! : b.strides[d2 - 2]!, bCs: d2 === 1 ? 0 : b.strides[d2 - 1]!,
  };
}

/** out (contiguous, plan.outShape) = a @ b, with alpha/accumulate passed to the GEMM. */
export function matmulInto(a: Tensor, b: Tensor, plan: MatmulPlan, out: Tensor['hostArray'], alpha = 1, accumulate = false): void {
  const { batch, n, k, p } = plan;
  const nb = prod(batch);
  if (nb === 0 || n === 0 || p === 0) return;
  const A = a.hostArray, B = b.hostArray;
  // a batch of rows times one matrix: fold a's batch dims into the rows when its strides allow
  if (batch.length > 0 && b.ndim <= 2 && a.ndim >= 3 && mergeable(a, 0, a.ndim - 2)) {
    gemm(nb * n, p, k, { data: A, off: a.offset, rs: mergedStride(a, 0, a.ndim - 2), cs: plan.aCs }, { data: B, off: b.offset, rs: plan.bRs, cs: plan.bCs }, out, 0, p, alpha, accumulate);
    return;
  }
  const r = batch.length;
  const idx = new Array<number>(r).fill(0);
  let ao = a.offset, bo = b.offset;
  for (let i = 0; i < nb; i++) {
    gemm(n, p, k, { data: A, off: ao, rs: plan.aRs, cs: plan.aCs }, { data: B, off: bo, rs: plan.bRs, cs: plan.bCs }, out, i * n * p, p, alpha, accumulate);
    for (let d = r - 1; d >= 0; d--) {
      idx[d]!++;
      ao += plan.aBatchStrides[d]!;
      bo += plan.bBatchStrides[d]!;
      if (idx[d]! < batch[d]!) break;
      ao -= plan.aBatchStrides[d]! * batch[d]!;
      bo -= plan.bBatchStrides[d]! * batch[d]!;
      idx[d] = 0;
    }
  }
}

export const matmul = defineOp({
  name: 'matmul',
  overloads: [
    {
      schema: 'aten::matmul(Tensor self, Tensor other) -> Tensor',
      infer: (a) => ({ shape: matmulPlan(a.self, a.other).outShape, dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => matmulInto(a.self, a.other, matmulPlan(a.self, a.other), out!.hostArray),
    },
  ],
});
