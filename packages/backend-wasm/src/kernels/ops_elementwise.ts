/**
 * Registry glue for elementwise ops, activations, normalisation, softmax and reductions.
 */
import type { Args, Tensor } from '@torchlet/core';
import {
  B_ADD, B_DIV, B_MAX, B_MIN, B_MUL, B_SUB, R_LOGSOFTMAX, R_MAX, R_MEAN, R_MIN, R_SOFTMAX, R_SUM, U_ABS, U_CLAMP, U_ELU, U_ERF, U_EXP, U_GELU,
  U_GELU_TANH, U_HARDSIGMOID, U_HARDSWISH, U_LEAKY, U_LOG, U_NEG, U_RECIP, U_RELU, U_RSQRT, U_SIGMOID, U_SILU, U_SQRT, U_TANH,
} from '../../assembly/abi.js';
import type { Scratch } from '../context.js';
import type { WasmRuntime } from '../runtime.js';
import { binary, channelAffine, layerNorm, reduce, unary } from './reduce.js';
import { isF32, minWork, register } from './registry.js';

const MAX_DIMS = 4;

/** A float32 operand of a broadcasting op: its data in wasm memory and strides aligned to `shape`. */
function operand(s: Scratch, t: Tensor, shape: readonly number[]): { ptr: number; strides: number[] } | undefined {
  const r = shape.length;
  if (t.ndim === 0 || t.numel() === 1) {
    // a scalar (0-d or wrapped number): one float, stride 0 everywhere
    const p = s.alloc(4);
    s.rt.f32[p >> 2] = Number(t.hostArray[t.offset]);
    return { ptr: p, strides: new Array<number>(r).fill(0) };
  }
  if (t.dtype !== 'float32') return undefined;
  const a = t.hostArray;
  let ptr: number, st: number[];
  if (s.rt.owns(a)) {
    ptr = a.byteOffset + t.offset * 4;
    st = [...t.strides];
  } else {
    ptr = s.input(t);
    st = new Array<number>(t.ndim);
    let k = 1;
    for (let d = t.ndim - 1; d >= 0; d--) {
      st[d] = k;
      k *= t.shape[d]!;
    }
  }
  const strides = new Array<number>(r).fill(0);
  for (let i = 0; i < t.ndim; i++) {
    const d = r - t.ndim + i;
    strides[d] = t.shape[i] === 1 ? 0 : st[i]!;
  }
  return { ptr, strides };
}

/** Merges adjacent dims where both operands (and the contiguous output) are contiguous across them. */
function collapse(shape: number[], sa: number[], sb: number[]): { shape: number[]; sa: number[]; sb: number[] } {
  const S: number[] = [], A: number[] = [], B: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = S.length - 1;
    if (k >= 0 && A[k] === sa[d]! * shape[d]! && B[k] === sb[d]! * shape[d]!) {
      S[k]! *= shape[d]!;
      A[k] = sa[d]!;
      B[k] = sb[d]!;
    } else {
      S.push(shape[d]!);
      A.push(sa[d]!);
      B.push(sb[d]!);
    }
  }
  if (S.length === 0) return { shape: [1], sa: [0], sb: [0] };
  return { shape: S, sa: A, sb: B };
}

function runBinary(rt: WasmRuntime, s: Scratch, op: number, x: Tensor, y: Tensor, out: Tensor, alpha = 1): boolean {
  if (out.dtype !== 'float32' || out.numel() < minWork()) return false;
  if ((x.dtype !== 'float32' && !(x.isWrappedNumber || x.ndim === 0)) || (y.dtype !== 'float32' && !(y.isWrappedNumber || y.ndim === 0))) return false;
  const a = operand(s, x, out.shape), b = operand(s, y, out.shape);
  if (!a || !b) return false;
  const c = collapse(out.shape, a.strides, b.strides);
  binaryNd(rt, op, a.ptr, b.ptr, s.output(out), c.shape, c.sa, c.sb, alpha);
  return true;
}

/** binary() over any number of dims: leading dims past the kernel's 4 are looped here. */
function binaryNd(rt: WasmRuntime, op: number, pa: number, pb: number, po: number, shape: number[], sa: number[], sb: number[], alpha: number): void {
  const extra = shape.length - MAX_DIMS;
  if (extra <= 0) {
    binary(rt, op, pa, pb, po, shape, sa, sb, alpha);
    return;
  }
  const outer = shape.slice(0, extra), inner = shape.slice(extra);
  const innerN = inner.reduce((x, y) => x * y, 1);
  const idx = new Array<number>(extra).fill(0);
  const total = outer.reduce((x, y) => x * y, 1);
  for (let i = 0; i < total; i++) {
    let oa = 0, ob = 0;
    for (let d = 0; d < extra; d++) {
      oa += idx[d]! * sa[d]!;
      ob += idx[d]! * sb[d]!;
    }
    binary(rt, op, pa + oa * 4, pb + ob * 4, po + i * innerN * 4, inner, sa.slice(extra), sb.slice(extra), alpha);
    for (let d = extra - 1; d >= 0; d--) {
      if (++idx[d]! < outer[d]!) break;
      idx[d] = 0;
    }
  }
}

const bin = (op: number) => (rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean => runBinary(rt, s, op, a.self, a.other, outs[0]!, op === B_ADD || op === B_SUB ? (a.alpha as number) : 1);

function runUnary(rt: WasmRuntime, s: Scratch, op: number, x: Tensor, out: Tensor, p0 = 0, p1 = 0): boolean {
  if (!isF32(x, out) || x.numel() < minWork()) return false;
  unary(rt, op, s.input(x), s.output(out), x.numel(), p0, p1);
  return true;
}
const un = (op: number) => (rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean => runUnary(rt, s, op, a.self, outs[0]!);

/** (outer, r, inner) of reducing the contiguous dims [d0, d1) of `shape`. */
function split(shape: readonly number[], d0: number, d1: number): [number, number, number] {
  const p = (a: number, b: number): number => shape.slice(a, b).reduce((x, y) => x * y, 1);
  return [p(0, d0), p(d0, d1), p(d1, shape.length)];
}

/** The reduced dims as one contiguous range, or undefined. */
function dimRange(dims: number[] | null, ndim: number): [number, number] | undefined {
  if (!dims || dims.length === 0) return [0, ndim];
  const ds = [...new Set(dims.map((d) => (d < 0 ? d + ndim : d)))].sort((a, b) => a - b);
  if (ds.some((d) => d < 0 || d >= ndim)) return undefined;
  for (let i = 1; i < ds.length; i++) if (ds[i] !== ds[i - 1]! + 1) return undefined;
  return [ds[0]!, ds[ds.length - 1]! + 1];
}

function runReduce(rt: WasmRuntime, s: Scratch, op: number, x: Tensor, dims: number[] | null, out: Tensor, dtype: string | null): boolean {
  if (!isF32(x, out) || (dtype && dtype !== 'float32') || x.numel() < minWork()) return false;
  if (x.ndim === 0) return false;
  const rng = dimRange(dims, x.ndim);
  if (!rng) return false;
  const [o, r, i] = split(x.shape, rng[0], rng[1]);
  if (r === 0) return false;
  reduce(rt, s.input(x), s.output(out), op, o, r, i);
  return true;
}

function runSoftmax(rt: WasmRuntime, s: Scratch, log: boolean, x: Tensor, dim: number, out: Tensor, dtype: string | null): boolean {
  if (!isF32(x, out) || (dtype && dtype !== 'float32') || x.numel() < minWork() || x.ndim === 0) return false;
  const d = dim < 0 ? dim + x.ndim : dim;
  const [o, r, i] = split(x.shape, d, d + 1);
  reduce(rt, s.input(x), s.output(out), log ? R_LOGSOFTMAX : R_SOFTMAX, o, r, i);
  return true;
}

export function registerElementwiseOps(): void {
  register('aten::add.Tensor', bin(B_ADD));
  register('aten::sub.Tensor', bin(B_SUB));
  register('aten::mul.Tensor', bin(B_MUL));
  register('aten::div.Tensor', bin(B_DIV));
  register('aten::maximum', bin(B_MAX));
  // Scalar overloads: the scalar as a wrapped 0-d operand
  const scalarBin = (op: number) => (rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean => {
    if (typeof a.other !== 'number' || (op === B_ADD || op === B_SUB ? typeof a.alpha !== 'number' : false)) return false;
    const x = a.self as Tensor, out = outs[0]!;
    if (x.dtype !== 'float32' || out.dtype !== 'float32') return false;
    const c = s.alloc(4);
    rt.f32[c >> 2] = a.other;
    const xo = operand(s, x, out.shape);
    if (!xo || out.numel() < minWork()) return false;
    const k = collapse(out.shape, xo.strides, new Array<number>(out.ndim).fill(0));
    binaryNd(rt, op, xo.ptr, c, s.output(out), k.shape, k.sa, k.sb, op === B_ADD || op === B_SUB ? (a.alpha as number) : 1);
    return true;
  };
  register('aten::add.Scalar', scalarBin(B_ADD));
  register('aten::sub.Scalar', scalarBin(B_SUB));
  register('aten::mul.Scalar', scalarBin(B_MUL));
  register('aten::div.Scalar', scalarBin(B_DIV));
  register('aten::minimum', bin(B_MIN));

  register('aten::relu', un(U_RELU));
  register('aten::sigmoid', un(U_SIGMOID));
  register('aten::tanh', un(U_TANH));
  register('aten::exp', un(U_EXP));
  register('aten::log', un(U_LOG));
  register('aten::silu', un(U_SILU));
  register('aten::hardswish', un(U_HARDSWISH));
  register('aten::hardsigmoid', un(U_HARDSIGMOID));
  register('aten::neg', un(U_NEG));
  register('aten::abs', un(U_ABS));
  register('aten::sqrt', un(U_SQRT));
  register('aten::rsqrt', un(U_RSQRT));
  register('aten::reciprocal', un(U_RECIP));
  register('aten::erf', un(U_ERF));
  register('aten::gelu', (rt, s, a, outs) => runUnary(rt, s, a.approximate === 'tanh' ? U_GELU_TANH : U_GELU, a.self, outs[0]!));
  register('aten::relu6', (rt, s, a, outs) => runUnary(rt, s, U_CLAMP, a.self, outs[0]!, 0, 6));
  register('aten::hardtanh', (rt, s, a, outs) => runUnary(rt, s, U_CLAMP, a.self, outs[0]!, a.min_val, a.max_val));
  register('aten::clamp', (rt, s, a, outs) => {
    if (typeof a.min === 'boolean' || typeof a.max === 'boolean') return false;
    if (a.min !== null && a.max !== null && a.min > a.max) return false;
    return runUnary(rt, s, U_CLAMP, a.self, outs[0]!, a.min ?? -Infinity, a.max ?? Infinity);
  });
  register('aten::leaky_relu', (rt, s, a, outs) => runUnary(rt, s, U_LEAKY, a.self, outs[0]!, a.negative_slope));
  register('aten::elu', (rt, s, a, outs) => (a.scale === 1 && a.input_scale === 1 ? runUnary(rt, s, U_ELU, a.self, outs[0]!, a.alpha) : false));

  // ---- normalisation
  register('aten::native_batch_norm', (rt, s, a, outs) => {
    const x = a.input as Tensor, out = outs[0]!;
    const w = a.weight as Tensor | null, b = a.bias as Tensor | null, m = a.running_mean as Tensor | null, v = a.running_var as Tensor | null;
    if (a.training || !m || !v || !isF32(x, w, b, m, v) || x.ndim < 2 || x.numel() < minWork()) return false;
    const C = x.shape[1]!;
    const inner = x.numel() / Math.max(1, x.shape[0]! * C);
    const scale = s.alloc(C * 4), shift = s.alloc(C * 4);
    const W = w?.contiguousArray(), B = b?.contiguousArray(), M = m.contiguousArray(), V = v.contiguousArray();
    const f = rt.f32;
    for (let c = 0; c < C; c++) {
      const sc = (W ? W[c]! : 1) / Math.sqrt(V[c]! + (a.eps as number));
      f[(scale >> 2) + c] = sc;
      f[(shift >> 2) + c] = (B ? B[c]! : 0) - M[c]! * sc;
    }
    channelAffine(rt, s.input(x), s.output(out), scale, shift, C, inner, x.shape[0]! * C);
    return true;
  });
  register('aten::native_layer_norm', (rt, s, a, outs) => {
    const x = a.input as Tensor, w = a.weight as Tensor | null, b = a.bias as Tensor | null;
    const [out, mean, rstd] = outs as [Tensor, Tensor, Tensor];
    if (!isF32(x, w, b) || x.numel() < minWork()) return false;
    const D = (a.normalized_shape as number[]).reduce((p, q) => p * q, 1);
    if (D === 0) return false;
    const rows = x.numel() / D;
    layerNorm(rt, s.input(x), s.output(out), w ? s.input(w) : 0, b ? s.input(b) : 0, rows, D, a.eps as number, s.output(mean), s.output(rstd));
    return true;
  });

  // ---- softmax and reductions
  register('aten::softmax.int', (rt, s, a, outs) => runSoftmax(rt, s, false, a.self, a.dim, outs[0]!, a.dtype));
  register('aten::_softmax', (rt, s, a, outs) => (a.half_to_float ? false : runSoftmax(rt, s, false, a.self, a.dim, outs[0]!, null)));
  register('aten::log_softmax.int', (rt, s, a, outs) => runSoftmax(rt, s, true, a.self, a.dim, outs[0]!, a.dtype));
  register('aten::_log_softmax', (rt, s, a, outs) => (a.half_to_float ? false : runSoftmax(rt, s, true, a.self, a.dim, outs[0]!, null)));
  register('aten::sum', (rt, s, a, outs) => runReduce(rt, s, R_SUM, a.self, null, outs[0]!, a.dtype));
  register('aten::sum.dim_IntList', (rt, s, a, outs) => runReduce(rt, s, R_SUM, a.self, a.dim, outs[0]!, a.dtype));
  register('aten::mean', (rt, s, a, outs) => runReduce(rt, s, R_MEAN, a.self, null, outs[0]!, a.dtype));
  register('aten::mean.dim', (rt, s, a, outs) => runReduce(rt, s, R_MEAN, a.self, a.dim, outs[0]!, a.dtype));
  register('aten::amax', (rt, s, a, outs) => runReduce(rt, s, R_MAX, a.self, a.dim, outs[0]!, null));
  register('aten::amin', (rt, s, a, outs) => runReduce(rt, s, R_MIN, a.self, a.dim, outs[0]!, null));
}
