/**
 * Elementwise kernels: one generic program over any number of broadcast, strided operands (GPU
 * tensors, or CPU 0-d tensors / JS numbers passed as uniform scalars) writing a possibly strided
 * output. Each op is data: a WGSL expression over the loaded operands `a0..an` in the compute type.
 */
import { isFloating, type Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { broadcastView, coalesce, numelOf, storageType, type Program, type UniformEntry, type View, type WgslType } from '../program.js';

/** A tensor seen through an explicit view already shaped like the output (e.g. a per-channel vector). */
export interface ViewOperand {
  tensor: Tensor;
  view: View;
}
export type Operand = Tensor | number | boolean | ViewOperand;

function isViewOperand(o: Operand): o is ViewOperand {
  return typeof o === 'object' && 'view' in o && 'tensor' in o && !('storage' in o);
}
export type ComputeType = 'f32' | 'i32';

export interface ElementwiseOp {
  name: string;
  /** the WGSL expression over a[0..n] (compute-type values) and `T` (the compute type's name) */
  expr: (a: string[], T: ComputeType) => string;
  /** the expression yields a bool (comparisons, logical ops) instead of a compute-type value */
  bool?: boolean;
  /** compute type: by default the output's (comparisons: f32 when any operand is floating) */
  compute?: ComputeType;
  /** extra key material (e.g. a flag an expression depends on) */
  key?: string;
}

/** WGSL helpers for the expressions (unused ones cost nothing). */
export const EW_LIB = `
fn tanh_s(x: f32) -> f32 { if (abs(x) > 10.0) { return sign(x); } return tanh(x); }
fn sigmoid_s(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn log_s(x: f32) -> f32 { if (x < 0.0 || is_nan(x)) { return nan_f32(); } if (x == 0.0) { return -inf_f32(); } return log(x); }
fn log2_s(x: f32) -> f32 { if (x < 0.0 || is_nan(x)) { return nan_f32(); } if (x == 0.0) { return -inf_f32(); } return log2(x); }
fn sqrt_s(x: f32) -> f32 { if (x < 0.0 || is_nan(x)) { return nan_f32(); } return sqrt(x); }
fn erf_s(x: f32) -> f32 {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * z);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-z * z);
  return select(y, -y, x < 0.0);
}
fn expm1_s(x: f32) -> f32 { if (abs(x) < 1e-5) { return x + 0.5 * x * x; } return exp(x) - 1.0; }
fn log1p_s(x: f32) -> f32 {
  if (x < -1.0 || is_nan(x)) { return nan_f32(); }
  if (x == -1.0) { return -inf_f32(); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn clamp_nan(x: f32, lo: f32, hi: f32) -> f32 { if (is_nan(x)) { return x; } return min(max(x, lo), hi); }
fn max_nan(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return max(a, b); }
fn min_nan(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return min(a, b); }
fn pow_s(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  if (y == 1.0) { return x; }
  if (y == 2.0) { return x * x; }
  if (y == 0.5) { return sqrt_s(x); }
  if (y == -1.0) { return 1.0 / x; }
  let yi = trunc(y);
  let isInt = yi == y;
  if (x == 0.0) {
    if (y > 0.0) { return select(0.0, x, isInt && abs(yi % 2.0) == 1.0); }
    return select(inf_f32(), select(inf_f32(), -inf_f32(), bitcast<u32>(x) != 0u), isInt && abs(yi % 2.0) == 1.0);
  }
  let r = exp2(y * log2(abs(x)));
  if (x > 0.0) { return r; }
  if (!isInt) { return nan_f32(); }
  return select(r, -r, abs(yi % 2.0) == 1.0);
}
fn ipow(b: i32, e: i32) -> i32 {
  if (e < 0) { if (b == 1) { return 1; } if (b == -1) { return select(1, -1, (e & 1) == 1); } return 0; }
  var r = 1; var base = b; var k = e;
  loop { if (k == 0) { break; } if ((k & 1) == 1) { r = r * base; } base = base * base; k = k >> 1u; }
  return r;
}
fn floordiv_i(a: i32, b: i32) -> i32 { let q = a / b; return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0))); }
fn clamp_t(x: f32, lo: f32, hi: f32) -> f32 {
  if (is_nan(x) || is_nan(lo) || is_nan(hi)) { return nan_f32(); }
  return min(max(x, lo), hi);
}
// sin/cos with Cody-Waite reduction by pi/2 and cephes' float polynomials: GPU builtins only
// promise ~5e-4 absolute error (SwiftShader's are that coarse); builtins beyond |x| > 8192
fn sincos_q(x: f32, shift: i32) -> f32 {
  if (is_nan(x) || abs(x) > 8192.0) { return select(sin(x), cos(x), shift == 1); }
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8;
  let z = r * r;
  let sn = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let cs = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let q = (i32(k) + shift) & 3;
  if (q == 0) { return sn; }
  if (q == 1) { return cs; }
  if (q == 2) { return -sn; }
  return -cs;
}
// C fmod: x - trunc(x / y) * y, corrected when the rounded quotient is off by one
fn fmod_f(x: f32, y: f32) -> f32 {
  if (y == 0.0 || is_nan(x) || is_nan(y) || abs(x) == inf_f32()) { return nan_f32(); }
  if (abs(y) == inf_f32()) { return x; }
  var r = x - trunc(x / y) * y;
  if (r != 0.0 && (r < 0.0) != (x < 0.0)) { r += select(abs(y), -abs(y), x < 0.0); }
  if (abs(r) >= abs(y)) { r -= select(abs(y), -abs(y), x < 0.0); }
  return r;
}
fn pymod_f(x: f32, y: f32) -> f32 {
  let m = fmod_f(x, y);
  if (m != 0.0 && (y < 0.0) != (m < 0.0)) { return m + y; }
  return m;
}
fn pymod_i(x: i32, y: i32) -> i32 {
  let m = x % y;
  return select(m, m + y, m != 0 && ((y < 0) != (m < 0)));
}
fn sign_f(x: f32) -> f32 { return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0); }
`;

function isOperandFloat(o: Operand): boolean {
  if (typeof o === 'number') return !Number.isInteger(o);
  if (typeof o === 'boolean') return false;
  return isFloating(isViewOperand(o) ? o.tensor.dtype : o.dtype);
}

function scalarValue(o: Tensor | number | boolean): number {
  if (typeof o === 'boolean') return o ? 1 : 0;
  if (typeof o === 'number') return o;
  if (o.numel() !== 1) throw new Error(`a ${o.device} tensor of shape [${o.shape}] cannot be a scalar operand`);
  const v = Number(o.item());
  return v;
}

function convert(expr: string, from: WgslType, to: WgslType): string {
  if (from === to) return expr;
  if (to === 'u32') return from === 'f32' ? `select(0u, 1u, ${expr} != 0.0)` : `select(0u, 1u, ${expr} != 0)`;
  if (from === 'u32') return `${to}(${expr})`;
  return `${to}(${expr})`;
}

/**
 * Runs `op` over `operands` broadcast to `out`'s shape, writing `out` through `outView` (default:
 * the output tensor's own view). CPU tensors (0-d) and numbers become uniform scalars.
 */
export function runElementwise(be: WebGPUBackend, op: ElementwiseOp, operands: readonly Operand[], out: Tensor, outView?: View, named: Record<string, number> = {}): void {
  const ov: View = outView ?? { shape: [...out.shape], strides: [...out.strides], offset: out.offset };
  const n = numelOf(ov.shape);
  if (n === 0) return;
  const outType = storageType(out.dtype);
  let T: ComputeType;
  if (op.compute) T = op.compute;
  else if (outType === 'f32') T = 'f32';
  else if (outType === 'i32') T = 'i32';
  else T = op.bool && operands.some(isOperandFloat) ? 'f32' : 'i32';

  const tensors: { idx: number; t: Tensor; view: View }[] = [];
  const scalars: { idx: number; value: number }[] = [];
  operands.forEach((o, idx) => {
    if (typeof o === 'object' && isViewOperand(o)) tensors.push({ idx, t: o.tensor, view: o.view });
    else if (typeof o === 'object' && o.device !== 'cpu') tensors.push({ idx, t: o, view: broadcastView(o, ov.shape) });
    else scalars.push({ idx, value: scalarValue(o) });
  });
  const c = coalesce(ov.shape, [ov.strides, ...tensors.map((x) => x.view.strides)]);
  const rank = c.shape.length;
  const outContig = c.strides[0]!.every((s, d) => s === numelOf(c.shape.slice(d + 1)));

  const uniforms: UniformEntry[] = [
    { name: 'size', type: 'u32', value: n },
    { name: 'shape', type: 'u32', value: c.shape },
    { name: 'out_offset', type: 'u32', value: ov.offset },
  ];
  if (!outContig) uniforms.push({ name: 'out_strides', type: 'u32', value: c.strides[0]! });
  tensors.forEach((x, k) => {
    uniforms.push({ name: `x${x.idx}_strides`, type: 'u32', value: c.strides[k + 1]! });
    uniforms.push({ name: `x${x.idx}_offset`, type: 'u32', value: x.view.offset });
  });
  for (const s of scalars) uniforms.push({ name: `s${s.idx}`, type: T, value: s.value });
  for (const [k, v] of Object.entries(named)) uniforms.push({ name: k, type: T, value: v });

  const kinds = operands.map((o, i) => (scalars.some((s) => s.idx === i) ? 's' : 't')).join('');
  const p: Program = {
    name: `ew_${op.name}`,
    key: `${op.key ?? ''};${T};${kinds};${outContig ? 'c' : 's'}`,
    inputs: tensors.map((x) => ({ name: `x${x.idx}`, tensor: x.t })),
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: Math.ceil(n / 64),
    shader: (h) => {
      let body = `  if (global_idx >= uniforms.size) { return; }\n`;
      body += h.splitIndex('global_idx', 'shape', rank, 'i');
      const args: string[] = [];
      for (let i = 0; i < operands.length; i++) {
        const tt = tensors.find((x) => x.idx === i);
        if (tt) {
          const st = storageType(tt.t.dtype);
          body += `  let a${i} = ${convert(`x${i}[${h.offset(`x${i}_strides`, rank, 'i', `uniforms.x${i}_offset`)}]`, st, T)};\n`;
        } else body += `  let a${i} = uniforms.s${i};\n`;
        args.push(`a${i}`);
      }
      const outOff = outContig ? 'uniforms.out_offset + global_idx' : h.offset('out_strides', rank, 'i', 'uniforms.out_offset');
      const value = op.bool ? `select(0u, 1u, ${op.expr(args, T)})` : op.expr(args, T);
      body += `  y[${outOff}] = ${convert(value, op.bool ? 'u32' : T, outType)};\n`;
      return `${EW_LIB}\n${h.main(body)}`;
    },
  };
  be.run(p);
}

// ---------------------------------------------------------------- the ops

const lit = (v: number, T: ComputeType): string => (T === 'f32' ? `${v}.0`.replace(/\.(\d+)\.0$/, '.$1') : `${v}`);

type Unary = (x: string, T: ComputeType) => string;
const f = (fn: Unary) => (a: string[], T: ComputeType) => fn(a[0]!, T);

/** Unary ops: key -> expression over `x` (plus uniform scalars where the op has Scalar arguments). */
export const UNARY: Record<string, { expr: Unary; scalars?: string[]; bool?: boolean }> = {
  'aten::abs': { expr: (x) => `abs(${x})` },
  'aten::neg': { expr: (x) => `-${x}` },
  'aten::relu': { expr: (x, T) => `select(${x}, ${lit(0, T)}, ${x} < ${lit(0, T)})` },
  'aten::sigmoid': { expr: (x) => `sigmoid_s(${x})` },
  'aten::tanh': { expr: (x) => `tanh_s(${x})` },
  'aten::exp': { expr: (x) => `exp(${x})` },
  'aten::exp2': { expr: (x) => `exp2(${x})` },
  'aten::expm1': { expr: (x) => `expm1_s(${x})` },
  'aten::log': { expr: (x) => `log_s(${x})` },
  'aten::log2': { expr: (x) => `log2_s(${x})` },
  'aten::log10': { expr: (x) => `log_s(${x}) * 0.4342944819032518` },
  'aten::log1p': { expr: (x) => `log1p_s(${x})` },
  'aten::sqrt': { expr: (x) => `sqrt_s(${x})` },
  'aten::rsqrt': { expr: (x) => `(1.0 / sqrt_s(${x}))` },
  'aten::reciprocal': { expr: (x) => `(1.0 / ${x})` },
  'aten::square': { expr: (x) => `(${x} * ${x})` },
  'aten::sin': { expr: (x) => `sincos_q(${x}, 0)` },
  'aten::cos': { expr: (x) => `sincos_q(${x}, 1)` },
  'aten::atan': { expr: (x) => `atan(${x})` },
  'aten::erf': { expr: (x) => `erf_s(${x})` },
  'aten::floor': { expr: (x, T) => (T === 'f32' ? `floor(${x})` : x) },
  'aten::ceil': { expr: (x, T) => (T === 'f32' ? `ceil(${x})` : x) },
  'aten::trunc': { expr: (x, T) => (T === 'f32' ? `trunc(${x})` : x) },
  'aten::round': { expr: (x, T) => (T === 'f32' ? `round(${x})` : x) },
  'aten::sign': { expr: (x, T) => (T === 'f32' ? `sign_f(${x})` : `sign(${x})`) },
  'aten::silu': { expr: (x) => `(${x} / (1.0 + exp(-${x})))` },
  'aten::mish': { expr: (x) => `(${x} * tanh_s(select(log1p_s(exp(${x})), ${x}, ${x} > 20.0)))` },
  'gelu_none': { expr: (x) => `(0.5 * ${x} * (1.0 + erf_s(${x} * 0.7071067811865476)))` },
  'gelu_tanh': { expr: (x) => `(0.5 * ${x} * (1.0 + tanh_s(0.7978845608028654 * (${x} + 0.044715 * ${x} * ${x} * ${x}))))` },
  'aten::hardswish': { expr: (x) => `(${x} * min(max(${x} + 3.0, 0.0), 6.0) / 6.0)` },
  'aten::hardsigmoid': { expr: (x) => `(min(max(${x} + 3.0, 0.0), 6.0) / 6.0)` },
  'aten::relu6': { expr: (x, T) => (T === 'f32' ? `clamp_nan(${x}, 0.0, 6.0)` : `clamp(${x}, 0, 6)`) },
  'aten::hardtanh': { expr: (x, T) => (T === 'f32' ? `clamp_nan(${x}, uniforms.min_val, uniforms.max_val)` : `min(max(${x}, uniforms.min_val), uniforms.max_val)`), scalars: ['min_val', 'max_val'] },
  'aten::leaky_relu': { expr: (x) => `select(${x} * uniforms.negative_slope, ${x}, ${x} > 0.0)`, scalars: ['negative_slope'] },
  'aten::elu': {
    expr: (x) => `select(${x} * uniforms.scale, expm1_s(${x} * uniforms.input_scale) * (uniforms.alpha * uniforms.scale), ${x} <= 0.0)`,
    scalars: ['alpha', 'scale', 'input_scale'],
  },
  'aten::softplus': {
    expr: (x) => `select(log1p_s(exp(${x} * uniforms.beta)) / uniforms.beta, ${x}, ${x} * uniforms.beta > uniforms.threshold)`,
    scalars: ['beta', 'threshold'],
  },
  'aten::hardshrink': { expr: (x) => `select(${x}, 0.0, ${x} >= -uniforms.lambd && ${x} <= uniforms.lambd)`, scalars: ['lambd'] },
  'aten::threshold': { expr: (x) => `select(${x}, uniforms.value, ${x} <= uniforms.threshold)`, scalars: ['threshold', 'value'] },
  'aten::isnan': { expr: (x, T) => (T === 'f32' ? `is_nan(${x})` : 'false'), bool: true },
  'aten::logical_not': { expr: (x, T) => `(${x} == ${lit(0, T)})`, bool: true },
  'aten::log_sigmoid': { expr: (x) => `(min(${x}, 0.0) - log1p_s(exp(-abs(${x}))))` },
};

/** Binary and ternary ops over Tensor operands (Scalar overloads map their scalar to an operand). */
export const NARY: Record<string, { expr: (a: string[], T: ComputeType) => string; bool?: boolean; scalars?: string[]; compute?: ComputeType }> = {
  add: { expr: ([a, b]) => `(${a} + uniforms.alpha * ${b})`, scalars: ['alpha'] },
  sub: { expr: ([a, b]) => `(${a} - uniforms.alpha * ${b})`, scalars: ['alpha'] },
  rsub: { expr: ([a, b]) => `(${b} - uniforms.alpha * ${a})`, scalars: ['alpha'] },
  mul: { expr: ([a, b]) => `(${a} * ${b})` },
  div: { expr: ([a, b]) => `(${a} / ${b})` },
  div_trunc: { expr: ([a, b], T) => (T === 'f32' ? `trunc(${a} / ${b})` : `(${a} / ${b})`) },
  div_floor: { expr: ([a, b], T) => (T === 'f32' ? `floor(${a} / ${b})` : `floordiv_i(${a}, ${b})`) },
  pow: { expr: ([a, b], T) => (T === 'f32' ? `pow_s(${a}, ${b})` : `ipow(${a}, ${b})`) },
  maximum: { expr: ([a, b], T) => (T === 'f32' ? `max_nan(${a}, ${b})` : `max(${a}, ${b})`) },
  minimum: { expr: ([a, b], T) => (T === 'f32' ? `min_nan(${a}, ${b})` : `min(${a}, ${b})`) },
  eq: { expr: ([a, b]) => `(${a} == ${b})`, bool: true },
  ne: { expr: ([a, b]) => `(${a} != ${b})`, bool: true },
  lt: { expr: ([a, b]) => `(${a} < ${b})`, bool: true },
  le: { expr: ([a, b]) => `(${a} <= ${b})`, bool: true },
  gt: { expr: ([a, b]) => `(${a} > ${b})`, bool: true },
  ge: { expr: ([a, b]) => `(${a} >= ${b})`, bool: true },
  logical_and: { expr: ([a, b], T) => `(${a} != ${lit(0, T)} && ${b} != ${lit(0, T)})`, bool: true },
  logical_or: { expr: ([a, b], T) => `(${a} != ${lit(0, T)} || ${b} != ${lit(0, T)})`, bool: true },
  logical_xor: { expr: ([a, b], T) => `((${a} != ${lit(0, T)}) != (${b} != ${lit(0, T)}))`, bool: true },
  // where(cond, a, b): cond is loaded in the compute type too
  where: { expr: ([c, a, b], T) => `select(${b}, ${a}, ${c} != ${lit(0, T)})` },
  addcmul: { expr: ([x, a, b]) => `(${x} + uniforms.value * ${a} * ${b})`, scalars: ['value'] },
  addcdiv: { expr: ([x, a, b]) => `(${x} + uniforms.value * ${a} / ${b})`, scalars: ['value'] },
  lerp: { expr: ([s, e, w]) => `select(${e} - (${e} - ${s}) * (1.0 - ${w}), ${s} + ${w} * (${e} - ${s}), ${w} < 0.5)` },
  fmod: { expr: ([a, b], T) => (T === 'f32' ? `fmod_f(${a}, ${b})` : `(${a} % ${b})`) },
  remainder: { expr: ([a, b], T) => (T === 'f32' ? `pymod_f(${a}, ${b})` : `pymod_i(${a}, ${b})`) },
  prelu: { expr: ([x, w]) => `select(${w} * ${x}, ${x}, ${x} > 0.0)` },
  glu: { expr: ([a, b]) => `(${a} * sigmoid_s(${b}))` },
  bitwise_not: { expr: ([x], T) => (T === 'i32' ? `(~${x})` : `(~${x})`) },
  bitwise_not_bool: { expr: ([x], T) => `(${x} == ${lit(0, T)})`, bool: true },
  clamp: { expr: ([x, lo, hi], T) => (T === 'f32' ? `clamp_t(${x}, ${lo}, ${hi})` : `min(max(${x}, ${lo}), ${hi})`) },
  clamp_min: { expr: ([x, lo], T) => (T === 'f32' ? `select(max(${x}, ${lo}), nan_f32(), is_nan(${x}) || is_nan(${lo}))` : `max(${x}, ${lo})`) },
  clamp_max: { expr: ([x, hi], T) => (T === 'f32' ? `select(min(${x}, ${hi}), nan_f32(), is_nan(${x}) || is_nan(${hi}))` : `min(${x}, ${hi})`) },
};

