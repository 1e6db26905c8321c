/**
 * scaled_dot_product_attention (math path, inference): scores = q k^T * scale (+ float mask, as
 * the GEMM epilogue), bool / causal masks as -inf, softmax over the last dim, then probs @ v.
 */
import { Tensor, callOp } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { broadcastView, type View } from '../program.js';
import { runElementwise, type ElementwiseOp } from './elementwise.js';
import { runGemm, withBatch } from './matmul.js';
import { runSoftmax } from './reduce.js';

const maskOut: ElementwiseOp = { name: 'sdpa_mask', expr: ([s, m]) => `select(-inf_f32(), ${s}, ${m} != 0.0)`, compute: 'f32' };

function mat(t: Tensor): View {
  return { shape: [...t.shape], strides: [...t.strides], offset: t.offset };
}

export function runSdpa(be: WebGPUBackend, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, causal: boolean, scale: number | null, dropout: number, out: Tensor): void {
  if (dropout > 0) throw new Error('webgpu scaled_dot_product_attention runs inference only (dropout_p must be 0)');
  const L = q.shape[q.ndim - 2]!, E = q.shape[q.ndim - 1]!, S = k.shape[k.ndim - 2]!;
  const batch = out.shape.slice(0, out.ndim - 2);
  const scores = be.allocateTensor([...batch, L, S], 'float32');
  const probs = be.allocateTensor([...batch, L, S], 'float32');
  const temps: Tensor[] = [scores, probs];
  try {
    const kv = mat(k);
    const r = kv.shape.length;
    const kT: View = { shape: [...kv.shape.slice(0, r - 2), E, S], strides: [...kv.strides.slice(0, r - 2), kv.strides[r - 1]!, kv.strides[r - 2]!], offset: kv.offset };
    const floatMask = mask && mask.dtype !== 'bool' ? mask : null;
    runGemm(be, {
      a: q, aView: withBatch(mat(q), batch), b: k, bView: withBatch(kT, batch), out: scores, outView: mat(scores),
      alpha: scale ?? 1 / Math.sqrt(E),
      epilogue: floatMask ? { residual: { t: floatMask, view: broadcastView(floatMask, scores.shape) } } : undefined,
    });
    let boolMask = mask && mask.dtype === 'bool' ? mask : null;
    if (causal) {
      // the lower-triangular [L, S] pattern, made on the CPU (small) and uploaded
      const ones = callOp('aten::ones', [[L, S]], { dtype: 'bool' }) as Tensor;
      const tri = callOp('aten::tril', [ones]) as Tensor;
      boolMask = be.upload(tri);
      temps.push(boolMask);
      ones.dispose();
      tri.dispose();
    }
    // (a dispatch cannot read and write one buffer: alternate between the two)
    let cur = scores, other = probs;
    if (boolMask) {
      runElementwise(be, maskOut, [scores, boolMask], probs);
      [cur, other] = [probs, scores];
    }
    runSoftmax(be, cur, -1, other, false);
    runGemm(be, {
      a: other, aView: mat(other), b: v, bView: withBatch(mat(v), batch), out,
      outView: { shape: [...out.shape], strides: [...out.strides], offset: out.offset },
    });
  } finally {
    for (const t of temps) t.dispose();
  }
}
