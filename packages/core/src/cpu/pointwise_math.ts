/**
 * Scalar special functions in float64 for the CPU reference kernels (erf, erfc, erfinv and the
 * activation functions that build on them). Written for accuracy first: erf/erfc agree with
 * PyTorch's float64 results to a few ulps (see packages/core/test/pointwise.test.ts).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(pi)
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1 / sqrt(pi)

/**
 * e^(-x^2) without the error of rounding x^2: x = hi + lo with hi holding 16 fractional bits
 * (so hi^2 is exact), e^(-x^2) = e^(-hi^2) e^(-(x - hi)(x + hi)).
 */
function expNegSquare(x: number): number {
  const hi = Math.round(x * 65536) / 65536;
  return Math.exp(-hi * hi) * Math.exp(-(x - hi) * (x + hi));
}

/** erf(x) for |x| < 0.5: the Maclaurin series sum (-1)^n x^(2n+1) / (n! (2n+1)). */
function erfSmall(x: number): number {
  const x2 = x * x;
  let term = x; // x^(2n+1) (-1)^n / n!
  let sum = x;
  for (let n = 1; n < 40; n++) {
    term *= -x2 / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

/**
 * erf(x) for 0.5 <= x < 2 without cancellation: erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!
 * (every term positive).
 */
function erfMid(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * expNegSquare(x) * sum;
}

/**
 * erfc(x) for x >= 1.5 by the continued fraction (at most ~90 terms there)
 *   erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
 * evaluated with the modified Lentz method.
 */
function erfcLarge(x: number): number {
  if (x > 27.3) return 0; // below the smallest subnormal
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    D = x + a * D;
    if (D === 0) D = tiny;
    C = x + a / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * expNegSquare(x)) / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.5) return erfSmall(x);
  let r: number;
  if (ax < 2) r = erfMid(ax);
  else if (ax < 6) r = 1 - erfcLarge(ax);
  else r = 1;
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0.5) {
    if (x > -0.5) return 1 - erfSmall(x);
    if (x > -2.5) return 1 + erfMid(-x);
    if (x > -6) return 2 - erfcLarge(-x);
    return 2;
  }
  if (x < 1.5) return 1 - erfMid(x);
  return erfcLarge(x);
}

/**
 * Inverse error function as ATen's calc_erfinv computes it: a rational first guess (Pavlis'
 * approximation) refined by two Newton steps, here all in float64 with an accurate erf.
 */
export function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (Number.isNaN(y) || ay > 1) return NaN;
  if (ay === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ay <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const den = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / den;
  } else {
    const z = Math.sqrt(-Math.log((1 - ay) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const den = (1.6370678 * z + 3.5438892) * z + 1;
    x = (y < 0 ? -num : num) / den;
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
  return x;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(1 + e^x) without overflow. */
export function softplus1(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log(sigmoid(x)) = min(x, 0) - log1p(e^-|x|) */
export function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
export function geluErf(x: number): number {
  return 0.5 * x * (1 + erf(x * SQRT1_2));
}
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** Round half to even, like C's nearbyint in the default rounding mode. */
export function nearbyint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x); // rounds half up
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** Python-style remainder (sign of the divisor), as torch.remainder computes it for floats. */
export function pyRemainder(a: number, b: number, r: (x: number) => number = (x) => x): number {
  const m = a % b;
  return m !== 0 && (b < 0) !== (m < 0) ? r(m + b) : m;
}

/**
 * ATen's div_floor for floating types (c10::div_floor_floating); `r` rounds each intermediate to
 * the tensor's precision (Math.fround for float32).
 */
export function divFloor(a: number, b: number, r: (x: number) => number = (x) => x): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = r(r(a - mod) / b);
  if (mod !== 0 && (b < 0) !== (mod < 0)) div = r(div - 1);
  if (div !== 0) {
    let floordiv = Math.floor(div);
    if (r(div - floordiv) > 0.5) floordiv = r(floordiv + 1);
    return floordiv;
  }
  return r(a / b) < 0 || Object.is(r(a / b), -0) ? -0 : 0;
}

/** Integer floor division (operands are integers, b != 0). */
export function intDivFloor(a: number, b: number): number {
  const q = Math.trunc(a / b);
  return (a % b !== 0 && (a < 0) !== (b < 0)) ? q - 1 : q;
}

/** Integer remainder with the sign of the divisor. */
export function intRemainder(a: number, b: number): number {
  let r = a % b;
  if (r !== 0 && (r < 0) !== (b < 0)) r += b;
  return r === 0 ? 0 : r;
}

/**
 * Integer power by squaring with ATen's rules for negative exponents (powi). `wide` (int64):
 * exact through BigInt once the plain product leaves the float64-exact range; otherwise the
 * product wraps like 32-bit integers (the storage narrows int8/int16/uint8 afterwards).
 */
export function intPow(a: number, b: number, wide: boolean): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return b % 2 === 0 ? 1 : -1;
    return 0;
  }
  if (!wide) {
    let result = 1, base = a | 0, e = b;
    while (e > 0) {
      if (e & 1) result = Math.imul(result, base);
      e = Math.floor(e / 2);
      base = Math.imul(base, base);
    }
    return result;
  }
  let result = 1, base = a, e = b;
  while (e > 0) {
    if (e % 2 === 1) result *= base;
    e = Math.floor(e / 2);
    if (e > 0) base *= base;
    if (Math.abs(result) > 2 ** 53 || Math.abs(base) > 2 ** 53) return bigPow(a, b);
  }
  return result;
}

function bigPow(a: number, b: number): number {
  let result = 1n, base = BigInt(a), e = BigInt(b);
  while (e > 0n) {
    if (e & 1n) result = BigInt.asIntN(64, result * base);
    e >>= 1n;
    base = BigInt.asIntN(64, base * base);
  }
  return Number(result);
}

/** log(e^a + e^b) as ATen computes it */
export function logaddexp(a: number, b: number): number {
  if (a === b && (a === Infinity || a === -Infinity)) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log2(2^a + 2^b) as ATen computes it */
export function logaddexp2(a: number, b: number): number {
  if (a === b && (a === Infinity || a === -Infinity)) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(2 ** -Math.abs(a - b)) / Math.LN2;
}

// ---------------------------------------------------------------- gamma family and friends

const LANCZOS_G = 7;
// Lanczos coefficients for g = 7, n = 9 (Godfrey's published set)
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.9189385332046728;

/** sin(pi x) with the argument reduced exactly to [-1/2, 1/2] first (exact zeros at the integers). */
export function sinpi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  let r = x - 2 * Math.round(x / 2); // exact, in [-1, 1]
  if (r > 0.5) r = 1 - r; // sin(pi r) = sin(pi (1 - r)), exact by Sterbenz
  else if (r < -0.5) r = -1 - r;
  if (r === 0) return 0 * Math.sign(x);
  return Math.sin(Math.PI * r);
}

/** cos(pi x) with exact argument reduction. */
export function cospi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const r = Math.abs(x - 2 * Math.round(x / 2)); // in [0, 1]
  return r < 0.25 ? Math.cos(Math.PI * r) : sinpi(0.5 - r);
}

/** log|Gamma(x)| (+inf at the poles 0, -1, -2, ... and at +-inf). */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinpi(x))) - lgamma(1 - x);
  if (x > 1e7) return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + 1 / (12 * x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The digamma function psi(x), following ATen's calc_digamma step by step (so results near the
 * poles match PyTorch's, whose reflection term is pi / tan(pi * frac(x))): psi(+-0) = -+inf, NaN
 * at negative integers, recurrence up to x >= 10, then the asymptotic series.
 */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + 2.25175258906672110764;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    // B_2k / 2k for k = 7..1 (Horner form)
    const A = [8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2];
    let p = A[0]!;
    for (let i = 1; i < 7; i++) p = p * z + A[i]!;
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y;
}

/** Modified Bessel function of the first kind, order 0 (PyTorch returns NaN at +-inf). */
export function i0(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  if (ax > 700) return Infinity;
  const q = (ax * ax) / 4;
  let term = 1, sum = 1;
  for (let k = 1; k < 2000; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** [mantissa in [0.5, 1), exponent] with x = m * 2^e; (x, 0) for 0, inf and NaN. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = x * 2 ** -e;
  if (!Number.isFinite(m) || m === 0) {
    // 2^-e over/underflows for extreme exponents: scale in two steps
    m = x * 2 ** -Math.trunc(e / 2) * 2 ** -(e - Math.trunc(e / 2));
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  return [m, e];
}

/** Greatest common divisor of integers (non-negative result). */
export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

const nf32 = new Float32Array(1), ni32 = new Int32Array(nf32.buffer);
const nf64 = new Float64Array(1), ni64 = new BigInt64Array(nf64.buffer);
/** C's nextafter in float32 (`single`), float64, or half precision. */
export function nextafter(x: number, y: number, precision: 'float64' | 'float32' | 'float16', toF16Bits?: (v: number) => number, fromF16Bits?: (h: number) => number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  const away = (y > x) === (x > 0);
  if (x === 0) {
    const tiny = precision === 'float64' ? Number.MIN_VALUE : precision === 'float32' ? 2 ** -149 : 2 ** -24;
    return y > 0 ? tiny : -tiny;
  }
  if (precision === 'float32') {
    nf32[0] = x;
    ni32[0] = ni32[0]! + (away ? 1 : -1);
    return nf32[0]!;
  }
  if (precision === 'float64') {
    nf64[0] = x;
    ni64[0] = ni64[0]! + (away ? 1n : -1n);
    return nf64[0]!;
  }
  const h = toF16Bits!(x);
  return fromF16Bits!(away ? h + 1 : h - 1);
}
