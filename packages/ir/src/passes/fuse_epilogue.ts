/**
 * Epilogue fusion for inference: a convolution or linear layer with constant weights absorbs
 * the residual add and the clamp-like activation that follow it.
 *
 * Given:   %y = aten::_convolution(%x, %W, %b, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, ...)
 *          %s = aten::add_(%y, %identity, 1)
 *          %z = aten::relu_(%s)
 * Execute: fuseEpilogues(graph)
 * Result:  %z = torchlet::conv2d_fused(%x, %W, %b, [1, 1], [1, 1], [1, 1], 1, %identity, 0., None)
 *
 * - Producers: 2-d convolutions (aten::conv2d with int or symmetric 'same'/'valid' padding,
 *   aten::convolution / aten::_convolution, not transposed) with a constant 4-d weight and
 *   constant geometry -> torchlet::conv2d_fused; aten::linear with a constant weight,
 *   aten::addmm(bias, x, W) and aten::matmul(x, W) with constant W (beta = alpha = 1) ->
 *   torchlet::linear_fused.
 * - Epilogue, in this order, each step only when the intermediate value has no other use:
 *   `add(y, r)` / `add(r, y)` / `add_(y, r)` with alpha 1 and a tensor r (the residual), then
 *   relu / relu_ / relu6 / hardtanh(_) / clamp(_) with constant bounds.
 * - The fused node sits where the last absorbed node was. Weights and biases are marked constant
 *   (core `markConstant`) so backends pack them once.
 * Returns the number of fused nodes created.
 */
import { markConstant, Tensor } from '@torchlet/core';
import type { Graph, Node, Value } from '../graph.js';
import { FloatType, IntType, ListOf, NoneType, TensorType } from '../types.js';

const constOf = (v: Value | undefined): { value: unknown } | undefined => v?.constantValue();
function constTensor(v: Value | undefined): Tensor | undefined {
  const c = constOf(v);
  return c && c.value instanceof Tensor && !c.value.isDisposed ? c.value : undefined;
}
/** A constant int list (a list constant, or a prim::ListConstruct of int constants). */
function constIntList(v: Value): unknown {
  const c = constOf(v);
  if (c) return c.value;
  if (v.node.kind !== 'prim::ListConstruct') return undefined;
  const items = v.node.inputs.map((i) => constOf(i)?.value);
  return items.every((e) => typeof e === 'number') ? items : undefined;
}
function intList(v: Value | undefined, n: number): number[] | undefined {
  if (!v) return undefined;
  const x = constIntList(v);
  if (x === undefined) return undefined;
  if (typeof x === 'number' && Number.isInteger(x)) return new Array<number>(n).fill(x);
  if (!Array.isArray(x) || !x.every((e) => typeof e === 'number' && Number.isInteger(e))) return undefined;
  if (x.length === 1) return new Array<number>(n).fill(x[0] as number);
  return x.length === n ? (x as number[]) : undefined;
}
function isNoneOrAbsent(v: Value | undefined): boolean {
  if (!v) return true;
  const c = constOf(v);
  return c !== undefined && c.value === null;
}
function num(v: Value | undefined): number | null | undefined {
  if (!v) return null;
  const c = constOf(v);
  if (!c) return undefined;
  if (c.value === null) return null;
  return typeof c.value === 'number' ? c.value : undefined;
}

interface ConvPlan {
  kind: 'conv';
  input: Value;
  weight: Tensor;
  bias: Value | null;
  stride: number[];
  padding: number[];
  dilation: number[];
  groups: number;
}
interface LinearPlan {
  kind: 'linear';
  input: Value;
  /** the weight as a Value when it can be used directly, else a new constant tensor */
  weight: Value | Tensor;
  bias: Value | null;
}

function convPlan(n: Node): ConvPlan | undefined {
  const w = constTensor(n.inputs[1]);
  if (!w || w.ndim !== 4) return undefined;
  let bias: Value | null = null;
  if (!isNoneOrAbsent(n.inputs[2])) {
    const b = constTensor(n.inputs[2]);
    if (!b) return undefined;
    bias = n.inputs[2]!;
  }
  const stride = intList(n.inputs[3], 2) ?? (n.inputs[3] ? undefined : [1, 1]);
  const dilation = intList(n.inputs[5], 2) ?? (n.inputs[5] ? undefined : [1, 1]);
  if (!stride || !dilation) return undefined;
  let padding: number[] | undefined;
  let groups: number | null | undefined;
  if (n.kind === 'aten::conv2d') {
    const pc = constOf(n.inputs[4]);
    if (pc && typeof pc.value === 'string') {
      if (pc.value === 'valid') padding = [0, 0];
      else if (pc.value === 'same') {
        const tot = [0, 1].map((i) => dilation[i]! * (w.shape[i + 2]! - 1));
        if (tot.some((t) => t % 2 !== 0) || stride.some((s) => s !== 1)) return undefined;
        padding = tot.map((t) => t / 2);
      }
    } else padding = intList(n.inputs[4], 2) ?? (n.inputs[4] ? undefined : [0, 0]);
    groups = num(n.inputs[6]) ?? (n.inputs[6] ? undefined : 1);
  } else {
    const tr = constOf(n.inputs[6]);
    if (!tr || tr.value !== false) return undefined;
    padding = intList(n.inputs[4], 2);
    groups = num(n.inputs[8]);
  }
  if (!padding || typeof groups !== 'number') return undefined;
  return { kind: 'conv', input: n.inputs[0]!, weight: w, bias, stride, padding, dilation, groups };
}

function linearPlan(n: Node): LinearPlan | undefined {
  if (n.kind === 'aten::linear') {
    const w = constTensor(n.inputs[1]);
    if (!w || w.ndim !== 2) return undefined;
    let bias: Value | null = null;
    if (!isNoneOrAbsent(n.inputs[2])) {
      const b = constTensor(n.inputs[2]);
      if (!b || b.ndim !== 1) return undefined;
      bias = n.inputs[2]!;
    }
    return { kind: 'linear', input: n.inputs[0]!, weight: n.inputs[1]!, bias };
  }
  if (n.kind === 'aten::addmm') {
    const c = constTensor(n.inputs[0]), m2 = constTensor(n.inputs[2]);
    if (!c || !m2 || m2.ndim !== 2 || c.ndim !== 1 || c.shape[0] !== m2.shape[1]) return undefined;
    if ((num(n.inputs[3]) ?? 1) !== 1 || (num(n.inputs[4]) ?? 1) !== 1) return undefined;
    return { kind: 'linear', input: n.inputs[1]!, weight: transposed(m2), bias: n.inputs[0]! };
  }
  if (n.kind === 'aten::matmul') {
    const m2 = constTensor(n.inputs[1]);
    if (!m2 || m2.ndim !== 2) return undefined;
    return { kind: 'linear', input: n.inputs[0]!, weight: transposed(m2), bias: null };
  }
  return undefined;
}

/** A new contiguous tensor holding m's transpose. */
function transposed(m: Tensor): Tensor {
  const [r, c] = m.shape as [number, number];
  const out = Tensor.empty([c, r], m.dtype);
  const src = m.hostArray, dst = out.hostArray;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dst[j * r + i] = src[m.offset + i * m.strides[0]! + j * m.strides[1]!]!;
  return out;
}

const CONV_KINDS = new Set(['aten::conv2d', 'aten::convolution', 'aten::_convolution']);
const LINEAR_KINDS = new Set(['aten::linear', 'aten::addmm', 'aten::matmul']);

/** The residual of `user` when it adds `v` to another tensor with alpha 1. */
function residualOf(user: Node, v: Value): Value | undefined {
  const isAdd = user.kind === 'aten::add' || user.overload === 'aten::add.Tensor';
  const isAddInplace = user.kind === 'aten::add_' || user.overload === 'aten::add_.Tensor';
  if (!isAdd && !isAddInplace) return undefined;
  if (user.overload && user.overload !== 'aten::add.Tensor' && user.overload !== 'aten::add_.Tensor') return undefined;
  if ((num(user.inputs[2]) ?? 1) !== 1) return undefined;
  const [a, b] = user.inputs;
  if (!a || !b) return undefined;
  let r: Value | undefined;
  if (a === v && b !== v) r = b;
  else if (!isAddInplace && b === v && a !== v) r = a;
  if (!r || r.type.kind !== 'Tensor') return undefined;
  return r;
}

/** Clamp bounds of an activation node applied to `v`. */
function clampOf(user: Node, v: Value): { lo: number | null; hi: number | null } | undefined {
  if (user.inputs[0] !== v) return undefined;
  switch (user.kind) {
    case 'aten::relu':
    case 'aten::relu_':
      return { lo: 0, hi: null };
    case 'aten::relu6':
    case 'aten::relu6_':
      return { lo: 0, hi: 6 };
    case 'aten::hardtanh':
    case 'aten::hardtanh_': {
      const lo = user.inputs.length > 1 ? num(user.inputs[1]) : -1, hi = user.inputs.length > 2 ? num(user.inputs[2]) : 1;
      if (typeof lo !== 'number' || typeof hi !== 'number') return undefined;
      return { lo, hi };
    }
    case 'aten::clamp':
    case 'aten::clamp_': {
      if (user.overload && !user.overload.endsWith('clamp') && !user.overload.endsWith('clamp_')) return undefined;
      const lo = num(user.inputs[1]), hi = num(user.inputs[2]);
      if (lo === undefined || hi === undefined || user.inputs.slice(1).some((x) => x.type.kind === 'Tensor')) return undefined;
      if (lo === null && hi === null) return undefined;
      return { lo, hi };
    }
    default:
      return undefined;
  }
}

function soleUser(v: Value): Node | undefined {
  if (v.uses.length !== 1) return undefined;
  const u = v.uses[0]!.user;
  return u.inBlockList ? u : undefined;
}

export function fuseEpilogues(g: Graph): number {
  let fused = 0;
  for (const n of g.allNodes()) {
    if (n.isDestroyed || !n.inBlockList) continue;
    const plan = CONV_KINDS.has(n.kind) ? convPlan(n) : LINEAR_KINDS.has(n.kind) ? linearPlan(n) : undefined;
    if (!plan || n.outputs.length !== 1) continue;
    const absorbed: Node[] = [n];
    let v = n.output();
    let residual: Value | null = null;
    let lo: number | null = null, hi: number | null = null;
    let u = soleUser(v);
    // a bias added after the product (ONNX MatMul + Add, Conv + Add of a [C, 1, 1] constant)
    // joins the op's bias
    let extraBias: Tensor | undefined;
    if (u && u.owningBlock === n.owningBlock) {
      const r = residualOf(u, v);
      if (r) {
        const rc = constTensor(r);
        const nOut = plan.kind === 'conv' ? plan.weight.shape[0]! : (plan.weight instanceof Tensor ? plan.weight : constTensor(plan.weight)!).shape[0]!;
        // one value per output channel, broadcast over the rest: [N] for linear, [C, 1, 1] or [1, C, 1, 1] for conv
        const chanDim = plan.kind === 'conv' ? 3 : 1;
        const perChannel = !!rc && rc.dtype === 'float32' && rc.numel() === nOut && rc.ndim >= chanDim && rc.ndim <= chanDim + 1 && rc.shape[rc.ndim - chanDim] === nOut
          && (plan.kind !== 'conv' || rc.ndim === 3 || rc.shape[0] === 1);
        if (rc && perChannel) extraBias = rc;
        else residual = r;
        absorbed.push(u);
        v = u.output();
        u = soleUser(v);
      }
    }
    if (u && u.owningBlock === n.owningBlock) {
      const c = clampOf(u, v);
      if (c) {
        lo = c.lo;
        hi = c.hi;
        absorbed.push(u);
        v = u.output();
      }
    }
    const last = absorbed[absorbed.length - 1]!;
    const at = (x: Node): Node => {
      x.insertBefore(last);
      return x;
    };
    const constant = (value: unknown, t: Parameters<Graph['createConstant']>[1]): Value => at(g.createConstant(value, t)).output();
    const none = (): Value => constant(null, NoneType);
    const bound = (x: number | null): Value => (x === null ? none() : constant(x, FloatType));
    if (extraBias) {
      // bias' = bias + extra (a new constant)
      const old = plan.bias ? constTensor(plan.bias)! : undefined;
      const b = Tensor.empty([extraBias.numel()], extraBias.dtype);
      const e = extraBias.contiguousArray(), o = old?.contiguousArray(), d = b.hostArray;
      for (let i = 0; i < d.length; i++) d[i] = (o ? o[i]! : 0) + e[i]!;
      plan.bias = constant(b, TensorType);
    }
    let node: Node;
    if (plan.kind === 'conv') {
      markConstant(plan.weight);
      const b = plan.bias ? constTensor(plan.bias) : undefined;
      if (b) markConstant(b);
      const ints = (x: number[]): Value => constant([...x], ListOf(IntType));
      node = g.create('torchlet::conv2d_fused', [
        plan.input, n.inputs[1]!, plan.bias ?? none(), ints(plan.stride), ints(plan.padding), ints(plan.dilation), constant(plan.groups, IntType),
        residual ?? none(), bound(lo), bound(hi),
      ], [TensorType]);
    } else {
      const wv = plan.weight instanceof Tensor ? constant(plan.weight, TensorType) : plan.weight;
      const wt = plan.weight instanceof Tensor ? plan.weight : constTensor(plan.weight)!;
      markConstant(wt);
      const b = plan.bias ? constTensor(plan.bias) : undefined;
      if (b) markConstant(b);
      node = g.create('torchlet::linear_fused', [plan.input, wv, plan.bias ?? none(), residual ?? none(), bound(lo), bound(hi)], [TensorType]);
    }
    node.overload = node.kind;
    node.source = n.source;
    at(node);
    const out = node.output();
    if (v.debugName) out.setDebugName(v.debugName);
    v.replaceAllUsesWith(out);
    for (let i = absorbed.length - 1; i >= 0; i--) absorbed[i]!.destroy();
    fused++;
  }
  return fused;
}
