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
