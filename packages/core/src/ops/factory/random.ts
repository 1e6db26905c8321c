import { copyInto } from '../../dispatch.js';
import { isFloating, type DType } from '../../dtype.js';
import { defineOp, type Args, type CpuKernel, type OutSpec } from '../../registry.js';
import { broadcastShapes, contiguousStrides } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { broadcastStrides } from '../../cpu/pointwise.js';
import { castFn, stridedCopy } from '../../cpu/shape_copy.js';
import {
  bernoulliScalarValues, bernoulliTensorValues, generatorOf, normalValues, randintValues, randpermValues, uniformValues,
} from '../../random.js';
import { dtypeArg, likeSpec, sizeSpec } from './common.js';

const KW = 'ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None';
const LONG_KW = 'ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None';
const LIKE_KW = `${KW}, MemoryFormat? memory_format=None`;

const NAMES: Record<DType, string> = { float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool' };
function needFloat(dtype: DType, kernel: string): void {
  if (!isFloating(dtype)) throw new TypeError(`"${kernel}" not implemented for '${NAMES[dtype]}'`);
}

/**
 * The order in which PyTorch's TensorIterator visits the elements of an output: dims sorted by
 * decreasing stride (memory order), ties keeping their order. Random fills draw in this order.
 */
function iterationOrder(t: Tensor): { shape: number[]; strides: number[] } {
  const dims = t.shape.map((_, i) => i).filter((d) => t.shape[d]! !== 1);
  dims.sort((x, y) => t.strides[y]! - t.strides[x]! || x - y);
  return { shape: dims.map((d) => t.shape[d]!), strides: dims.map((d) => t.strides[d]!) };
}

/** Writes values, given in TensorIterator order, into `t`. */
function writeValues(t: Tensor, values: Float64Array): void {
  if (t.is_contiguous()) {
    t.hostArray.set(values, t.offset);
    return;
  }
  const o = iterationOrder(t);
  const cast = castFn(t.dtype);
  stridedCopy(t.hostArray, t.offset, o.strides, values, 0, contiguousStrides(o.shape), o.shape, cast);
}

/** Reads `x` broadcast to `t`'s shape, in `t`'s TensorIterator order. */
function readInOrder(x: Tensor, t: Tensor): Float64Array {
  const full = Tensor.empty(t.shape, 'float64');
  try {
    copyInto(full, x);
    if (t.is_contiguous()) return Float64Array.from(full.hostArray);
    // permute the (contiguous) expanded copy like t
    const dims = t.shape.map((_, i) => i).filter((d) => t.shape[d]! !== 1);
    dims.sort((a, b) => t.strides[b]! - t.strides[a]! || a - b);
    const fs = contiguousStrides(t.shape);
    const shape = dims.map((d) => t.shape[d]!), strides = dims.map((d) => fs[d]!);
    const out = new Float64Array(t.numel());
    stridedCopy(out, 0, contiguousStrides(shape), full.hostArray, 0, strides, shape);
    return out;
  } finally {
    full.dispose();
  }
}

// ---------------------------------------------------------------- uniform

function checkUniform(from: number, to: number): void {
  if (!(from <= to)) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
}
const randKernel: CpuKernel = (a, [out]) => {
  needFloat(out!.dtype, 'check_uniform_bounds');
  out!.hostArray.set(uniformValues(generatorOf(a.generator), out!.numel(), out!.dtype));
};
const randInfer = (a: Args): OutSpec => {
  const s = sizeSpec(a.size, dtypeArg(a.dtype, 'float32'));
  needFloat(s.dtype, 'check_uniform_bounds');
  return s;
};

/** Uniform [0, 1) samples; `torch.manualSeed(s)` then `torch.rand(...)` matches PyTorch's CPU values. */
export const rand = defineOp({
  name: 'rand',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    { schema: `aten::rand(int[] size, *, ${KW}) -> Tensor`, infer: randInfer, cpu: randKernel },
    { schema: `aten::rand.generator(int[] size, *, Generator? generator, ${KW}) -> Tensor`, infer: randInfer, cpu: randKernel },
  ],
});

export const rand_like = defineOp({
  name: 'rand_like',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    {
      schema: `aten::rand_like(Tensor self, *, ${LIKE_KW}) -> Tensor`,
      infer: (a) => {
        const s = likeSpec(a);
        needFloat(s.dtype, 'check_uniform_bounds');
        return s;
      },
      cpu: randKernel,
    },
  ],
});

export const uniform_ = defineOp({
  name: 'uniform_',
  variants: ['method'],
  tags: ['inplace', 'nondeterministic'],
  overloads: [
    {
      schema: 'aten::uniform_(Tensor(a!) self, float from=0., float to=1., *, Generator? generator=None) -> Tensor(a!)',
      cpuDynamic: (a) => {
        const self = a.self as Tensor;
        needFloat(self.dtype, 'check_uniform_bounds');
        checkUniform(a.from, a.to);
        writeValues(self, uniformValues(generatorOf(a.generator), self.numel(), self.dtype, a.from, a.to));
        return self;
      },
    },
  ],
});

// ---------------------------------------------------------------- normal

function checkStd(std: number): void {
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
}
const randnKernel: CpuKernel = (a, [out]) => {
  needFloat(out!.dtype, 'normal_kernel_cpu');
  out!.hostArray.set(normalValues(generatorOf(a.generator), out!.numel(), out!.dtype));
};
const randnInfer = (a: Args): OutSpec => {
  const s = sizeSpec(a.size, dtypeArg(a.dtype, 'float32'));
  needFloat(s.dtype, 'normal_kernel_cpu');
  return s;
};

/** Standard normal samples, reproducing PyTorch's CPU values after `torch.manualSeed`. */
export const randn = defineOp({
  name: 'randn',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    { schema: `aten::randn(int[] size, *, ${KW}) -> Tensor`, infer: randnInfer, cpu: randnKernel },
    { schema: `aten::randn.generator(int[] size, *, Generator? generator, ${KW}) -> Tensor`, infer: randnInfer, cpu: randnKernel },
  ],
});

export const randn_like = defineOp({
  name: 'randn_like',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    {
      schema: `aten::randn_like(Tensor self, *, ${LIKE_KW}) -> Tensor`,
      infer: (a) => {
        const s = likeSpec(a);
        needFloat(s.dtype, 'normal_kernel_cpu');
        return s;
      },
      cpu: randnKernel,
    },
  ],
});

export const normal_ = defineOp({
  name: 'normal_',
  variants: ['method'],
  tags: ['inplace', 'nondeterministic'],
  overloads: [
    {
      schema: 'aten::normal_(Tensor(a!) self, float mean=0., float std=1., *, Generator? generator=None) -> Tensor(a!)',
      cpuDynamic: (a) => {
        const self = a.self as Tensor;
        needFloat(self.dtype, 'normal_kernel_cpu');
        checkStd(a.std);
        writeValues(self, normalValues(generatorOf(a.generator), self.numel(), self.dtype, a.mean, a.std, self.is_contiguous()));
        return self;
      },
    },
  ],
});

/** out = N(0, 1) * std + mean elementwise (mean/std tensors broadcast), as PyTorch's normal(Tensor, ...). */
function normalTensorKernel(a: Args, [out]: Tensor[]): void {
  const dtype = out!.dtype;
  needFloat(dtype, 'normal_kernel_cpu');
  const n = out!.numel();
  const g = generatorOf(a.generator);
  const mean = a.mean as Tensor | number, std = a.std as Tensor | number;
  const shape = out!.shape;
  const read = (x: Tensor | number): ((i: number) => number) => {
    if (typeof x === 'number') return () => x;
    const st = broadcastStrides(x, shape);
    const arr = x.hostArray;
    const rank = shape.length;
    return (i: number) => {
      let p = x.offset, r = i;
      for (let d = rank - 1; d >= 0; d--) {
        const s = shape[d]!;
        p += (r % s) * st[d]!;
        r = Math.floor(r / s);
      }
      return arr[p]!;
    };
  };
  const m = read(mean), s = read(std);
  if (typeof std === 'number') {
    // normal_(0, std) then add_(mean)
    const v = normalValues(g, n, dtype, 0, std, true);
    const o = out!.hostArray;
    for (let i = 0; i < n; i++) o[i] = dtype === 'float64' ? v[i]! + m(i) : Math.fround(Math.fround(v[i]!) + m(i));
    return;
  }
  if (typeof std !== 'number') {
    const sv = std.contiguousArray();
    for (let i = 0; i < sv.length; i++) checkStd(sv[i]!);
  }
  const v = normalValues(g, n, dtype, 0, 1, true);
  const o = out!.hostArray;
  for (let i = 0; i < n; i++) {
    o[i] = dtype === 'float64' ? v[i]! * s(i) + m(i) : Math.fround(Math.fround(Math.fround(v[i]!) * s(i)) + m(i));
  }
}

/** torch.normal: tensor or float mean/std (broadcast), or float mean/std with a size. */
export const normal = defineOp({
  name: 'normal',
  variants: ['function'],
  tags: ['nondeterministic'],
  overloads: [
    {
      schema: 'aten::normal.Tensor_float(Tensor mean, float std=1., *, Generator? generator=None) -> Tensor',
      infer: (a) => {
        checkStd(a.std);
        const m = a.mean as Tensor;
        return { shape: [...m.shape], dtype: m.dtype };
      },
      cpu: normalTensorKernel,
    },
    {
      schema: 'aten::normal.float_Tensor(float mean, Tensor std, *, Generator? generator=None) -> Tensor',
      infer: (a) => ({ shape: [...(a.std as Tensor).shape], dtype: (a.std as Tensor).dtype }),
      cpu: normalTensorKernel,
    },
    {
      schema: 'aten::normal.Tensor_Tensor(Tensor mean, Tensor std, *, Generator? generator=None) -> Tensor',
      infer: (a) => ({ shape: broadcastShapes((a.mean as Tensor).shape, (a.std as Tensor).shape), dtype: (a.mean as Tensor).dtype }),
      cpu: normalTensorKernel,
    },
    {
      schema: `aten::normal.float_float(float mean, float std, int[] size, *, Generator? generator=None, ${KW}) -> Tensor`,
      infer: (a) => {
        checkStd(a.std);
        const s = sizeSpec(a.size, dtypeArg(a.dtype, 'float32'));
        needFloat(s.dtype, 'normal_kernel_cpu');
        return s;
      },
      cpu: (a, [out]) => out!.hostArray.set(normalValues(generatorOf(a.generator), out!.numel(), out!.dtype, a.mean, a.std, true)),
    },
  ],
});

// ---------------------------------------------------------------- integers

function checkRange(low: number, high: number, dtype: DType): void {
  if (!(low < high)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  if (dtype === 'bool' && (low < 0 || high > 2)) throw new RangeError(`to - 1 is out of bounds for bool`);
}

function randintKernel(a: Args, [out]: Tensor[]): void {
  const low = (a.low as number | undefined) ?? 0, high = a.high as number;
  out!.hostArray.set(randintValues(generatorOf(a.generator), out!.numel(), low, high, out!.dtype));
}
function randintInfer(a: Args): OutSpec {
  const s = sizeSpec(a.size, dtypeArg(a.dtype, 'int64'));
  checkRange((a.low as number | undefined) ?? 0, a.high, s.dtype);
  return s;
}

/** Integers uniform in [low, high), int64 unless `dtype` says otherwise. */
export const randint = defineOp({
  name: 'randint',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    { schema: `aten::randint(int high, int[] size, *, ${LONG_KW}) -> Tensor`, infer: randintInfer, cpu: randintKernel },
    { schema: `aten::randint.generator(int high, int[] size, *, Generator? generator, ${LONG_KW}) -> Tensor`, infer: randintInfer, cpu: randintKernel },
    { schema: `aten::randint.low(int low, int high, int[] size, *, ${LONG_KW}) -> Tensor`, infer: randintInfer, cpu: randintKernel },
    { schema: `aten::randint.low_generator(int low, int high, int[] size, *, Generator? generator, ${LONG_KW}) -> Tensor`, infer: randintInfer, cpu: randintKernel },
  ],
});

function randintLikeInfer(a: Args): OutSpec {
  const s = likeSpec(a);
  checkRange((a.low as number | undefined) ?? 0, a.high, s.dtype);
  return s;
}

export const randint_like = defineOp({
  name: 'randint_like',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    { schema: `aten::randint_like(Tensor self, int high, *, ${LIKE_KW}) -> Tensor`, infer: randintLikeInfer, cpu: randintKernel },
    { schema: `aten::randint_like.low_dtype(Tensor self, int low, int high, *, ${LIKE_KW}) -> Tensor`, infer: randintLikeInfer, cpu: randintKernel },
  ],
});

function randomInPlace(self: Tensor, low: number, high: number | null, gen: unknown): Tensor {
  const dtype = self.dtype;
  let hi = high;
  if (hi === null) {
    // random_(from, None): up to the largest value of the dtype (2^mantissa for floats)
    hi = dtype === 'float32' ? 2 ** 24 + 1 : dtype === 'float64' ? 2 ** 53 + 1 : dtype === 'float16' ? 2 ** 11 + 1 : dtype === 'bool' ? 2 : dtype === 'uint8' ? 256 : dtype === 'int8' ? 128 : dtype === 'int16' ? 2 ** 15 : dtype === 'int32' ? 2 ** 31 : 2 ** 53;
  }
  checkRange(low, hi, dtype);
  writeValues(self, randintValues(generatorOf(gen), self.numel(), low, hi, dtype));
  return self;
}

/** random_(to), random_(from, to) or random_() (the dtype's full range): integers drawn like randint. */
export const random_ = defineOp({
  name: 'random_',
  variants: ['method'],
  tags: ['inplace', 'nondeterministic'],
  overloads: [
    { schema: 'aten::random_.to(Tensor(a!) self, int to, *, Generator? generator=None) -> Tensor(a!)', cpuDynamic: (a) => randomInPlace(a.self, 0, a.to, a.generator) },
    { schema: 'aten::random_.from(Tensor(a!) self, int from, int? to, *, Generator? generator=None) -> Tensor(a!)', cpuDynamic: (a) => randomInPlace(a.self, a.from, a.to, a.generator) },
    { schema: 'aten::random_(Tensor(a!) self, *, Generator? generator=None) -> Tensor(a!)', cpuDynamic: (a) => randomInPlace(a.self, 0, null, a.generator) },
  ],
});

/** A random permutation of 0..n-1 (int64 unless `dtype` says otherwise). */
export const randperm = defineOp({
  name: 'randperm',
  variants: ['function'],
  tags: ['factory', 'nondeterministic'],
  overloads: [
    { schema: `aten::randperm(int n, *, ${LONG_KW}) -> Tensor`, infer: (a) => sizeSpec([a.n], dtypeArg(a.dtype, 'int64')), cpu: (a, [out]) => out!.hostArray.set(randpermValues(generatorOf(a.generator), a.n)) },
    {
      schema: `aten::randperm.generator(int n, *, Generator? generator, ${LONG_KW}) -> Tensor`,
      infer: (a) => sizeSpec([a.n], dtypeArg(a.dtype, 'int64')),
      cpu: (a, [out]) => out!.hostArray.set(randpermValues(generatorOf(a.generator), a.n)),
    },
  ],
});

// ---------------------------------------------------------------- bernoulli

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
}

function bernoulliTensor(g: unknown, self: Tensor, p: Tensor): Float64Array {
  if (!isFloating(p.dtype)) throw new TypeError(`"bernoulli_tensor_cpu_p_" not implemented for '${NAMES[p.dtype]}'`);
  broadcastShapes(self.shape, p.shape);
  const pv = readInOrder(p, self);
  for (let i = 0; i < pv.length; i++) if (!(pv[i]! >= 0 && pv[i]! <= 1)) throw new RangeError('Expected p_in >= 0 && p_in <= 1 to be true, but got false.');
  return bernoulliTensorValues(generatorOf(g), pv, p.dtype === 'float64');
}

/** 0/1 samples with probability `self` (or `p`); self's dtype. */
export const bernoulli = defineOp({
  name: 'bernoulli',
  tags: ['nondeterministic'],
  overloads: [
    { schema: 'aten::bernoulli(Tensor self, *, Generator? generator=None) -> Tensor', infer: (a) => likeSpec({ self: a.self, dtype: null }), cpu: (a, [out]) => out!.hostArray.set(bernoulliTensor(a.generator, a.self, a.self)) },
    {
      schema: 'aten::bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor',
      infer: (a) => {
        checkP(a.p);
        return likeSpec({ self: a.self, dtype: null });
      },
      cpu: (a, [out]) => out!.hostArray.set(bernoulliScalarValues(generatorOf(a.generator), out!.numel(), a.p)),
    },
    { schema: 'aten::bernoulli.Tensor(Tensor self, Tensor p, *, Generator? generator=None) -> Tensor', infer: (a) => likeSpec({ self: a.self, dtype: null }), cpu: (a, [out]) => out!.hostArray.set(bernoulliTensor(a.generator, a.self, a.p)) },
  ],
});

export const bernoulli_ = defineOp({
  name: 'bernoulli_',
  variants: ['method'],
  tags: ['inplace', 'nondeterministic'],
  overloads: [
    {
      schema: 'aten::bernoulli_.Tensor(Tensor(a!) self, Tensor p, *, Generator? generator=None) -> Tensor(a!)',
      cpuDynamic: (a) => {
        writeValues(a.self, bernoulliTensor(a.generator, a.self, a.p));
        return a.self;
      },
    },
    {
      schema: 'aten::bernoulli_.float(Tensor(a!) self, float p=0.5, *, Generator? generator=None) -> Tensor(a!)',
      cpuDynamic: (a) => {
        checkP(a.p);
        writeValues(a.self, bernoulliScalarValues(generatorOf(a.generator), (a.self as Tensor).numel(), a.p));
        return a.self;
      },
    },
  ],
});
