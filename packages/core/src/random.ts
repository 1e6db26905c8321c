/**
 * PyTorch's CPU generator and the sampling algorithms of PyTorch 1.13's CPU kernels, so that
 * `torch.manualSeed(s)` followed by `torch.rand`, `randn`, `randint`, `randperm`, `normal`,
 * `bernoulli`, ... reproduces PyTorch's values:
 *
 * - the generator is a 32-bit Mersenne Twister seeded like at::mt19937 (the low 32 bits of the seed);
 *   a 64-bit draw is two 32-bit words, high word first;
 * - uniform floats use the low 24 bits of one word (float32), 11 bits (float16) or the low 53 bits
 *   of a 64-bit draw (float64): `from + (to - from) * bits * 2^-digits`;
 * - normal on a contiguous tensor of at least 16 elements fills uniforms first, then applies
 *   Box-Muller in blocks of 16 (`data[j] = r cos`, `data[j + 8] = r sin`, u1 = 1 - data[j]), the
 *   last partial block recomputed from 16 fresh uniforms; smaller or strided tensors draw
 *   `normal_distribution<double>` per element, which keeps the spare sin value in the generator;
 * - integers in [low, high) are `low + word % (high - low)` (a 64-bit draw when the range is 2^32
 *   or more); randperm swaps `r[i]` with `r[i + word % (n - i)]`.
 */
import type { DType } from './dtype.js';

export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private idx = 625;
  /** PyTorch's next_double_normal_sample: the spare Box-Muller value */
  private spareDouble: number | undefined;
  /** PyTorch's next_float_normal_sample */
  private spareFloat: number | undefined;
  private seedValue = 0;

  constructor(seed: number | bigint = 5489) {
    this.seed(seed);
  }

  /** Reseeds (PyTorch's set_current_seed): the state and the cached normal samples are reset. */
  seed(seed: number | bigint): void {
    const s = Number(BigInt.asUintN(32, BigInt(seed)));
    this.seedValue = s;
    const mt = this.mt;
    mt[0] = s;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.idx = 624;
    this.spareDouble = undefined;
    this.spareFloat = undefined;
  }

  /** The seed this generator was last seeded with (low 32 bits). */
  initialSeed(): number {
    return this.seedValue;
  }

  nextU32(): number {
    const mt = this.mt;
    if (this.idx >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.idx = 0;
    }
    let y = mt[this.idx++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A 64-bit draw (two words, high first) as a BigInt. */
  nextU64(): bigint {
    const hi = this.nextU32(), lo = this.nextU32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** uniform in [0, 1) with 24 bits (PyTorch's uniform_real_distribution<float>) */
  nextFloat(): number {
    return (this.nextU32() & 0xffffff) * 2 ** -24;
  }

  /** uniform in [0, 1) with 53 bits of a 64-bit draw (uniform_real_distribution<double>) */
  nextDouble(): number {
    const hi = this.nextU32(), lo = this.nextU32();
    return ((hi & 0x1fffff) * 4294967296 + lo) * 2 ** -53;
  }

  /** uniform in [0, 1) with 11 bits (float16) */
  nextHalf(): number {
    return (this.nextU32() & 0x7ff) * 2 ** -11;
  }

  /** Standard normal from normal_distribution<double>: Box-Muller with the spare value cached. */
  nextNormal(): number {
    if (this.spareDouble !== undefined) {
      const v = this.spareDouble;
      this.spareDouble = undefined;
      return v;
    }
    const u1 = this.nextDouble(), u2 = this.nextDouble();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.spareDouble = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Standard normal from normal_distribution<float> (float math, its own spare value). */
  nextNormalFloat(): number {
    if (this.spareFloat !== undefined) {
      const v = this.spareFloat;
      this.spareFloat = undefined;
      return v;
    }
    const f = Math.fround;
    const u1 = this.nextFloat(), u2 = this.nextFloat();
    const r = f(Math.sqrt(f(-2 * f(Math.log(f(1 - u2))))));
    const theta = f(f(2 * f(Math.PI)) * u1);
    this.spareFloat = f(r * f(Math.sin(theta)));
    return f(r * f(Math.cos(theta)));
  }

  /** A copy of the full state (for get_rng_state-style save/restore). */
  getState(): { mt: Uint32Array; idx: number; spareDouble: number | undefined; spareFloat: number | undefined; seed: number } {
    return { mt: this.mt.slice(), idx: this.idx, spareDouble: this.spareDouble, spareFloat: this.spareFloat, seed: this.seedValue };
  }

  setState(s: { mt: Uint32Array; idx: number; spareDouble?: number | undefined; spareFloat?: number | undefined; seed?: number }): void {
    this.mt.set(s.mt);
    this.idx = s.idx;
    this.spareDouble = s.spareDouble;
    this.spareFloat = s.spareFloat;
    if (s.seed !== undefined) this.seedValue = s.seed;
  }
}

/** PyTorch's default_rng_seed_val (67280421310721), truncated to 32 bits as at::mt19937 does. */
export const defaultGenerator = new MT19937(67280421310721n);

export function manualSeed(seed: number | bigint): void {
  defaultGenerator.seed(seed);
}

/** The generator passed to an op (a `generator=` kwarg) or the default one. */
export function generatorOf(g: unknown): MT19937 {
  if (g === null || g === undefined) return defaultGenerator;
  if (g instanceof MT19937) return g;
  throw new TypeError(`expected a torchlet MT19937 generator, got ${typeof g}`);
}

// ---------------------------------------------------------------- sampling algorithms

const f32 = Math.fround;

/** a * b + c with one rounding (PyTorch's AVX2 kernels are compiled with FMA contraction). */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const split = (x: number): [number, number] => {
    const t = 134217729 * x;
    const hi = t - (t - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a), [bh, bl] = split(b);
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  return s + (err + e);
}

/** uniform_(from, to) values for `n` elements of a floating dtype, in order. */
export function uniformValues(g: MT19937, n: number, dtype: DType, from = 0, to = 1): Float64Array {
  const out = new Float64Array(n);
  if (dtype === 'float64') {
    const span = to - from;
    for (let i = 0; i < n; i++) out[i] = fma(g.nextDouble(), span, from);
  } else if (dtype === 'float16') {
    // dist_acctype<Half> is float: x * (to - from) + from in float32
    for (let i = 0; i < n; i++) out[i] = f32(g.nextHalf() * f32(f32(to) - f32(from)) + f32(from));
  } else {
    const a = f32(from), span = f32(f32(to) - a);
    for (let i = 0; i < n; i++) out[i] = f32(g.nextFloat() * span + a);
  }
  return out;
}

function uniformUnit(g: MT19937, dtype: DType): number {
  return dtype === 'float64' ? g.nextDouble() : dtype === 'float16' ? g.nextHalf() : g.nextFloat();
}

/** normal_(mean, std) values for `n` elements: normal_fill for contiguous n >= 16, else per element. */
export function normalValues(g: MT19937, n: number, dtype: DType, mean = 0, std = 1, contiguous = true): Float64Array {
  const d = new Float64Array(n);
  if (!(n >= 16 && contiguous)) {
    for (let i = 0; i < n; i++) d[i] = g.nextNormal() * std + mean;
    return d;
  }
  const single = dtype !== 'float64';
  for (let i = 0; i < n; i++) d[i] = uniformUnit(g, dtype);
  const m = single ? f32(mean) : mean, s = single ? f32(std) : std;
  const twoPi = single ? f32(2 * Math.PI) : 2 * Math.PI;
  const block = (base: number): void => {
    for (let j = 0; j < 8; j++) {
      if (single) {
        const u1 = f32(1 - d[base + j]!), u2 = d[base + j + 8]!;
        const radius = f32(Math.sqrt(f32(-2 * f32(Math.log(u1)))));
        const theta = f32(twoPi * u2);
        d[base + j] = f32(f32(radius * f32(Math.cos(theta))) * s + m);
        d[base + j + 8] = f32(f32(radius * f32(Math.sin(theta))) * s + m);
      } else {
        const u1 = 1 - d[base + j]!, u2 = d[base + j + 8]!;
        const radius = Math.sqrt(-2 * Math.log(u1));
        const theta = twoPi * u2;
        d[base + j] = radius * Math.cos(theta) * s + m;
        d[base + j + 8] = radius * Math.sin(theta) * s + m;
      }
    }
  };
  for (let i = 0; i + 16 <= n; i += 16) block(i);
  if (n % 16 !== 0) {
    const base = n - 16;
    for (let i = 0; i < 16; i++) d[base + i] = uniformUnit(g, dtype);
    block(base);
  }
  return d;
}

/** random_(from, to): `from + draw % (to - from)`, with a 64-bit draw for ranges of 2^32 or more. */
export function randintValues(g: MT19937, n: number, low: number, high: number, dtype: DType): Float64Array {
  const range = high - low;
  const out = new Float64Array(n);
  const wide = range >= 2 ** 32 && (dtype === 'int64' || dtype === 'float64' || dtype === 'float32');
  if (wide) {
    const r = BigInt(range);
    for (let i = 0; i < n; i++) out[i] = Number(g.nextU64() % r) + low;
  } else {
    for (let i = 0; i < n; i++) out[i] = (g.nextU32() % range) + low;
  }
  return out;
}

/** randperm(n): the identity permutation shuffled by `swap(r[i], r[i + word % (n - i)])`. */
export function randpermValues(g: MT19937, n: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = g.nextU32() % (n - i);
    const t = r[i]!;
    r[i] = r[z + i]!;
    r[z + i] = t;
  }
  return r;
}

/** bernoulli with a scalar p: uniform double < p per element. */
export function bernoulliScalarValues(g: MT19937, n: number, p: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = g.nextDouble() < p ? 1 : 0;
  return out;
}

/** bernoulli with per-element probabilities: a float uniform (a double one for float64 p) < p. */
export function bernoulliTensorValues(g: MT19937, p: ArrayLike<number>, pIsDouble: boolean): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = (pIsDouble ? g.nextDouble() : g.nextFloat()) < p[i]! ? 1 : 0;
  return out;
}
