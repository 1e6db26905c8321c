/**
 * Batch-norm folding for inference: an eval-mode batch_norm right after a convolution or a
 * linear layer with constant weights becomes part of that op's weight and bias.
 *
 * Given:   %y = aten::_convolution(%x, %W, %b, ...)          (%W, %b constant, %y used once)
 *          %z = aten::batch_norm(%y, %g, %beta, %m, %v, False, %mom, %eps, %cudnn)   (all constant)
 * Execute: foldBatchNorm(graph)
 * Result:  %z = aten::_convolution(%x, %W', %b', ...)
 *          with s = g / sqrt(v + eps):  W'[o] = W[o] * s[o],  b' = (b - m) * s + beta
 *
 * The folded values are computed in float64 and stored in the weight's dtype (float32 models
 * differ from the unfolded computation by float32 rounding). Convolutions: aten::conv1d/2d/3d,
 * aten::convolution, aten::_convolution (not transposed); linear: aten::linear. Returns the
 * number of batch norms folded.
 */
import { Tensor } from '@torchlet/core';
import type { Graph, Node, Value } from '../graph.js';

const CONV_KINDS = new Set(['aten::conv1d', 'aten::conv2d', 'aten::conv3d', 'aten::convolution', 'aten::_convolution']);
const BN_KINDS = new Set(['aten::batch_norm']);

function constTensor(v: Value | undefined): Tensor | undefined {
  const c = v?.constantValue();
  return c && c.value instanceof Tensor && !c.value.isDisposed ? c.value : undefined;
}
function constOf(v: Value | undefined): { value: unknown } | undefined {
  return v?.constantValue();
}
function isNone(v: Value | undefined): boolean {
  const c = constOf(v);
  return c !== undefined && c.value === null;
}

/** The folded (weight, bias) or undefined when the batch norm cannot be folded. */
function foldValues(w: Tensor, b: Tensor | null, bn: Node): { w: Tensor; b: Tensor } | undefined {
  const [g, beta, mean, vari] = [1, 2, 3, 4].map((i) => (isNone(bn.inputs[i]) ? null : constTensor(bn.inputs[i])));
  if (mean === undefined || vari === undefined || mean === null || vari === null || g === undefined || beta === undefined) return undefined;
  const training = constOf(bn.inputs[5]);
  const eps = constOf(bn.inputs[7]);
  if (!training || training.value !== false || !eps || typeof eps.value !== 'number') return undefined;
  const OC = w.shape[0]!;
  const isFloat = (t: Tensor | null): boolean => t === null || t.dtype === w.dtype;
  if (w.dtype !== 'float32' && w.dtype !== 'float64') return undefined;
  if (![g, beta, mean, vari, b].every(isFloat)) return undefined;
  for (const t of [g, beta, mean, vari, b]) if (t && (t.ndim !== 1 || t.shape[0] !== OC)) return undefined;
  const G = g?.contiguousArray(), Bt = beta?.contiguousArray(), M = mean.contiguousArray(), V = vari.contiguousArray(), B0 = b?.contiguousArray();
  const W0 = w.contiguousArray();
  const per = w.numel() / Math.max(1, OC);
  const W1 = Tensor.empty(w.shape, w.dtype), B1 = Tensor.empty([OC], w.dtype);
  const wa = W1.hostArray, ba = B1.hostArray;
  for (let o = 0; o < OC; o++) {
    const s = (G ? G[o]! : 1) / Math.sqrt(V[o]! + (eps.value as number));
    for (let i = 0; i < per; i++) wa[o * per + i] = W0[o * per + i]! * s;
    ba[o] = ((B0 ? B0[o]! : 0) - M[o]!) * s + (Bt ? Bt[o]! : 0);
  }
  return { w: W1, b: B1 };
}

export function foldBatchNorm(g: Graph): number {
  let folded = 0;
  for (const n of g.allNodes()) {
    if (n.isDestroyed || !BN_KINDS.has(n.kind)) continue;
    const y = n.inputs[0];
    if (!y || y.uses.length !== 1) continue;
    const p = y.node;
    const isConv = CONV_KINDS.has(p.kind);
    if (!isConv && p.kind !== 'aten::linear') continue;
    if (p.kind === 'aten::convolution' || p.kind === 'aten::_convolution') {
      const tr = constOf(p.inputs[6]);
      if (!tr || tr.value !== false) continue;
    }
    const w = constTensor(p.inputs[1]);
    if (!w || (isConv ? w.ndim < 3 : w.ndim !== 2)) continue;
    const bv = p.inputs[2];
    const b = bv === undefined || isNone(bv) ? null : constTensor(bv);
    if (b === undefined) continue;
    const r = foldValues(w, b, n);
    if (!r) continue;
    const wc = g.createConstant(r.w, p.inputs[1]!.type);
    wc.insertBefore(p);
    const bc = g.createConstant(r.b, p.inputs[1]!.type);
    bc.insertBefore(p);
    p.replaceInput(1, wc.output());
    if (bv === undefined) p.addInput(bc.output());
    else p.replaceInput(2, bc.output());
    n.output().replaceAllUsesWith(y);
    // move the op's result name to the batch norm's
    if (n.output().debugName) y.setDebugName(n.output().debugName);
    n.destroy();
    folded++;
  }
  return folded;
}
