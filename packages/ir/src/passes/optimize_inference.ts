/**
 * The inference pipeline every loader runs on a model graph (TorchScript after freezing, ONNX
 * after import): fold constants, drop eval-mode dropout, fold batch norms into the preceding
 * convolution / linear layer, fuse residual adds and clamp activations into them, and remove
 * what became dead. Tensor constants the graph only reads (weights) are marked constant, so
 * backends pack them once (the wasm backend keeps packed panels keyed by the weight's Storage).
 *
 * Memory: the interpreters free every intermediate after its last use (liveness), and the wasm
 * backend's heap recycles freed blocks by size class, so from the second run on a model reuses
 * the same buffers; `planMemory` (memory_plan.ts) reports that plan's peak.
 */
import { markConstant, Tensor } from '@torchlet/core';
import { prim, type Graph, type Value } from '../graph.js';
import { resolveNodeOverload } from '../interpreter.js';
import { foldConstants } from './constant_fold.js';
import { eliminateDeadCode } from './dce.js';
import { foldBatchNorm } from './fold_batchnorm.js';
import { fuseEpilogues } from './fuse_epilogue.js';

export interface InferenceOptions {
  /** fold eval-mode batch norms into convolutions / linear layers (default true) */
  foldBatchNorm?: boolean;
  /** fuse residual adds and clamp activations into conv2d_fused / linear_fused (default true) */
  fuse?: boolean;
}

export interface InferenceReport {
  folded: number;
  batchNormsFolded: number;
  dropoutsRemoved: number;
  fused: number;
  removed: number;
  /** tensor constants marked constant for backends (see markConstantWeights) */
  constantsMarked: number;
}

const DROPOUT = new Set(['aten::dropout', 'aten::dropout_', 'aten::feature_dropout', 'aten::alpha_dropout', 'aten::feature_alpha_dropout']);

/** Replaces dropout(x, p, train=False) by x. */
function removeEvalDropout(g: Graph): number {
  let n = 0;
  for (const node of g.allNodes()) {
    if (node.isDestroyed || !DROPOUT.has(node.kind) || node.outputs.length !== 1) continue;
    const train = node.inputs[2]?.constantValue();
    if (!train || train.value !== false) continue;
    node.output().replaceAllUsesWith(node.input(0));
    node.destroy();
    n++;
  }
  return n;
}

/** layers (folded or fused later) whose result has the rank of their first input */
const RANK_PRESERVING = new Set([
  'aten::conv1d', 'aten::conv2d', 'aten::conv3d', 'aten::convolution', 'aten::_convolution', 'aten::batch_norm',
]);

/**
 * Rank checks read the rank of a layer's input instead of its output (equal for these ops):
 *
 * Given:   %y = aten::conv2d(%x, ...)     %d = aten::dim(%y)     %z = aten::batch_norm(%y, ...)
 * Result:  %y = aten::conv2d(%x, ...)     %d = aten::dim(%x)     %z = aten::batch_norm(%y, ...)
 *
 * Scripted modules check their input's rank (BatchNorm2d._check_input_dim); afterwards the
 * layer's output has a single use and can be folded and fused. Linear layers keep the rank
 * with a 2-d weight.
 */
export function forwardRankQueries(g: Graph): number {
  let n = 0;
  for (const node of g.allNodes()) {
    if (node.isDestroyed || node.kind !== 'aten::dim' || node.inputs.length !== 1) continue;
    for (;;) {
      const p = node.input(0).node;
      const linear2d = p.kind === 'aten::linear' && (() => {
        const w = p.inputs[1]?.constantValue()?.value as { ndim?: number } | undefined;
        return w?.ndim === 2;
      })();
      if (!RANK_PRESERVING.has(p.kind) && !linear2d) break;
      if (p.inputs[0]?.type.kind !== 'Tensor') break;
      node.replaceInput(0, p.input(0));
      n++;
    }
  }
  return n;
}

/** Whether every use of `v` only reads it: registry-op arguments without alias annotations, or lists/tuples of those. */
function onlyRead(v: Value, depth = 0): boolean {
  if (depth > 4) return false;
  return v.uses.every(({ user, offset }) => {
    if (user.kind === prim.ListConstruct || user.kind === prim.TupleConstruct) return onlyRead(user.output(), depth + 1);
    if (user.kind.startsWith('prim::')) return false;
    let ov;
    try {
      ov = resolveNodeOverload(user);
    } catch {
      return false;
    }
    const a = ov.schema.args[offset];
    return a !== undefined && a.alias === undefined;
  });
}

/**
 * Marks tensor constants that the graph only reads (weights of any op: linear layers, RNN
 * parameter lists, attention projections...) as constant, so backends keep packed copies.
 * Returns how many were marked.
 */
export function markConstantWeights(g: Graph): number {
  let n = 0;
  for (const node of g.allNodes()) {
    if (node.kind !== prim.Constant || node.outputs.length !== 1) continue;
    const c = node.output().constantValue();
    const ts = c?.value instanceof Tensor ? [c.value] : Array.isArray(c?.value) && c.value.every((e) => e instanceof Tensor) ? (c.value as Tensor[]) : [];
    if (!ts.length || ts.some((t) => t.isDisposed) || !onlyRead(node.output())) continue;
    for (const t of ts) markConstant(t);
    n += ts.length;
  }
  return n;
}

/** Optimises `g` in place for inference; returns what was done. */
export function optimizeForInference(g: Graph, opts: InferenceOptions = {}): InferenceReport {
  const folded = foldConstants(g);
  const dropoutsRemoved = removeEvalDropout(g);
  forwardRankQueries(g);
  let removed = eliminateDeadCode(g);
  const batchNormsFolded = opts.foldBatchNorm === false ? 0 : foldBatchNorm(g);
  const fused = opts.fuse === false ? 0 : fuseEpilogues(g);
  removed += eliminateDeadCode(g);
  const constantsMarked = markConstantWeights(g);
  return { folded, batchNormsFolded, dropoutsRemoved, fused, removed, constantsMarked };
}

