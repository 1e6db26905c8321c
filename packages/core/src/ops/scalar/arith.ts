/** TorchScript arithmetic, comparison, bitwise and math builtins on int / float / bool / Scalar. */
import type { Args } from '../../registry.js';
import { I, scalarOp, type Impl } from './define.js';
import { isFloatValue, num } from './util.js';

const zeroDiv = (what: string): Error => new Error(`ZeroDivisionError: ${what}`);

function intFloordiv(a: number, b: number): number {
  if (b === 0) throw new Error('ZeroDivisionError: division by 0');
  return I(Math.floor(a / b));
}
function intRemainder(a: number, b: number): number {
  if (b === 0) throw new Error('ZeroDivisionError: division by 0');
  return I((b + (a % b)) % b);
}
function floatRemainder(a: number, b: number): number {
  return (b + (a % b)) % b;
}
function intPow(a: number, b: number): number {
  if (b < 0) throw new Error('Integers to negative integer powers are not allowed.');
  return I(a ** b);
}

/** Applies `f` to the two named number args. */
const bin = (f: (x: number, y: number) => number | boolean, x = 'a', y = 'b'): Impl => (a: Args) => f(num(a[x]), num(a[y]));
const binI = (f: (x: number, y: number) => number, x = 'a', y = 'b'): Impl => (a: Args) => I(f(num(a[x]), num(a[y])));

/** `(Scalar a, Scalar b) -> Scalar`: int when both are ints, else float. */
const scalarBin = (fi: (x: number, y: number) => number, ff: (x: number, y: number) => number): Impl => (a: Args) =>
  isFloatValue(a.a) || isFloatValue(a.b) ? ff(num(a.a), num(a.b)) : fi(num(a.a), num(a.b));

const numeric = <K extends string>(prefix: K, fi: (x: number, y: number) => number, ff: (x: number, y: number) => number) => ({
  [`${prefix}.int`]: binI(fi),
  [`${prefix}.float`]: bin(ff),
  [`${prefix}.int_float`]: bin(ff),
  [`${prefix}.float_int`]: bin(ff),
  [prefix]: scalarBin(fi, ff),
});

const add = (x: number, y: number): number => x + y;
const sub = (x: number, y: number): number => x - y;
const mul = (x: number, y: number): number => x * y;

export const scalarAdd = scalarOp('add', {
  ...numeric('aten::add', add, add),
  'aten::add.str': (a) => String(a.a) + String(a.b),
  'aten::add.t': (a) => [...(a.a as unknown[]), ...(a.b as unknown[])],
});
export const scalarSub = scalarOp('sub', numeric('aten::sub', sub, sub));
export const scalarMul = scalarOp('mul', {
  ...numeric('aten::mul', mul, mul),
  'aten::mul.left_t': (a) => repeatList(a.l as unknown[], num(a.n)),
  'aten::mul.right_': (a) => repeatList(a.l as unknown[], num(a.n)),
});
function repeatList(l: unknown[], n: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...l);
  return out;
}
export const scalarDiv = scalarOp('div', {
  'aten::div.int': bin((x, y) => x / y),
  'aten::div.float': bin((x, y) => x / y),
  'aten::div': bin((x, y) => x / y),
});
export const scalarFloordiv = scalarOp('floordiv', numeric('aten::floordiv', intFloordiv, (x, y) => Math.floor(x / y)));
export const scalarRemainder = scalarOp('remainder', numeric('aten::remainder', intRemainder, floatRemainder));
export const scalarFmod = scalarOp('fmod', {
  'aten::fmod.int': bin((x, y) => x % y),
  'aten::fmod.float': bin((x, y) => x % y),
  'aten::fmod.int_float': bin((x, y) => x % y),
  'aten::fmod.float_int': bin((x, y) => x % y),
  'aten::fmod': bin((x, y) => x % y),
});
export const scalarPow = scalarOp('pow', {
  'aten::pow.int': bin((x, y) => x ** y),
  'aten::pow.float': bin((x, y) => x ** y),
  'aten::pow.int_float': bin((x, y) => x ** y),
  'aten::pow.float_int': bin((x, y) => x ** y),
  'aten::pow.Scalar_Scalar': bin((x, y) => x ** y),
  'aten::pow.int_to_int': bin(intPow),
});
export const scalarRoundToZeroFloordiv = scalarOp('__round_to_zero_floordiv', {
  'aten::__round_to_zero_floordiv.int': binI((x, y) => {
    if (y === 0) throw new Error('ZeroDivisionError: division by 0');
    return Math.trunc(x / y);
  }),
});
export const scalarDivmod = scalarOp('divmod', {
  'aten::divmod.int': (a) => {
    const x = num(a.x), y = num(a.y);
    if (y === 0) throw zeroDiv('integer divmod()');
    let q = Math.trunc(x / y), r = x % y;
    if (r && (x < 0) !== (y < 0)) {
      q -= 1;
      r += y;
    }
    return [I(q), I(r)];
  },
  ...Object.fromEntries(['aten::divmod.float', 'aten::divmod.int_float', 'aten::divmod.float_int'].map((k) => [k, (a: Args) => floatDivmod(num(a.x), num(a.y))])),
});
function floatDivmod(x: number, y: number): number[] {
  if (y === 0) throw zeroDiv('float divmod()');
  let r = x % y;
  if (r && (x < 0) !== (y < 0)) r += y;
  return [(x - r) / y, r];
}

export const scalarNeg = scalarOp('neg', {
  'aten::neg.int': (a) => I(-num(a.a)),
  'aten::neg.float': (a) => -num(a.a),
  'aten::neg.Scalar': (a) => (isFloatValue(a.a) ? -num(a.a) : I(-num(a.a))),
});
export const scalarAbs = scalarOp('abs', {
  'prim::abs.int': (a) => Math.abs(num(a.a)),
  'prim::abs.float': (a) => Math.abs(num(a.a)),
  'prim::abs.Scalar': (a) => Math.abs(num(a.a)),
});

// ------------------------------------------------------------------ comparisons

const cmp = (prefix: string, f: (x: number, y: number) => boolean, fs: (x: string, y: string) => boolean) => ({
  [`${prefix}.int`]: bin(f),
  [`${prefix}.float`]: bin(f),
  [`${prefix}.int_float`]: bin(f),
  [`${prefix}.float_int`]: bin(f),
  [prefix]: bin(f),
  [`${prefix}.str`]: (a: Args) => fs(String(a.a), String(a.b)),
});
export const scalarLt = scalarOp('lt', cmp('aten::lt', (x, y) => x < y, (x, y) => x < y));
export const scalarLe = scalarOp('le', cmp('aten::le', (x, y) => x <= y, (x, y) => x <= y));
export const scalarGt = scalarOp('gt', cmp('aten::gt', (x, y) => x > y, (x, y) => x > y));
export const scalarGe = scalarOp('ge', cmp('aten::ge', (x, y) => x >= y, (x, y) => x >= y));

// eq / ne live in list.ts (they also compare lists, devices and strings)

// ------------------------------------------------------------------ bitwise / logical

const big = (x: unknown): bigint => BigInt(Math.trunc(num(x)));
const fromBig = (v: bigint): number => I(Number(BigInt.asIntN(64, v)));
export const scalarAnd = scalarOp('__and__', {
  'aten::__and__.bool': (a) => Boolean(a.a) && Boolean(a.b),
  'aten::__and__.int': (a) => fromBig(big(a.a) & big(a.b)),
});
export const scalarOr = scalarOp('__or__', {
  'aten::__or__.bool': (a) => Boolean(a.a) || Boolean(a.b),
  'aten::__or__.int': (a) => fromBig(big(a.a) | big(a.b)),
});
export const scalarXor = scalarOp('__xor__', {
  'aten::__xor__.bool': (a) => Boolean(a.a) !== Boolean(a.b),
  'aten::__xor__.int': (a) => fromBig(big(a.a) ^ big(a.b)),
});
export const scalarLshift = scalarOp('__lshift__', { 'aten::__lshift__.int': (a) => fromBig(big(a.a) << big(a.b)) });
export const scalarRshift = scalarOp('__rshift__', { 'aten::__rshift__.int': (a) => fromBig(big(a.a) >> big(a.b)) });
export const scalarNot = scalarOp('__not__', { 'aten::__not__': (a) => !a.self });

// ------------------------------------------------------------------ min / max

function extremum(sign: 1 | -1) {
  const pick = (x: number, y: number): number => (sign < 0 ? (x < y ? x : y) : x > y ? x : y);
  const ofList = (l: unknown[], what: string): unknown => {
    if (l.length === 0) throw new Error(`${what}() arg is an empty sequence`);
    let best = l[0];
    for (const v of l.slice(1)) if (sign < 0 ? num(v) < num(best) : num(v) > num(best)) best = v;
    return best;
  };
  const lexList = (l: unknown[], r: unknown[]): unknown[] => {
    for (let i = 0; i < Math.min(l.length, r.length); i++) {
      const x = num(l[i]), y = num(r[i]);
      if (x !== y) return (sign < 0 ? x < y : x > y) ? [...l] : [...r];
    }
    return (sign < 0 ? l.length <= r.length : l.length >= r.length) ? [...l] : [...r];
  };
  const p = sign < 0 ? 'prim::min' : 'prim::max';
  const what = sign < 0 ? 'min' : 'max';
  return {
    [`${p}.int`]: binI(pick),
    [`${p}.float`]: bin(pick),
    [`${p}.int_float`]: bin(pick),
    [`${p}.float_int`]: bin(pick),
    [p]: bin(pick),
    [`${p}.int_list`]: (a: Args) => lexList(a.l, a.r),
    [`${p}.float_list`]: (a: Args) => lexList(a.l, a.r),
    [`${p}.bool_list`]: (a: Args) => lexList(a.l, a.r),
    [`${p}.self_int`]: (a: Args) => ofList(a.self, what),
    [`${p}.self_float`]: (a: Args) => ofList(a.self, what),
    [`${p}.self_bool`]: (a: Args) => ofList(a.self, what),
  };
}
export const scalarMin = scalarOp('min', extremum(-1));
export const scalarMax = scalarOp('max', extremum(1));

// ------------------------------------------------------------------ math

const unaryMath = (prefix: string, f: (x: number) => number) => ({
  [`${prefix}.int`]: (a: Args) => f(num(a.a)),
  [`${prefix}.float`]: (a: Args) => f(num(a.a)),
  [`${prefix}.Scalar`]: (a: Args) => f(num(a.a)),
});
export const scalarSqrt = scalarOp('sqrt', unaryMath('aten::sqrt', Math.sqrt));
export const scalarExp = scalarOp('exp', unaryMath('aten::exp', Math.exp));
export const scalarLog10 = scalarOp('log10', unaryMath('aten::log10', Math.log10));
export const scalarLog1p = scalarOp('log1p', unaryMath('aten::log1p', Math.log1p));
export const scalarSin = scalarOp('sin', unaryMath('aten::sin', Math.sin));
export const scalarCos = scalarOp('cos', unaryMath('aten::cos', Math.cos));
export const scalarTanh = scalarOp('tanh', unaryMath('aten::tanh', Math.tanh));
export const scalarLog = scalarOp('log', {
  ...unaryMath('aten::log', Math.log),
  'aten::log.int_int': bin((x, y) => Math.log(x) / Math.log(y)),
  'aten::log.float_float': bin((x, y) => Math.log(x) / Math.log(y)),
  'aten::log.int_float': bin((x, y) => Math.log(x) / Math.log(y)),
  'aten::log.float_int': bin((x, y) => Math.log(x) / Math.log(y)),
  'aten::log.Scalar_Scalar': bin((x, y) => Math.log(x) / Math.log(y)),
});
/** floor/ceil of an int is the int; of a float an int (Python semantics). */
const intOf = (f: (x: number) => number) => (a: Args) => I(f(num(a.a)));
export const scalarFloor = scalarOp('floor', {
  'aten::floor.int': intOf(Math.floor),
  'aten::floor.float': intOf(Math.floor),
  'aten::floor.Scalar': (a) => (isFloatValue(a.a) ? Math.floor(num(a.a)) : I(num(a.a))),
});
export const scalarCeil = scalarOp('ceil', {
  'aten::ceil.int': intOf(Math.ceil),
  'aten::ceil.float': intOf(Math.ceil),
  'aten::ceil.Scalar': (a) => (isFloatValue(a.a) ? Math.ceil(num(a.a)) : I(num(a.a))),
});
/** round half to even, like Python's round() */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x), d = x - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}
export const scalarRound = scalarOp('round', {
  'aten::round.int': (a) => num(a.a),
  'aten::round.float': (a) => roundHalfEven(num(a.a)),
  'aten::round.Scalar': (a) => roundHalfEven(num(a.a)),
});
export const scalarIsnan = scalarOp('isnan', { 'aten::isnan.float': (a) => Number.isNaN(num(a.a)) });
export const scalarIsinf = scalarOp('isinf', { 'aten::isinf.float': (a) => num(a.a) === Infinity || num(a.a) === -Infinity });
export const scalarGcd = scalarOp('gcd', {
  'aten::gcd.int': (a) => {
    let x = Math.abs(num(a.a)), y = Math.abs(num(a.b));
    while (y) [x, y] = [y, x % y];
    return x;
  },
});

export const arithOps = [
  scalarAdd, scalarSub, scalarMul, scalarDiv, scalarFloordiv, scalarRemainder, scalarFmod, scalarPow, scalarRoundToZeroFloordiv, scalarDivmod,
  scalarNeg, scalarAbs, scalarLt, scalarLe, scalarGt, scalarGe, scalarAnd, scalarOr, scalarXor, scalarLshift, scalarRshift, scalarNot,
  scalarMin, scalarMax, scalarSqrt, scalarExp, scalarLog10, scalarLog1p, scalarSin, scalarCos, scalarTanh, scalarLog, scalarFloor, scalarCeil,
  scalarRound, scalarIsnan, scalarIsinf, scalarGcd,
];
