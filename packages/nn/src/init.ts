/**
 * torch.nn.init: in-place initialisers drawing from the seeded default generator exactly as
 * PyTorch 1.13's CPU kernels do, so `torch.manualSeed(s)` followed by building a module gives
 * PyTorch's parameter values.
 *
 * - `uniform_` on float32 draws one 32-bit word per element and uses its low 24 bits
 *   (`from + (to - from) * (u & 0xFFFFFF) * 2^-24`, in float32); float64 uses 53 bits of two words;
 *   float16 11 bits of one word.
 * - `normal_` on a contiguous tensor of at least 16 elements is PyTorch's `normal_fill`: all
 *   uniforms first, then Box-Muller over blocks of 16 (the last block recomputed with fresh
 *   uniforms when the size is not a multiple of 16). Smaller tensors use the scalar
 *   `normal_distribution<double>`, which caches the second value of each pair in the generator.
 */
import { Tensor, copyInto, defaultGenerator, isFloating, roundToF16, type MT19937, type DType } from '@torchlet/core';

type Gen = MT19937;

/** PyTorch keeps the spare Box-Muller value (next_double_normal_sample) in the generator. */
const spareNormal = new WeakMap<Gen, number>();
/** Forgets a cached Box-Muller value; `torch.manualSeed` calls this as PyTorch's reseed does. */
export function resetNormalCache(gen: Gen = defaultGenerator): void {
  spareNormal.delete(gen);
}

const f32 = Math.fround;

/** a * b + c with one rounding (PyTorch's AVX2 kernels are compiled with FMA contraction). */
function fma(a: number, b: number, c: number): number {
  const p = a * b;
  // Dekker's exact product: p + e === a * b
  const split = (x: number): [number, number] => {
    const t = 134217729 * x;
    const hi = t - (t - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a), [bh, bl] = split(b);
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // Knuth's two-sum of p + c
  const s = p + c;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb);
  return s + (err + e);
}

function double53(g: Gen): number {
  const hi = g.nextU32(), lo = g.nextU32();
  return ((hi & 0x1fffff) * 4294967296 + lo) * 2 ** -53;
}

function uniformFloat(g: Gen, dtype: DType): number {
  if (dtype === 'float64') return double53(g);
  if (dtype === 'float16') return (g.nextU32() & 0x7ff) * 2 ** -11;
  return (g.nextU32() & 0xffffff) * 2 ** -24;
}

function checkFloat(t: Tensor, what: string): void {
  if (!isFloating(t.dtype)) throw new TypeError(`${what}: expected a floating point tensor, got ${t.dtype}`);
}

/** Writes row-major `values` into `t` (any strides, any device). */
function writeValues(t: Tensor, values: Float64Array): void {
  if (t.device === 'cpu' && t.is_contiguous()) {
    const a = t.hostArray;
    const o = t.offset;
    if (t.dtype === 'float32') for (let i = 0; i < values.length; i++) a[o + i] = f32(values[i]!);
    else a.set(values, o);
    return;
  }
  const src = Tensor.fromArray(values, t.shape, 'float64');
  try {
    copyInto(t, src);
  } finally {
    src.dispose();
  }
}

function fill(t: Tensor, f: (i: number) => number): Tensor {
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = f(i);
  writeValues(t, v);
  return t;
}

/** Fills `t` with U(a, b), in place. */
export function uniform_(t: Tensor, a = 0, b = 1, generator: Gen = defaultGenerator): Tensor {
  checkFloat(t, 'uniform_');
  if (!(a <= b)) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${a} > to=${b}`);
  const dt = t.dtype;
  if (dt === 'float64') return fill(t, () => fma(double53(generator), b - a, a));
  if (dt === 'float16') {
    const from = roundToF16(a), to = roundToF16(b);
    const span = roundToF16(to - from);
    return fill(t, () => roundToF16(f32(uniformFloat(generator, dt) * span + from)));
  }
  const from = f32(a), to = f32(b);
  const span = f32(to - from);
  return fill(t, () => f32(((generator.nextU32() & 0xffffff) * 2 ** -24) * span + from));
}

function scalarNormal(g: Gen): number {
  const spare = spareNormal.get(g);
  if (spare !== undefined) {
    spareNormal.delete(g);
    return spare;
  }
  const u1 = double53(g), u2 = double53(g);
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  spareNormal.set(g, r * Math.sin(theta));
  return r * Math.cos(theta);
}

const TWO_PI_F32 = f32(2 * Math.PI);

/** PyTorch's normal_fill: uniforms for every element, then Box-Muller in blocks of 16. */
function normalFill(g: Gen, n: number, dtype: DType, mean: number, std: number): Float64Array {
  const d = new Float64Array(n);
  const single = dtype !== 'float64';
  for (let i = 0; i < n; i++) d[i] = uniformFloat(g, dtype);
  const block = (base: number): void => {
    for (let j = 0; j < 8; j++) {
      if (single) {
        const u1 = f32(1 - d[base + j]!), u2 = d[base + j + 8]!;
        const radius = f32(Math.sqrt(f32(-2 * f32(Math.log(u1)))));
        const theta = f32(TWO_PI_F32 * u2);
        const m = f32(mean), s = f32(std);
        d[base + j] = f32(f32(radius * f32(Math.cos(theta))) * s + m);
        d[base + j + 8] = f32(f32(radius * f32(Math.sin(theta))) * s + m);
      } else {
        const u1 = 1 - d[base + j]!, u2 = d[base + j + 8]!;
        const radius = Math.sqrt(-2 * Math.log(u1));
        const theta = 2 * Math.PI * u2;
        d[base + j] = radius * Math.cos(theta) * std + mean;
        d[base + j + 8] = radius * Math.sin(theta) * std + mean;
      }
    }
  };
  for (let i = 0; i + 16 <= n; i += 16) block(i);
  if (n % 16 !== 0) {
    const base = n - 16;
    for (let i = 0; i < 16; i++) d[base + i] = uniformFloat(g, dtype);
    block(base);
  }
  return d;
}

/** Fills `t` with N(mean, std^2), in place. */
export function normal_(t: Tensor, mean = 0, std = 1, generator: Gen = defaultGenerator): Tensor {
  checkFloat(t, 'normal_');
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const n = t.numel();
  if (n >= 16 && t.is_contiguous()) {
    writeValues(t, normalFill(generator, n, t.dtype, mean, std));
    return t;
  }
  return fill(t, () => scalarNormal(generator) * std + mean);
}

/** Fills `t` with `val`, in place. */
export function constant_(t: Tensor, val: number): Tensor {
  return fill(t, () => val);
}
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Identity matrix into a 2-D tensor, in place. */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const cols = t.shape[1]!;
  return fill(t, (i) => (Math.floor(i / cols) === i % cols ? 1 : 0));
}

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculate_gain(nonlinearity: Nonlinearity, param?: number | null): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'leaky_relu': {
      const slope = param === undefined || param === null ? 0.01 : param;
      if (typeof slope !== 'number' || Number.isNaN(slope)) throw new TypeError(`negative_slope ${String(param)} not a valid number`);
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case 'selu':
      return 3.0 / 4;
    default:
      throw new RangeError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** [fan_in, fan_out] of a weight: dim 1 and dim 0 times the receptive field (dims 2..). */
export function _calculate_fan_in_and_fan_out(t: { shape: readonly number[] }): [number, number] {
  const shape = t.shape;
  if (shape.length < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return [shape[1]! * receptive, shape[0]! * receptive];
}

function correctFan(t: Tensor, mode: 'fan_in' | 'fan_out'): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new RangeError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(t);
  return mode === 'fan_in' ? fanIn : fanOut;
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
  generator?: Gen;
}

/** He et al. uniform init: U(-b, b) with b = gain * sqrt(3 / fan). */
export function kaiming_uniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu', generator } = options;
  if (t.shape.includes(0)) return t;
  const fan = correctFan(t, mode);
  const gain = calculate_gain(nonlinearity, a);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound, generator);
}

/** He et al. normal init: N(0, (gain / sqrt(fan))^2). */
export function kaiming_normal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu', generator } = options;
  if (t.shape.includes(0)) return t;
  const fan = correctFan(t, mode);
  const gain = calculate_gain(nonlinearity, a);
  return normal_(t, 0, gain / Math.sqrt(fan), generator);
}

/** Glorot uniform init: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavier_uniform_(t: Tensor, gain = 1.0, generator?: Gen): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(t);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a, generator);
}

/** Glorot normal init: N(0, gain^2 * 2 / (fan_in + fan_out)). */
export function xavier_normal_(t: Tensor, gain = 1.0, generator?: Gen): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(t);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(t, 0, std, generator);
}
