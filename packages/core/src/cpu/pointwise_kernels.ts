/**
 * Builders for the pointwise op declarations in ops/pointwise: PyTorch's dtype rules (type
 * promotion, int -> float for float ops, bool outputs, "not implemented for 'Bool'" errors) and
 * CPU kernels that cast every operand to the computation dtype first, as ATen's TensorIterator
 * does (so `x == 0.1` compares against float32(0.1) for a float32 `x`).
 */
import { isFloating, roundToF16, type DType, type StorageArray } from '../dtype.js';
import type { Args, CpuKernel, OutSpec } from '../registry.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { mapBinary, mapTernary, mapUnary, promote } from './pointwise.js';

/** c10's ScalarType names, as PyTorch's error messages print them. */
export const TORCH_TYPE_NAME: { [D in DType]: string } = {
  float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool',
};

/** `"abs_cpu" not implemented for 'Bool'` */
export function notImplemented(kernel: string, d: DType): Error {
  return new Error(`"${kernel}" not implemented for '${TORCH_TYPE_NAME[d]}'`);
}

export type Unary = (x: number) => number;
export type Binary = (x: number, y: number) => number;
export type Operand = Tensor | number | boolean;

export function isTensorOperand(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

const identity: Unary = (x) => x;
const castF32: Unary = Math.fround;
const castI8: Unary = (x) => (Number.isFinite(x) ? (Math.trunc(x) << 24) >> 24 : 0);
const castI16: Unary = (x) => (Number.isFinite(x) ? (Math.trunc(x) << 16) >> 16 : 0);
const castI32: Unary = (x) => (Number.isFinite(x) ? Math.trunc(x) | 0 : 0);
const castU8: Unary = (x) => (Number.isFinite(x) ? Math.trunc(x) & 255 : 0);
const castI64: Unary = (x) => (Number.isFinite(x) ? Math.trunc(x) : x !== x ? 0 : x > 0 ? 2 ** 63 - 1024 : -(2 ** 63));
const castBool: Unary = (x) => (x !== 0 ? 1 : 0);

/** The value a number takes when stored as dtype `d` (rounding, truncation, wrap-around). */
export function caster(d: DType): Unary {
  switch (d) {
    case 'float64': return identity;
    case 'float32': return castF32;
    case 'float16': return roundToF16;
    case 'int8': return castI8;
    case 'int16': return castI16;
    case 'int32': return castI32;
    case 'int64': return castI64;
    case 'uint8': return castU8;
    case 'bool': return castBool;
    default: return d satisfies never;
  }
}

const exactIn: { [D in DType]: readonly DType[] } = {
  float64: ['float64', 'float32', 'float16', 'int8', 'int16', 'int32', 'uint8', 'bool'],
  float32: ['float32', 'float16', 'int8', 'int16', 'uint8', 'bool'],
  float16: ['float16', 'int8', 'uint8', 'bool'],
  int64: ['int64', 'int32', 'int16', 'int8', 'uint8', 'bool'],
  int32: ['int32', 'int16', 'int8', 'uint8', 'bool'],
  int16: ['int16', 'int8', 'uint8', 'bool'],
  int8: ['int8', 'bool'],
  uint8: ['uint8', 'bool'],
  bool: ['bool'],
};
/** Whether every value of `from` is exactly representable in `to`. */
export function losslessCast(from: DType, to: DType): boolean {
  return exactIn[to].includes(from);
}

const C_TYPE: { [D in DType]: string } = {
  uint8: 'uint8_t', int8: 'int8_t', int16: 'int16_t', int32: 'int', int64: 'int64_t', float32: 'float', float64: 'double', float16: 'c10::Half', bool: 'bool',
};
const LIMITS: { [D in DType]: [number, number] } = {
  uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38], float64: [-Number.MAX_VALUE, Number.MAX_VALUE], float16: [-65504, 65504], bool: [0, 1],
};

/**
 * Scalar.to<T>() in ATen (used for alpha, clamp bounds, masked_fill values, ...): like `scalarIn`
 * but raises PyTorch's overflow error when the value does not fit (c10::overflows; unsigned types
 * accept negative integers down to -max, which wrap).
 */
export function checkedScalarIn(v: number | boolean, d: DType): number {
  if (typeof v === 'number' && d !== 'bool') {
    const [lo, hi] = LIMITS[d];
    let bad: boolean;
    if (Number.isInteger(v)) bad = d === 'uint8' ? v > hi || (v < 0 && -v > hi) : v < lo || v > hi;
    else if (Number.isNaN(v)) bad = !isFloating(d);
    else if (!Number.isFinite(v)) bad = !isFloating(d);
    else bad = v < lo || v > hi;
    if (bad) throw new Error(`value cannot be converted to type ${C_TYPE[d]} without overflow`);
  }
  return scalarIn(v, d);
}

/** The number a Scalar argument (JS number or boolean) becomes in dtype `d`. */
export function scalarIn(v: number | boolean, d: DType): number {
  return caster(d)(Number(v));
}

function withCast(f: Unary, c: Unary | undefined): Unary {
  return c ? (x) => f(c(x)) : f;
}

/** The output shape of a pointwise op over tensor and scalar operands. */
export function broadcastOperands(...xs: (Operand | null | undefined)[]): number[] {
  const shapes = xs.filter(isTensorOperand).map((t) => t.shape);
  return broadcastShapes(...shapes);
}

/** A 0-d tensor holding `v` in dtype `d` (for scalar operands of ternary kernels). */
export function scalarTensor(v: number | boolean, d: DType): Tensor {
  const t = Tensor.empty([], d);
  t.hostArray[0] = scalarIn(v, d);
  return t;
}

/**
 * out[i] = f(x[i]) where x's elements are first cast to `compute` (when that is not exact).
 * A scalar `x` fills the output.
 */
export function runUnary(out: Tensor, x: Operand, compute: DType, f: Unary): void {
  if (!isTensorOperand(x)) {
    out.hostArray.fill(f(scalarIn(x, compute)));
    return;
  }
  const c = losslessCast(x.dtype, compute) ? undefined : caster(compute);
  mapUnary(out, x, withCast(f, c));
}

/** out = f(a, b) with broadcasting; operands are cast to `compute` first. */
export function runBinary(out: Tensor, a: Operand, b: Operand, compute: DType, f: Binary): void {
  if (out.numel() === 0) return;
  const aT = isTensorOperand(a), bT = isTensorOperand(b);
  if (aT && bT) {
    const ca = losslessCast(a.dtype, compute) ? undefined : caster(compute);
    const cb = losslessCast(b.dtype, compute) ? undefined : caster(compute);
    const g: Binary = !ca && !cb ? f : !cb ? (x, y) => f(ca!(x), y) : !ca ? (x, y) => f(x, cb(y)) : (x, y) => f(ca(x), cb(y));
    if (a.numel() === out.numel() || b.numel() !== out.numel()) mapBinary(out, a, b, g);
    else mapBinary(out, b, a, (y, x) => g(x, y)); // mapBinary's fast paths want the full-size operand first
    return;
  }
  if (aT) {
    const v = scalarIn(b as number | boolean, compute);
    runUnary(out, a, compute, (x) => f(x, v));
    return;
  }
  if (bT) {
    const v = scalarIn(a, compute);
    runUnary(out, b, compute, (y) => f(v, y));
    return;
  }
  out.hostArray.fill(f(scalarIn(a, compute), scalarIn(b as number | boolean, compute)));
}

/** out = f(a, b, c) with broadcasting over tensors and scalars, cast to `compute` first. */
export function runTernary(out: Tensor, a: Operand, b: Operand, c: Operand, compute: DType, f: (x: number, y: number, z: number) => number): void {
  if (out.numel() === 0) return;
  const temps: Tensor[] = [];
  const asT = (x: Operand): Tensor => {
    if (isTensorOperand(x)) return x;
    const t = scalarTensor(x, compute);
    temps.push(t);
    return t;
  };
  const A = asT(a), B = asT(b), C = asT(c);
  const ca = losslessCast(A.dtype, compute) ? identity : caster(compute);
  const cb = losslessCast(B.dtype, compute) ? identity : caster(compute);
  const cc = losslessCast(C.dtype, compute) ? identity : caster(compute);
  const plain = ca === identity && cb === identity && cc === identity;
  try {
    mapTernary(out, A, B, C, plain ? f : (x, y, z) => f(ca(x), cb(y), cc(z)));
  } finally {
    for (const t of temps) t.dispose();
  }
}

// ---------------------------------------------------------------- declarations

export interface UnarySpec {
  /** ATen kernel name for "not implemented for" errors (`abs_cpu`) */
  kernel: string;
  /**
   * float: integer and bool inputs give float32 (sin, exp); same: keep the dtype (abs, floor);
   * bool: a bool result (isnan); floatOnly: integer/bool inputs are an error (gelu, silu)
   */
  kind: 'float' | 'same' | 'bool' | 'floatOnly';
  /** the function on float values (and on integers unless `int` is given) */
  f: Unary;
  /** for integer inputs of `same` ops (e.g. floor is the identity) */
  int?: Unary;
  /** for bool inputs; when absent a `same` op on bool raises `boolError` or "not implemented for 'Bool'" */
  bool?: Unary;
  /** result dtype for bool inputs when it is not bool (square of bool is int64) */
  boolOut?: DType;
  boolError?: string;
  /** integer inputs are an error (frac) */
  noInt?: boolean;
  /** float inputs are an error (bitwise_not) */
  noFloat?: boolean;
  /** a dtype-specific function that overrides the above (int32 products wrap with Math.imul) */
  forDtype?: (d: DType) => Unary | undefined;
}

function unaryOutDtype(s: UnarySpec, d: DType): DType {
  if (s.kind === 'bool') return 'bool';
  if (s.kind === 'floatOnly') {
    if (!isFloating(d)) throw notImplemented(s.kernel, d);
    return d;
  }
  if (s.kind === 'float') return isFloating(d) ? d : 'float32';
  if (d === 'bool') {
    if (s.boolError) throw new Error(s.boolError);
    if (!s.bool) throw notImplemented(s.kernel, d);
    return s.boolOut ?? 'bool';
  }
  if (s.noInt && !isFloating(d)) throw notImplemented(s.kernel, d);
  if (s.noFloat && isFloating(d)) throw notImplemented(s.kernel, d);
  return d;
}

/** A unary pointwise overload over `self` (or the arg named `arg`). */
export function unary(s: UnarySpec, arg = 'self'): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  return {
    infer: (a) => {
      const x = a[arg] as Tensor;
      return { shape: [...x.shape], dtype: unaryOutDtype(s, x.dtype) };
    },
    cpu: (a, [out]) => {
      const x = a[arg] as Tensor;
      const d = x.dtype;
      let f = s.forDtype?.(d) ?? s.f;
      if (d === 'bool' && s.bool) f = s.bool;
      else if (!isFloating(d) && s.int && s.kind !== 'float' && !s.forDtype?.(d)) f = s.int;
      // float ops compute integer inputs in the result dtype (int64 -> float32 first)
      const compute = s.kind === 'float' || s.kind === 'floatOnly' ? out!.dtype : d;
      runUnary(out!, x, compute, f);
    },
  };
}

export interface BinarySpec {
  /** ATen kernel name for "not implemented for" errors */
  kernel: string;
  /** promote: the result type; float: the result type, integers -> float32; float64: always float64 */
  compute?: 'promote' | 'float' | 'float64';
  /** the result: the computation dtype, or bool (comparisons) */
  out?: 'compute' | 'bool';
  /** names of the two operands in the schema */
  args?: [string, string];
  /** dtypes the kernel does not support */
  noBool?: boolean;
  noInt?: boolean;
  noFloat?: boolean;
  /** extra argument checks (alpha, division by zero is checked in the kernel) */
  check?: (compute: DType, a: Args) => void;
  /** the elementwise function for the computation dtype; operands arrive cast to it */
  f: (compute: DType, a: Args) => Binary;
  /** optional dedicated loops for contiguous operands (must compute exactly what `f` does) */
  fast?: (compute: DType, a: Args) => FastLoops | undefined;
}

/**
 * Loops an op may provide for the common layouts (both operands contiguous with the output's
 * size, or a scalar second operand), written in the op's own file so that each hot loop has a
 * monomorphic call site instead of sharing mapBinary's.
 */
export interface FastLoops {
  /** o[i] = op(A[ao + i], B[bo + i]) */
  same: (A: StorageArray, ao: number, B: StorageArray, bo: number, o: StorageArray, n: number) => void;
  /** o[i] = op(A[ao + i], v) */
  scalar: (A: StorageArray, ao: number, v: number, o: StorageArray, n: number) => void;
}

/** Runs `loops` when the layout allows (no casts needed, contiguous, no broadcasting of the first operand). */
function tryFast(out: Tensor, x: Operand, y: Operand, c: DType, loops: FastLoops): boolean {
  if (!isTensorOperand(x) || x.dtype !== c || !x.is_contiguous()) return false;
  const n = out.numel();
  if (x.numel() !== n || x.shape.length !== out.shape.length) return false;
  if (isTensorOperand(y)) {
    if (y.numel() === 1 && (y.dtype === c || y.ndim === 0)) {
      loops.scalar(x.hostArray, x.offset, caster(c)(y.hostArray[y.offset]!), out.hostArray, n);
      return true;
    }
    if (y.dtype !== c || !y.is_contiguous() || y.numel() !== n || y.shape.some((s, i) => s !== x.shape[i])) return false;
    loops.same(x.hostArray, x.offset, y.hostArray, y.offset, out.hostArray, n);
    return true;
  }
  loops.scalar(x.hostArray, x.offset, scalarIn(y, c), out.hostArray, n);
  return true;
}

export function binaryCompute(s: BinarySpec, a: Args): DType {
  const [n1, n2] = s.args ?? ['self', 'other'];
  const x = a[n1] as Operand, y = a[n2] as Operand;
  const p = promote(x, y);
  let c: DType = s.compute === 'float64' ? 'float64' : s.compute === 'float' && !isFloating(p) ? 'float32' : p;
  if (s.noBool && c === 'bool') throw notImplemented(s.kernel, c);
  if (s.noInt && !isFloating(c) && c !== 'bool') throw notImplemented(s.kernel, c);
  if (s.noInt && c === 'bool') throw notImplemented(s.kernel, c);
  if (s.noFloat && isFloating(c)) throw notImplemented(s.kernel, c);
  s.check?.(c, a);
  return c;
}

/** A binary pointwise overload (Tensor/Scalar operands in any position) with broadcasting and promotion. */
export function binary(s: BinarySpec): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  const [n1, n2] = s.args ?? ['self', 'other'];
  return {
    infer: (a) => {
      const c = binaryCompute(s, a);
      return { shape: broadcastOperands(a[n1], a[n2]), dtype: s.out === 'bool' ? 'bool' : c };
    },
    cpu: (a, [out]) => {
      const c = binaryCompute(s, a);
      const loops = s.fast?.(c, a);
      if (loops && tryFast(out!, a[n1] as Operand, a[n2] as Operand, c, loops)) return;
      runBinary(out!, a[n1] as Operand, a[n2] as Operand, c, s.f(c, a));
    },
  };
}

/** Throws PyTorch's ZeroDivisionError when an integer divisor tensor/scalar holds a zero. */
export function checkIntDivisor(y: Operand, compute: DType): void {
  if (isFloating(compute)) return;
  if (!isTensorOperand(y)) {
    if (scalarIn(y, compute) === 0) throw new Error('ZeroDivisionError');
    return;
  }
  const arr = y.contiguousArray();
  const c = losslessCast(y.dtype, compute) ? undefined : caster(compute);
  for (let i = 0; i < arr.length; i++) if ((c ? c(arr[i]!) : arr[i]) === 0) throw new Error('ZeroDivisionError');
}

/**
 * Arithmetic in a float dtype's precision: `r` rounds an intermediate result to float32 (or half)
 * where ATen computes in that type; identity for float64.
 */
export function rounder(d: DType): Unary {
  return d === 'float64' ? identity : castF32; // ATen computes half in float32 on the CPU
}

/** Alias of `self` sharing its storage (PyTorch returns the input itself, e.g. dropout in eval). */
export function aliasOf(t: Tensor): Tensor {
  return new Tensor(t.storage.retain(), [...t.shape], [...t.strides], t.offset);
}

/**
 * A floating-point-only unary overload whose function depends on scalar arguments (elu's alpha,
 * softplus' beta): `make` receives the dtype and the bound arguments; `check` validates them.
 */
export function floatUnary(kernel: string, make: (d: DType, a: Args) => Unary, check?: (a: Args) => void, arg = 'self'): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  return {
    infer: (a) => {
      const x = a[arg] as Tensor;
      if (!isFloating(x.dtype)) throw notImplemented(kernel, x.dtype);
      check?.(a);
      return { shape: [...x.shape], dtype: x.dtype };
    },
    cpu: (a, [out]) => {
      const x = a[arg] as Tensor;
      runUnary(out!, x, x.dtype, make(x.dtype, a));
    },
  };
}
