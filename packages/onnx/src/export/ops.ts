/**
 * ONNX emitters for registry ops, keyed by qualified op name (`aten::conv2d`). Each reads its
 * node's inputs (ONNX names for tensors, concrete values for everything else: the trace is
 * specialised to the example inputs' shapes) and sets the ONNX names of the node's outputs.
 * Ops without an emitter that are composites (`decompose`) are exported through their
 * decomposition (see index.ts).
 */
import { isFloating, resultType, type DType, type PromotionOperand, type Tensor } from '@torchlet/core';
import { normDim, type Emitter, type OpContext } from './context.js';

const E: Record<string, Emitter> = {};
const def = (names: string | string[], f: Emitter): void => {
  for (const n of Array.isArray(names) ? names : [names]) E[n.includes('::') ? n : `aten::${n}`] = f;
};

function outDtype(c: OpContext, i = 0): DType {
  return c.outT(i).dtype;
}
function rankOf(c: OpContext, i = 0): number {
  return c.t(i).ndim;
}
function ints(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  return (v as number[]).map(Number);
}
/** A promotion operand for input i (JS numbers with a float static type are wrapped floats). */
function operandOf(c: OpContext, i: number): PromotionOperand {
  const v = c.c(i);
  if (c.isTensor(i)) {
    const t = v as Tensor;
    return { dtype: t.dtype, dim: t.ndim, isWrappedNumber: t.isWrappedNumber };
  }
  if (typeof v === 'number' && c.inputKind(i) === 'float') return { dtype: 'float64', dim: 0, isWrappedNumber: true };
  return v as number | boolean;
}
function promoted(c: OpContext, idx: number[]): DType {
  return resultType(idx.map((i) => operandOf(c, i)));
}
/** Does input i hold a (non-null) value? */
function given(c: OpContext, i: number): boolean {
  return i < c.node.inputs.length && c.c(i) !== null && c.c(i) !== undefined;
}

// ---------------------------------------------------------------- elementwise

function binary(op: string, withAlpha = false, reversed = false): Emitter {
  return (c) => {
    const dt = outDtype(c);
    let a = c.operand(0, dt), b = c.operand(1, dt);
    if (withAlpha && given(c, 2) && Number(c.c(2)) !== 1) b = c.g.one('Mul', [b, c.g.scalar(Number(c.c(2)), dt)]);
    if (reversed) [a, b] = [b, a];
    c.set(0, c.g.one(op, [a, b]));
  };
}
def(['add'], (c) => {
  if (outDtype(c) === 'bool') return c.set(0, c.g.one('Or', [c.operand(0, 'bool'), c.operand(1, 'bool')]));
  binary('Add', true)(c);
});
def('sub', binary('Sub', true));
def('rsub', binary('Sub', true, true));
def('mul', (c) => {
  if (outDtype(c) === 'bool') return c.set(0, c.g.one('And', [c.operand(0, 'bool'), c.operand(1, 'bool')]));
  binary('Mul')(c);
});
def(['maximum', 'fmax'], binary('Max'));
def(['minimum', 'fmin'], binary('Min'));
def('div', (c) => {
  const dt = outDtype(c);
  const mode = c.node.inputs.length > 2 ? (c.c(2) as string | null) : null;
  if (!mode) return c.set(0, c.g.one('Div', [c.operand(0, dt), c.operand(1, dt)]));
  // floor / trunc division, computed in floating point
  const ft: DType = isFloating(dt) ? dt : 'float64';
  const q = c.g.one('Div', [c.operand(0, ft), c.operand(1, ft)]);
  let r: string;
  if (mode === 'floor') r = c.g.one('Floor', [q]);
  else r = c.g.one('Mul', [c.g.one('Sign', [q]), c.g.one('Floor', [c.g.one('Abs', [q])])]);
  c.set(0, c.g.cast(r, ft, dt));
});
def(['remainder', 'fmod'], (c) => {
  const dt = outDtype(c);
  const a = c.operand(0, dt), b = c.operand(1, dt);
  const isFmod = c.node.kind === 'aten::fmod';
  if (!isFloating(dt)) return c.set(0, c.g.one('Mod', [a, b], { fmod: isFmod ? 1 : 0 }));
  if (isFmod) return c.set(0, c.g.one('Mod', [a, b], { fmod: 1 }));
  // Python modulo for floats: a - floor(a / b) * b
  c.set(0, c.g.one('Sub', [a, c.g.one('Mul', [c.g.one('Floor', [c.g.one('Div', [a, b])]), b])]));
});
def('pow', (c) => {
  const dt = outDtype(c);
  const e = c.c(1);
  if (!c.isTensor(1) && e === 2 && isFloating(dt)) {
    const x = c.operand(0, dt);
    return c.set(0, c.g.one('Mul', [x, x]));
  }
  c.set(0, c.g.one('Pow', [c.operand(0, dt), c.operand(1, dt)]));
});
function compare(op: string, negate = false): Emitter {
  return (c) => {
    const dt = promoted(c, [0, 1]);
    let r = c.g.one(op, [c.operand(0, dt), c.operand(1, dt)]);
    if (negate) r = c.g.one('Not', [r]);
    c.set(0, r);
  };
}
def('eq', compare('Equal'));
def('ne', compare('Equal', true));
def('lt', compare('Less'));
def('le', compare('LessOrEqual'));
def('gt', compare('Greater'));
def('ge', compare('GreaterOrEqual'));
def(['logical_and', 'bitwise_and', '__and__'], (c) => {
  if (outDtype(c) !== 'bool') c.fail('only boolean bitwise_and is exported');
  c.set(0, c.g.one('And', [c.operand(0, 'bool'), c.operand(1, 'bool')]));
});
def(['logical_or', 'bitwise_or', '__or__'], (c) => {
  if (outDtype(c) !== 'bool') c.fail('only boolean bitwise_or is exported');
  c.set(0, c.g.one('Or', [c.operand(0, 'bool'), c.operand(1, 'bool')]));
});
def(['logical_xor', 'bitwise_xor', '__xor__'], (c) => {
  if (outDtype(c) !== 'bool') c.fail('only boolean bitwise_xor is exported');
  c.set(0, c.g.one('Xor', [c.operand(0, 'bool'), c.operand(1, 'bool')]));
});
def(['logical_not', 'bitwise_not'], (c) => {
  if (c.node.kind === 'aten::bitwise_not' && c.t(0).dtype !== 'bool') c.fail('only boolean bitwise_not is exported');
  c.set(0, c.g.one('Not', [c.operand(0, 'bool')]));
});

function unary(op: string, attrs: Record<string, number> = {}): Emitter {
  return (c) => {
    const dt = outDtype(c);
    c.set(0, c.g.one(op, [c.operand(0, dt)], attrs));
  };
}
for (const [name, op] of Object.entries({
  relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', exp: 'Exp', log: 'Log', sqrt: 'Sqrt', abs: 'Abs', neg: 'Neg', reciprocal: 'Reciprocal',
  sin: 'Sin', cos: 'Cos', tan: 'Tan', asin: 'Asin', acos: 'Acos', atan: 'Atan', sinh: 'Sinh', cosh: 'Cosh', asinh: 'Asinh', acosh: 'Acosh',
  atanh: 'Atanh', floor: 'Floor', ceil: 'Ceil', sign: 'Sign', erf: 'Erf', selu: 'Selu', softsign: 'Softsign',
})) def(name, unary(op));
def('negative', unary('Neg'));
def('round', (c) => {
  if (given(c, 1) && c.c(1) !== 0) c.fail('round with decimals is not exported');
  unary('Round')(c);
});
def('rsqrt', (c) => c.set(0, c.g.one('Reciprocal', [c.g.one('Sqrt', [c.operand(0, outDtype(c))])])));
def('square', (c) => {
  const x = c.operand(0, outDtype(c));
  c.set(0, c.g.one('Mul', [x, x]));
});
def('log2', (c) => c.set(0, c.g.one('Div', [c.g.one('Log', [c.operand(0, outDtype(c))]), c.g.scalar(Math.LN2, outDtype(c))])));
def('log10', (c) => c.set(0, c.g.one('Div', [c.g.one('Log', [c.operand(0, outDtype(c))]), c.g.scalar(Math.LN10, outDtype(c))])));
def('log1p', (c) => c.set(0, c.g.one('Log', [c.g.one('Add', [c.operand(0, outDtype(c)), c.g.scalar(1, outDtype(c))])])));
def('expm1', (c) => c.set(0, c.g.one('Sub', [c.g.one('Exp', [c.operand(0, outDtype(c))]), c.g.scalar(1, outDtype(c))])));
def('trunc', (c) => {
  const dt = outDtype(c);
  if (!isFloating(dt)) return c.set(0, c.g.identity(c.x(0)));
  const x = c.x(0);
  c.set(0, c.g.one('Mul', [c.g.one('Sign', [x]), c.g.one('Floor', [c.g.one('Abs', [x])])]));
});
def('isnan', (c) => c.set(0, c.g.one('IsNaN', [c.x(0)])));
def('isinf', (c) => c.set(0, c.g.one('IsInf', [c.x(0)])));
def('silu', (c) => {
  const x = c.operand(0, outDtype(c));
  c.set(0, c.g.one('Mul', [x, c.g.one('Sigmoid', [x])]));
});
def('mish', (c) => {
  const x = c.operand(0, outDtype(c));
  c.set(0, c.g.one('Mul', [x, c.g.one('Tanh', [c.g.one('Softplus', [x])])]));
});
def('gelu', (c) => {
  const dt = outDtype(c);
  const approx = given(c, 1) ? String(c.c(1)) : 'none';
  const x = c.operand(0, dt);
  if (c.opset >= 20) return c.set(0, c.g.one('Gelu', [x], { approximate: approx }));
  const g = c.g, half = g.scalar(0.5, dt), one = g.scalar(1, dt);
  let inner: string;
  if (approx === 'tanh') {
    const x3 = g.one('Mul', [g.one('Mul', [x, x]), x]);
    const u = g.one('Mul', [g.scalar(Math.sqrt(2 / Math.PI), dt), g.one('Add', [x, g.one('Mul', [g.scalar(0.044715, dt), x3])])]);
    inner = g.one('Tanh', [u]);
  } else inner = g.one('Erf', [g.one('Div', [x, g.scalar(Math.SQRT2, dt)])]);
  c.set(0, g.one('Mul', [g.one('Mul', [x, half]), g.one('Add', [inner, one])]));
});
def('leaky_relu', (c) => c.set(0, c.g.one('LeakyRelu', [c.x(0)], { alpha: { float: given(c, 1) ? Number(c.c(1)) : 0.01 } })));
def('elu', (c) => {
  const alpha = given(c, 1) ? Number(c.c(1)) : 1, scale = given(c, 2) ? Number(c.c(2)) : 1, inScale = given(c, 3) ? Number(c.c(3)) : 1;
  const dt = outDtype(c);
  let x = c.x(0);
  if (inScale !== 1) {
    // elu(x) = scale * (x > 0 ? x : alpha * (exp(x * input_scale) - 1))
    const neg = c.g.one('Mul', [c.g.scalar(alpha, dt), c.g.one('Sub', [c.g.one('Exp', [c.g.one('Mul', [x, c.g.scalar(inScale, dt)])]), c.g.scalar(1, dt)])]);
    x = c.g.one('Where', [c.g.one('Greater', [x, c.g.scalar(0, dt)]), x, neg]);
  } else x = c.g.one('Elu', [x], { alpha: { float: alpha } });
  c.set(0, scale === 1 ? x : c.g.one('Mul', [x, c.g.scalar(scale, dt)]));
});
def('celu', (c) => c.set(0, c.g.one('Celu', [c.x(0)], { alpha: { float: given(c, 1) ? Number(c.c(1)) : 1 } })));
function clip(c: OpContext, lo: number | null, hi: number | null): void {
  const dt = outDtype(c);
  const ins = [c.operand(0, dt), lo === null ? '' : c.g.scalar(lo, dt), hi === null ? '' : c.g.scalar(hi, dt)];
  while (ins[ins.length - 1] === '') ins.pop();
  c.set(0, c.g.one('Clip', ins));
}
def('hardtanh', (c) => clip(c, given(c, 1) ? Number(c.c(1)) : -1, given(c, 2) ? Number(c.c(2)) : 1));
def('relu6', (c) => clip(c, 0, 6));
def('clamp', (c) => {
  if (c.isTensor(1) || c.isTensor(2)) {
    const dt = outDtype(c);
    let x = c.operand(0, dt);
    if (given(c, 1)) x = c.g.one('Max', [x, c.operand(1, dt)]);
    if (given(c, 2)) x = c.g.one('Min', [x, c.operand(2, dt)]);
    return c.set(0, x);
  }
  clip(c, given(c, 1) ? Number(c.c(1)) : null, given(c, 2) ? Number(c.c(2)) : null);
});
def('clamp_min', (c) => (c.isTensor(1) ? c.set(0, c.g.one('Max', [c.operand(0, outDtype(c)), c.operand(1, outDtype(c))])) : clip(c, Number(c.c(1)), null)));
def('clamp_max', (c) => (c.isTensor(1) ? c.set(0, c.g.one('Min', [c.operand(0, outDtype(c)), c.operand(1, outDtype(c))])) : clip(c, null, Number(c.c(1)))));
def('hardsigmoid', (c) => c.set(0, c.g.one('HardSigmoid', [c.x(0)], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } })));
def('hardswish', (c) => {
  if (c.opset >= 14) return c.set(0, c.g.one('HardSwish', [c.x(0)]));
  const x = c.x(0);
  c.set(0, c.g.one('Mul', [x, c.g.one('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } })]));
});
def('softplus', (c) => {
  const beta = given(c, 1) ? Number(c.c(1)) : 1, threshold = given(c, 2) ? Number(c.c(2)) : 20;
  const dt = outDtype(c), g = c.g, x = c.x(0);
  const bx = beta === 1 ? x : g.one('Mul', [x, g.scalar(beta, dt)]);
  let sp = g.one('Softplus', [bx]);
  if (beta !== 1) sp = g.one('Div', [sp, g.scalar(beta, dt)]);
  // PyTorch returns x where beta * x > threshold
  c.set(0, g.one('Where', [g.one('Greater', [bx, g.scalar(threshold, dt)]), x, sp]));
});
def('threshold', (c) => {
  const dt = outDtype(c), x = c.x(0);
  c.set(0, c.g.one('Where', [c.g.one('Greater', [x, c.g.scalar(Number(c.c(1)), dt)]), x, c.g.scalar(Number(c.c(2)), dt)]));
});
def('prelu', (c) => {
  const x = c.x(0), w = c.t(1);
  let wn = c.x(1);
  const r = rankOf(c);
  if (w.numel() > 1 && r >= 2) wn = c.g.reshape(wn, [w.numel(), ...new Array<number>(r - 2).fill(1)]);
  c.set(0, c.g.one('PRelu', [x, wn]));
});
def('glu', (c) => {
  const r = rankOf(c), dim = normDim(given(c, 1) ? Number(c.c(1)) : -1, r);
  const n = c.t(0).shape[dim]! / 2;
  const [a, b] = c.g.split(c.x(0), [n, n], dim);
  c.set(0, c.g.one('Mul', [a!, c.g.one('Sigmoid', [b!])]));
});
def(['logsigmoid', 'log_sigmoid'], (c) => c.set(0, c.g.one('Neg', [c.g.one('Softplus', [c.g.one('Neg', [c.x(0)])])])));
def(['softmax', 'log_softmax', '_softmax', '_log_softmax'], (c) => {
  const dt = outDtype(c);
  const op = c.node.kind.includes('log_softmax') ? 'LogSoftmax' : 'Softmax';
  c.set(0, c.g.one(op, [c.operand(0, dt)], { axis: normDim(Number(c.c(1)), rankOf(c)) }));
});
def('where', (c) => {
  if (c.node.inputs.length === 1) c.fail('where(condition) (nonzero) is not exported');
  const dt = outDtype(c);
  c.set(0, c.g.one('Where', [c.operand(0, 'bool'), c.operand(1, dt), c.operand(2, dt)]));
});
def('masked_fill', (c) => {
  const dt = outDtype(c);
  c.set(0, c.g.one('Where', [c.operand(1, 'bool'), c.operand(2, dt), c.operand(0, dt)]));
});

// ---------------------------------------------------------------- identity-like and casts

def(['contiguous', 'clone', 'detach', 'alias', 'lift_fresh', 'lift', 'positive', 'resolve_conj', 'resolve_neg'], (c) => c.set(0, c.g.identity(c.x(0))));
def(['dropout', 'feature_dropout', 'alpha_dropout', 'feature_alpha_dropout'], (c) => {
  const p = Number(c.c(1)), train = c.c(2);
  if (train === true && p > 0) c.fail('dropout in training mode cannot be exported: call model.eval() before tracing');
  c.set(0, c.g.identity(c.x(0)));
});
def(['to', 'type_as', '_to_copy', 'type'], (c) => {
  const from = c.t(0).dtype, to = outDtype(c);
  c.set(0, from === to ? c.g.identity(c.x(0)) : c.g.cast(c.x(0), from, to));
});

// ---------------------------------------------------------------- shapes

const reshapeLike: Emitter = (c) => c.set(0, c.g.reshape(c.x(0), c.outT(0).shape));
def(['view', 'reshape', '_reshape_alias', '_unsafe_view', 'flatten', 'unflatten', 'squeeze', 'unsqueeze', 'view_as', 'reshape_as', 'ravel', 'atleast_1d', 'atleast_2d', 'atleast_3d'], reshapeLike);
def(['expand', 'expand_as', 'broadcast_to'], (c) => c.set(0, c.g.one('Expand', [c.x(0), c.g.ints(c.outT(0).shape)])));
def('permute', (c) => {
  const r = rankOf(c);
  c.set(0, c.g.one('Transpose', [c.x(0)], { perm: ints(c.c(1)).map((d) => normDim(d, r)) }));
});
def(['transpose', 'swapaxes', 'swapdims'], (c) => {
  const r = rankOf(c);
  const perm = Array.from({ length: r }, (_, i) => i);
  const a = normDim(Number(c.c(1)), r), b = normDim(Number(c.c(2)), r);
  [perm[a], perm[b]] = [perm[b]!, perm[a]!];
  c.set(0, c.g.one('Transpose', [c.x(0)], { perm }));
});
def(['t', 'numpy_T'], (c) => {
  const r = rankOf(c);
  c.set(0, r < 2 ? c.g.identity(c.x(0)) : c.g.one('Transpose', [c.x(0)], { perm: [1, 0] }));
});
def('movedim', (c) => {
  const r = rankOf(c);
  const src = ints(c.c(1)).map((d) => normDim(d, r)), dst = ints(c.c(2)).map((d) => normDim(d, r));
  const perm = new Array<number>(r).fill(-1);
  src.forEach((s, i) => (perm[dst[i]!] = s));
  const rest = Array.from({ length: r }, (_, i) => i).filter((i) => !src.includes(i));
  for (let i = 0, k = 0; i < r; i++) if (perm[i] === -1) perm[i] = rest[k++]!;
  c.set(0, c.g.one('Transpose', [c.x(0)], { perm }));
});
def('cat', (c) => {
  const dt = outDtype(c);
  const ts = c.c(0) as Tensor[];
  const names = c.list(0).filter((_, i) => !(ts[i]!.ndim === 1 && ts[i]!.shape[0] === 0 && c.outT(0).ndim !== 1));
  const r = c.outT(0).ndim;
  const cast = names.map((n, i) => c.g.cast(n, ts[i]!.dtype, dt));
  c.set(0, c.g.one('Concat', cast, { axis: normDim(Number(c.c(1) ?? 0), r) }));
});
def('stack', (c) => {
  const dt = outDtype(c);
  const ts = c.c(0) as Tensor[];
  const r = c.outT(0).ndim;
  const axis = normDim(Number(c.c(1) ?? 0), r);
  const parts = c.list(0).map((n, i) => c.g.unsqueeze(c.g.cast(n, ts[i]!.dtype, dt), [axis]));
  c.set(0, c.g.one('Concat', parts, { axis }));
});
function sliceOf(c: OpContext, x: string, dim: number, start: number, end: number, step: number): string {
  return c.g.one('Slice', [x, c.g.ints([start]), c.g.ints([end]), c.g.ints([dim]), c.g.ints([step])]);
}
/** PyTorch's clamping of slice bounds. */
function clampIndex(v: number | null, size: number, dflt: number): number {
  if (v === null || v === undefined) return dflt;
  let x = v;
  if (x < 0) x += size;
  return Math.min(Math.max(x, 0), size);
}
def('slice', (c) => {
  const t = c.t(0);
  const dim = normDim(Number(c.c(1) ?? 0), t.ndim);
  const size = t.shape[dim]!;
  const step = Number(c.c(4) ?? 1);
  const start = clampIndex(c.c(2) as number | null, size, 0), end = clampIndex(c.c(3) as number | null, size, size);
  c.set(0, sliceOf(c, c.x(0), dim, start, Math.max(start, end), step));
});
def('narrow', (c) => {
  const t = c.t(0);
  const dim = normDim(Number(c.c(1)), t.ndim);
  let start = c.isTensor(2) ? Number((c.c(2) as Tensor).item()) : Number(c.c(2));
  if (start < 0) start += t.shape[dim]!;
  c.set(0, sliceOf(c, c.x(0), dim, start, start + Number(c.c(3)), 1));
});
def('select', (c) => {
  const t = c.t(0);
  const dim = normDim(Number(c.c(1)), t.ndim);
  let idx = Number(c.c(2));
  if (idx < 0) idx += t.shape[dim]!;
  c.set(0, c.g.one('Gather', [c.x(0), c.g.scalar(idx, 'int64')], { axis: dim }));
});
function splitByOutputs(c: OpContext, dimArg: number): void {
  const t = c.t(0);
  const dim = normDim(Number(c.c(dimArg) ?? 0), t.ndim);
  const outs = c.out(0) as Tensor[];
  const sizes = outs.map((o) => o.shape[dim]!);
  if (outs.length === 1) return c.set(0, [c.g.identity(c.x(0))]);
  c.set(0, c.g.split(c.x(0), sizes, dim));
}
def(['chunk', 'split', 'split_with_sizes', 'unsafe_split', 'unsafe_split_with_sizes', 'tensor_split'], (c) => splitByOutputs(c, 2));
def('unbind', (c) => {
  const t = c.t(0);
  const dim = normDim(Number(c.c(1) ?? 0), t.ndim);
  const n = t.shape[dim]!;
  const parts = n === 1 ? [c.x(0)] : c.g.split(c.x(0), new Array<number>(n).fill(1), dim);
  c.set(0, parts.map((p) => c.g.squeeze(p, [dim])));
});
def('index_select', (c) => {
  const dim = normDim(Number(c.c(1)), rankOf(c));
  c.set(0, c.g.one('Gather', [c.x(0), c.operand(2, 'int64')], { axis: dim }));
});
def('embedding', (c) => c.set(0, c.g.one('Gather', [c.x(0), c.operand(1, 'int64')], { axis: 0 })));
def('torchlet::embedding', (c) => {
  if (given(c, 3)) c.fail('embedding with max_norm renormalizes the weight in place and is not exported');
  c.set(0, c.g.one('Gather', [c.x(1), c.operand(0, 'int64')], { axis: 0 }));
});
def('torchlet::normalize', (c) => {
  const p = Number(c.c(1) ?? 2), dim = normDim(Number(c.c(2) ?? 1), rankOf(c)), eps = Number(c.c(3) ?? 1e-12);
  if (p !== 1 && p !== 2) c.fail(`normalize with p=${p} is not exported (p = 1 or 2)`);
  const dt = outDtype(c);
  const norm = c.g.reduce(p === 2 ? 'ReduceL2' : 'ReduceL1', c.x(0), [dim], true);
  c.set(0, c.g.one('Div', [c.x(0), c.g.one('Max', [norm, c.g.scalar(eps, dt)])]));
});
def('gather', (c) => c.set(0, c.g.one('GatherElements', [c.x(0), c.operand(2, 'int64')], { axis: normDim(Number(c.c(1)), rankOf(c)) })));
def('index', (c) => {
  const idx = c.c(1) as (Tensor | null)[];
  const present = idx.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
  if (present.length !== 1) c.fail('advanced indexing with more than one index tensor is not exported');
  const d = present[0]!;
  const it = idx[d]!;
  if (it.dtype === 'bool' || it.dtype === 'uint8') c.fail('indexing with a boolean mask is not exported (its result shape depends on the data)');
  const names = c.list(1);
  c.set(0, c.g.one('Gather', [c.x(0), c.g.cast(names[d]!, it.dtype, 'int64')], { axis: d }));
});
def('flip', (c) => {
  const t = c.t(0);
  const dims = ints(c.c(1)).map((d) => normDim(d, t.ndim));
  const n = dims.length;
  c.set(0, c.g.one('Slice', [c.x(0), c.g.ints(new Array<number>(n).fill(-1)), c.g.ints(dims.map((d) => -(t.shape[d]! + 1))), c.g.ints(dims), c.g.ints(new Array<number>(n).fill(-1))]));
});
def(['repeat', 'tile'], (c) => {
  const t = c.t(0);
  let reps = ints(c.c(1));
  let x = c.x(0);
  if (reps.length > t.ndim) x = c.g.reshape(x, [...new Array<number>(reps.length - t.ndim).fill(1), ...t.shape]);
  else if (reps.length < t.ndim) reps = [...new Array<number>(t.ndim - reps.length).fill(1), ...reps];
  c.set(0, c.g.one('Tile', [x, c.g.ints(reps)]));
});
def(['triu', 'tril'], (c) => {
  const k = given(c, 1) ? Number(c.c(1)) : 0;
  c.set(0, c.g.one('Trilu', [c.x(0), c.g.scalar(k, 'int64')], { upper: c.node.kind === 'aten::triu' ? 1 : 0 }));
});
def(['constant_pad_nd', 'pad'], (c) => {
  const t = c.t(0), r = t.ndim;
  const pad = ints(c.c(1));
  const mode = c.node.kind === 'aten::pad' && given(c, 2) ? String(c.c(2)) : 'constant';
  const value = c.node.kind === 'aten::pad' ? (given(c, 3) ? Number(c.c(3)) : 0) : given(c, 2) ? Number(c.c(2)) : 0;
  const begins = new Array<number>(r).fill(0), ends = new Array<number>(r).fill(0);
  for (let i = 0; i < pad.length / 2; i++) {
    begins[r - 1 - i] = pad[2 * i]!;
    ends[r - 1 - i] = pad[2 * i + 1]!;
  }
  const onnxMode = mode === 'replicate' ? 'edge' : mode === 'circular' ? 'wrap' : mode;
  if (onnxMode === 'wrap' && c.opset < 19) c.fail('circular padding needs opset 19');
  const ins = [c.x(0), c.g.ints([...begins, ...ends])];
  if (onnxMode === 'constant') ins.push(c.g.scalar(value, t.dtype));
  c.set(0, c.g.one('Pad', ins, { mode: onnxMode }));
});

// ---------------------------------------------------------------- reductions

function reduceDims(c: OpContext, arg: number): number[] | null {
  const v = c.c(arg);
  if (v === null || v === undefined) return null;
  const r = rankOf(c);
  const d = ints(v).map((x) => normDim(x, r));
  return d.length === 0 ? null : d;
}
function sumLike(op: string): Emitter {
  return (c) => {
    const dt = outDtype(c);
    const isDim = /\.(dim_IntList|dim)$/.test(c.node.overload ?? '');
    const dims = isDim ? reduceDims(c, 1) : null;
    const keep = isDim ? Boolean(c.c(2)) : false;
    const x = c.operand(0, dt);
    if (rankOf(c) === 0) return c.set(0, c.g.identity(x));
    c.set(0, c.g.reduce(op, x, dims, keep));
  };
}
def('sum', sumLike('ReduceSum'));
def('mean', sumLike('ReduceMean'));
def('prod', (c) => {
  const dt = outDtype(c);
  const x = c.operand(0, dt);
  if (c.node.overload === 'aten::prod.dim_int') return c.set(0, c.g.reduce('ReduceProd', x, [normDim(Number(c.c(1)), rankOf(c))], Boolean(c.c(2))));
  c.set(0, c.g.reduce('ReduceProd', x, null, false));
});
def(['amax', 'amin'], (c) => {
  const op = c.node.kind === 'aten::amax' ? 'ReduceMax' : 'ReduceMin';
  c.set(0, c.g.reduce(op, c.x(0), reduceDims(c, 1), Boolean(c.c(2))));
});
def(['max', 'min'], (c) => {
  const isMax = c.node.kind === 'aten::max';
  const ov = c.node.overload ?? '';
  if (ov.endsWith('.other')) return binary(isMax ? 'Max' : 'Min')(c);
  if (ov.endsWith('.dim')) {
    const dim = normDim(Number(c.c(1)), rankOf(c)), keep = Boolean(c.c(2));
    c.set(0, c.g.reduce(isMax ? 'ReduceMax' : 'ReduceMin', c.x(0), [dim], keep));
    c.set(1, c.g.one(isMax ? 'ArgMax' : 'ArgMin', [c.x(0)], { axis: dim, keepdims: keep ? 1 : 0 }));
    return;
  }
  c.set(0, c.g.reduce(isMax ? 'ReduceMax' : 'ReduceMin', c.x(0), null, false));
});
def(['argmax', 'argmin'], (c) => {
  const op = c.node.kind === 'aten::argmax' ? 'ArgMax' : 'ArgMin';
  const keep = Boolean(c.c(2));
  if (!given(c, 1)) {
    const flat = c.g.reshape(c.x(0), [-1]);
    const r = c.g.one(op, [flat], { axis: 0, keepdims: 0 });
    return c.set(0, keep ? c.g.reshape(r, c.outT(0).shape) : r);
  }
  c.set(0, c.g.one(op, [c.x(0)], { axis: normDim(Number(c.c(1)), rankOf(c)), keepdims: keep ? 1 : 0 }));
});
def('logsumexp', (c) => c.set(0, c.g.reduce('ReduceLogSumExp', c.operand(0, outDtype(c)), reduceDims(c, 1), Boolean(c.c(2)))));
def(['var', 'std'], (c) => {
  const ov = c.node.overload ?? '';
  const r = rankOf(c), t = c.t(0), dt = outDtype(c);
  let dims: number[] | null = null, correction = 1, keep = false;
  if (ov.endsWith('.correction')) {
    dims = reduceDims(c, 1);
    correction = given(c, 2) ? Number(c.c(2)) : 1;
    keep = Boolean(c.c(3));
  } else if (ov.endsWith('.dim')) {
    dims = reduceDims(c, 1);
    correction = c.c(2) === false ? 0 : 1;
    keep = Boolean(c.c(3));
  } else correction = c.c(1) === false ? 0 : 1;
  const all = dims ?? Array.from({ length: r }, (_, i) => i);
  const n = all.reduce((p, d) => p * t.shape[d]!, 1);
  const g = c.g, x = c.x(0);
  const mean = g.reduce('ReduceMean', x, all, true);
  const d = g.one('Sub', [x, mean]);
  const ss = g.reduce('ReduceSum', g.one('Mul', [d, d]), all, keep);
  let v = g.one('Div', [ss, g.scalar(Math.max(0, n - correction), dt)]);
  if (c.node.kind === 'aten::std') v = g.one('Sqrt', [v]);
  c.set(0, v);
});
def(['all', 'any'], (c) => {
  const isAll = c.node.kind === 'aten::all';
  const asInt = c.g.cast(c.g.cast(c.x(0), c.t(0).dtype, 'bool'), 'bool', 'int32');
  const ov = c.node.overload ?? '';
  const dims = ov.endsWith('.dim') ? [normDim(Number(c.c(1)), rankOf(c))] : ov.endsWith('.dims') ? reduceDims(c, 1) : null;
  const keep = ov.endsWith('.dim') || ov.endsWith('.dims') ? Boolean(c.c(2)) : false;
  c.set(0, c.g.cast(c.g.reduce(isAll ? 'ReduceMin' : 'ReduceMax', asInt, dims, keep), 'int32', 'bool'));
});
def('cumsum', (c) => {
  const dt = outDtype(c);
  c.set(0, c.g.one('CumSum', [c.operand(0, dt), c.g.scalar(normDim(Number(c.c(1)), Math.max(1, rankOf(c))), 'int64')]));
});
def('topk', (c) => {
  const dim = normDim(given(c, 2) ? Number(c.c(2)) : -1, rankOf(c));
  const [v, i] = c.g.node('TopK', [c.x(0), c.g.ints([Number(c.c(1))])], 2, { axis: dim, largest: c.c(3) === false ? 0 : 1, sorted: 1 });
  c.set(0, v!);
  c.set(1, i!);
});

// ---------------------------------------------------------------- linear algebra

def(['matmul', 'mm', 'bmm'], (c) => {
  const dt = outDtype(c);
  c.set(0, c.g.one('MatMul', [c.operand(0, dt), c.operand(1, dt)]));
});
def('linear', (c) => {
  const x = c.t(0), hasBias = given(c, 2);
  if (x.ndim === 2) {
    const ins = [c.x(0), c.x(1)];
    if (hasBias) ins.push(c.x(2));
    return c.set(0, c.g.one('Gemm', ins, { transB: 1 }));
  }
  let y = c.g.one('MatMul', [c.x(0), c.g.one('Transpose', [c.x(1)], { perm: c.t(1).ndim === 2 ? [1, 0] : [0] })]);
  if (hasBias) y = c.g.one('Add', [y, c.x(2)]);
  c.set(0, y);
});
def('addmm', (c) => {
  const beta = given(c, 3) ? Number(c.c(3)) : 1, alpha = given(c, 4) ? Number(c.c(4)) : 1;
  c.set(0, c.g.one('Gemm', [c.x(1), c.x(2), c.x(0)], { alpha: { float: alpha }, beta: { float: beta } }));
});
def('einsum', (c) => c.set(0, c.g.one('Einsum', c.list(1), { equation: String(c.c(0)).replace(/\s+/g, '') })));
def('scaled_dot_product_attention', (c) => {
  const q = c.t(0), dt = outDtype(c), g = c.g;
  if (Number(c.c(4) ?? 0) > 0) c.fail('scaled_dot_product_attention with dropout cannot be exported');
  const e = q.shape[q.ndim - 1]!;
  const scale = given(c, 6) ? Number(c.c(6)) : 1 / Math.sqrt(e);
  const kr = c.t(1).ndim;
  const perm = Array.from({ length: kr }, (_, i) => i);
  [perm[kr - 2], perm[kr - 1]] = [perm[kr - 1]!, perm[kr - 2]!];
  let s = g.one('Mul', [g.one('MatMul', [c.x(0), g.one('Transpose', [c.x(1)], { perm })]), g.scalar(scale, dt)]);
  const L = q.shape[q.ndim - 2]!, S = c.t(1).shape[kr - 2]!;
  if (c.c(5) === true) {
    const m: number[] = [];
    for (let i = 0; i < L; i++) for (let j = 0; j < S; j++) m.push(j > i ? -Infinity : 0);
    s = g.one('Add', [s, g.constant(m, dt, [L, S], 'causal_mask')]);
  }
  if (given(c, 3)) {
    const mt = c.t(3);
    if (mt.dtype === 'bool') s = g.one('Where', [c.x(3), s, g.scalar(-Infinity, dt)]);
    else s = g.one('Add', [s, c.operand(3, dt)]);
  }
  c.set(0, g.one('MatMul', [g.one('Softmax', [s], { axis: -1 }), c.x(2)]));
});

// ---------------------------------------------------------------- convolution, normalization, pooling

function convAttrs(c: OpContext, stride: unknown, padding: unknown, dilation: unknown, groups: unknown, w: Tensor, transposed: boolean, outputPadding?: unknown): Record<string, number[] | number> {
  const k = w.shape.slice(2);
  const n = k.length;
  const expand = (v: unknown, d: number): number[] => {
    const a = v === null || v === undefined ? [d] : ints(v);
    return a.length === 1 && n > 1 ? new Array<number>(n).fill(a[0]!) : a;
  };
  const s = expand(stride, 1), dl = expand(dilation, 1);
  let pads: number[];
  if (typeof padding === 'string') {
    if (padding === 'valid') pads = new Array<number>(2 * n).fill(0);
    else if (padding === 'same') {
      const total = k.map((kk, i) => dl[i]! * (kk - 1));
      pads = [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
    } else c.fail(`padding='${padding}'`);
  } else {
    const p = expand(padding, 0);
    pads = [...p, ...p];
  }
  const attrs: Record<string, number[] | number> = { kernel_shape: k, strides: s, pads: pads!, dilations: dl, group: Number(groups ?? 1) };
  if (transposed) attrs.output_padding = expand(outputPadding, 0);
  return attrs;
}
function conv(c: OpContext, transposed: boolean, idx: { stride: number; padding: number; dilation: number; groups: number; outputPadding?: number }): void {
  const w = c.t(1);
  const ins = [c.x(0), c.x(1)];
  if (given(c, 2)) ins.push(c.x(2));
  const attrs = convAttrs(c, c.c(idx.stride), c.c(idx.padding), c.c(idx.dilation), c.c(idx.groups), w, transposed, idx.outputPadding !== undefined ? c.c(idx.outputPadding) : undefined);
  c.set(0, c.g.one(transposed ? 'ConvTranspose' : 'Conv', ins, attrs));
}
def(['conv1d', 'conv2d', 'conv3d'], (c) => conv(c, false, { stride: 3, padding: 4, dilation: 5, groups: 6 }));
def(['conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'], (c) => conv(c, true, { stride: 3, padding: 4, outputPadding: 5, groups: 6, dilation: 7 }));
def(['convolution', '_convolution'], (c) => conv(c, Boolean(c.c(6)), { stride: 3, padding: 4, dilation: 5, groups: 8, outputPadding: 7 }));

function batchNorm(c: OpContext, idx: { w: number; b: number; mean: number; var: number; training: number; eps: number }): void {
  const x = c.t(0), C = x.shape[1] ?? 1, dt = x.dtype, g = c.g;
  const training = Boolean(c.c(idx.training));
  const eps = Number(c.c(idx.eps));
  const scale = given(c, idx.w) ? c.x(idx.w) : g.constant(new Array<number>(C).fill(1), dt, [C], 'bn_scale');
  const bias = given(c, idx.b) ? c.x(idx.b) : g.constant(new Array<number>(C).fill(0), dt, [C], 'bn_bias');
  if (!training && given(c, idx.mean) && given(c, idx.var)) {
    return c.set(0, g.one('BatchNormalization', [c.x(0), scale, bias, c.x(idx.mean), c.x(idx.var)], { epsilon: { float: eps } }));
  }
  if (training && given(c, idx.mean)) c.fail('batch_norm in training mode updates its running statistics: call model.eval() before tracing');
  // batch statistics (no running stats): normalize over every dim but 1
  const axes = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const mean = g.reduce('ReduceMean', c.x(0), axes, true);
  const d = g.one('Sub', [c.x(0), mean]);
  const v = g.reduce('ReduceMean', g.one('Mul', [d, d]), axes, true);
  const shape = [C, ...new Array<number>(x.ndim - 2).fill(1)];
  const y = g.one('Div', [d, g.one('Sqrt', [g.one('Add', [v, g.scalar(eps, dt)])])]);
  c.set(0, g.one('Add', [g.one('Mul', [y, g.reshape(scale, shape)]), g.reshape(bias, shape)]));
}
def('batch_norm', (c) => batchNorm(c, { w: 1, b: 2, mean: 3, var: 4, training: 5, eps: 7 }));
def('torchlet::batch_norm', (c) => batchNorm(c, { mean: 1, var: 2, w: 3, b: 4, training: 5, eps: 7 }));
def('layer_norm', (c) => {
  const x = c.t(0), dt = x.dtype, g = c.g;
  const ns = ints(c.c(1));
  const axis = x.ndim - ns.length;
  const eps = given(c, 4) ? Number(c.c(4)) : 1e-5;
  const n = ns.reduce((a, b) => a * b, 1);
  const scale = given(c, 2) ? c.x(2) : g.constant(new Array<number>(n).fill(1), dt, ns, 'ln_scale');
  if (c.opset >= 17) {
    const ins = [c.x(0), scale];
    if (given(c, 3)) ins.push(c.x(3));
    return c.set(0, g.node('LayerNormalization', ins, 1, { axis, epsilon: { float: eps } })[0]!);
  }
  const axes = Array.from({ length: ns.length }, (_, i) => axis + i);
  const mean = g.reduce('ReduceMean', c.x(0), axes, true);
  const d = g.one('Sub', [c.x(0), mean]);
  const v = g.reduce('ReduceMean', g.one('Mul', [d, d]), axes, true);
  let y = g.one('Mul', [g.one('Div', [d, g.one('Sqrt', [g.one('Add', [v, g.scalar(eps, dt)])])]), scale]);
  if (given(c, 3)) y = g.one('Add', [y, c.x(3)]);
  c.set(0, y);
});
def('group_norm', (c) => {
  const x = c.t(0), dt = x.dtype, g = c.g;
  const G = Number(c.c(1)), N = x.shape[0]!, C = x.shape[1]!;
  const eps = given(c, 4) ? Number(c.c(4)) : 1e-5;
  const xr = g.reshape(c.x(0), [N, G, -1]);
  const mean = g.reduce('ReduceMean', xr, [2], true);
  const d = g.one('Sub', [xr, mean]);
  const v = g.reduce('ReduceMean', g.one('Mul', [d, d]), [2], true);
  let y = g.reshape(g.one('Div', [d, g.one('Sqrt', [g.one('Add', [v, g.scalar(eps, dt)])])]), x.shape);
  const shape = [C, ...new Array<number>(x.ndim - 2).fill(1)];
  if (given(c, 2)) y = g.one('Mul', [y, g.reshape(c.x(2), shape)]);
  if (given(c, 3)) y = g.one('Add', [y, g.reshape(c.x(3), shape)]);
  c.set(0, y);
});

function pool(c: OpContext, op: 'MaxPool' | 'AveragePool'): void {
  const x = c.t(0), n = x.ndim - 2;
  const isMax = op === 'MaxPool';
  const ex = (v: unknown, d: number[]): number[] => {
    const a = v === null || v === undefined ? [] : ints(v);
    if (a.length === 0) return d;
    return a.length === 1 && n > 1 ? new Array<number>(n).fill(a[0]!) : a;
  };
  const k = ex(c.c(1), []);
  const s = ex(c.c(2), k);
  const p = ex(c.c(3), new Array<number>(n).fill(0));
  const attrs: Record<string, number[] | number> = { kernel_shape: k, strides: s, pads: [...p, ...p] };
  if (isMax) {
    attrs.dilations = ex(c.c(4), new Array<number>(n).fill(1));
    attrs.ceil_mode = c.c(5) ? 1 : 0;
  } else {
    attrs.ceil_mode = c.c(4) ? 1 : 0;
    attrs.count_include_pad = c.c(5) === false ? 0 : 1;
    if (given(c, 6)) c.fail('avg_pool with divisor_override is not exported');
  }
  if (isMax && c.node.outputs.length > 1 && c.node.outputs[1]!.hasUses()) c.fail('max pooling indices are not exported');
  c.set(0, c.g.one(op, [c.x(0)], attrs));
}
def(['max_pool1d', 'max_pool2d', 'max_pool3d', 'max_pool2d_with_indices', 'max_pool1d_with_indices', 'max_pool3d_with_indices'], (c) => pool(c, 'MaxPool'));
def(['avg_pool1d', 'avg_pool2d', 'avg_pool3d'], (c) => pool(c, 'AveragePool'));
function adaptive(c: OpContext, isMax: boolean): void {
  const x = c.t(0), n = x.ndim - 2;
  const out = c.outT(0).shape.slice(-n), inp = x.shape.slice(-n);
  if (isMax && c.node.outputs.length > 1 && c.node.outputs[1]!.hasUses()) c.fail('adaptive max pooling indices are not exported');
  if (out.every((o) => o === 1)) return c.set(0, c.g.one(isMax ? 'GlobalMaxPool' : 'GlobalAveragePool', [c.x(0)]));
  if (inp.some((s, i) => s % out[i]! !== 0)) c.fail(`adaptive pooling from [${inp}] to [${out}] (sizes not divisible) is not exported`);
  const k = inp.map((s, i) => s / out[i]!);
  c.set(0, c.g.one(isMax ? 'MaxPool' : 'AveragePool', [c.x(0)], { kernel_shape: k, strides: k }));
}
def(['adaptive_avg_pool1d', 'adaptive_avg_pool2d', 'adaptive_avg_pool3d', '_adaptive_avg_pool2d'], (c) => adaptive(c, false));
def(['adaptive_max_pool1d', 'adaptive_max_pool2d', 'adaptive_max_pool3d'], (c) => adaptive(c, true));
function resize(c: OpContext, mode: 'nearest' | 'linear' | 'cubic', alignCorners: boolean): void {
  const sizes = c.g.ints(c.outT(0).shape);
  const attrs: Record<string, string> = { mode };
  if (mode === 'nearest') {
    attrs.coordinate_transformation_mode = 'asymmetric';
    attrs.nearest_mode = 'floor';
  } else attrs.coordinate_transformation_mode = alignCorners ? 'align_corners' : 'pytorch_half_pixel';
  c.set(0, c.g.one('Resize', [c.x(0), '', '', sizes], attrs));
}
def(['upsample_nearest1d', 'upsample_nearest2d', 'upsample_nearest3d'], (c) => resize(c, 'nearest', false));
def(['upsample_linear1d', 'upsample_bilinear2d', 'upsample_trilinear3d'], (c) => resize(c, 'linear', Boolean(c.c(2))));
def('upsample_bicubic2d', (c) => resize(c, 'cubic', Boolean(c.c(2))));

export const EMITTERS: Readonly<Record<string, Emitter>> = E;
