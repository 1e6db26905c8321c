// Vector float32 math (4 lanes): exp, log, tanh, sigmoid, erf. Cephes-style range reduction
// and minimax polynomials; errors stay within a few ulp of the float64 reference rounded to
// float32 (erf: 2e-7 absolute). NaN propagates; overflow gives +inf.

@inline function sp(x: f32): v128 {
  return f32x4.splat(x);
}

@inline export function vexp(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, sp(88.72283935546875)), sp(-87.33654022216797));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(xc, sp(1.44269504088896341)), sp(0.5)));
  let r = f32x4.sub(xc, f32x4.mul(fx, sp(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, sp(-2.12194440e-4)));
  let y = sp(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), sp(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), sp(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), sp(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), sp(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), sp(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), sp(1));
  // 2^n as 2^(n-1) * 2 so that n = 128 (x near the overflow bound) stays representable
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const p = i32x4.shl(i32x4.add(n, i32x4.splat(126)), 23);
  y = f32x4.mul(f32x4.mul(y, p), sp(2));
  return v128.bitselect(sp(Infinity), y, f32x4.gt(x, sp(88.72283935546875)));
}

@inline export function vlog(x: v128): v128 {
  const bits = x;
  // exponent and mantissa in [0.5, 1)
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(i32x4.shl(bits, 1), 24), i32x4.splat(126)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, sp(0.707106781186547524));
  e = f32x4.sub(e, v128.and(small, sp(1)));
  m = f32x4.add(f32x4.sub(m, sp(1)), v128.and(small, m));
  const z = f32x4.mul(m, m);
  let y = sp(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), sp(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), sp(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, sp(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, sp(0.5)));
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(e, sp(0.693359375)));
  // x == 0 -> -inf, x < 0 or NaN -> NaN, x == inf -> inf
  r = v128.bitselect(sp(-Infinity), r, f32x4.eq(x, sp(0)));
  r = v128.bitselect(sp(NaN), r, f32x4.lt(x, sp(0)));
  r = v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, sp(Infinity))));
  return r;
}

@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  // small: odd polynomial
  const z = f32x4.mul(x, x);
  let p = sp(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), sp(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), sp(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), sp(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), sp(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  // large: 1 - 2 / (exp(2|x|) + 1), with x's sign
  const t = vexp(f32x4.add(ax, ax));
  let big = f32x4.sub(sp(1), f32x4.div(sp(2), f32x4.add(t, sp(1))));
  big = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  const r = v128.bitselect(small, big, f32x4.lt(ax, sp(0.625)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

@inline export function vsigmoid(x: v128): v128 {
  return f32x4.div(sp(1), f32x4.add(sp(1), vexp(f32x4.neg(x))));
}

/**
 * erfc(x) for x >= 0: Numerical Recipes' erfcc (Chebyshev fit, relative error < 1.2e-7 for all
 * x >= 0, so the tails keep their precision).
 */
@inline export function verfcPos(x: v128): v128 {
  const t = f32x4.div(sp(1), f32x4.add(sp(1), f32x4.mul(sp(0.5), x)));
  let p = sp(0.17087277);
  p = f32x4.add(f32x4.mul(p, t), sp(-0.82215223));
  p = f32x4.add(f32x4.mul(p, t), sp(1.48851587));
  p = f32x4.add(f32x4.mul(p, t), sp(-1.13520398));
  p = f32x4.add(f32x4.mul(p, t), sp(0.27886807));
  p = f32x4.add(f32x4.mul(p, t), sp(-0.18628806));
  p = f32x4.add(f32x4.mul(p, t), sp(0.09678418));
  p = f32x4.add(f32x4.mul(p, t), sp(0.37409196));
  p = f32x4.add(f32x4.mul(p, t), sp(1.00002368));
  p = f32x4.add(f32x4.mul(p, t), sp(-1.26551223));
  return f32x4.mul(t, vexp(f32x4.sub(p, f32x4.mul(x, x))));
}

@inline export function verf(x: v128): v128 {
  const ax = f32x4.abs(x);
  // |x| < 0.5: Taylor series 2/sqrt(pi) (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320 + x^13/9360)
  const z = f32x4.mul(x, x);
  let p = sp(1.0 / 9360.0);
  p = f32x4.sub(f32x4.mul(p, z), sp(1.0 / 1320.0));
  p = f32x4.add(f32x4.mul(p, z), sp(1.0 / 216.0));
  p = f32x4.sub(f32x4.mul(p, z), sp(1.0 / 42.0));
  p = f32x4.add(f32x4.mul(p, z), sp(1.0 / 10.0));
  p = f32x4.sub(f32x4.mul(p, z), sp(1.0 / 3.0));
  p = f32x4.add(f32x4.mul(p, z), sp(1));
  const small = f32x4.mul(f32x4.mul(p, x), sp(1.1283791670955126));
  // otherwise 1 - erfc(|x|), with x's sign
  let big = f32x4.sub(sp(1), verfcPos(ax));
  big = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  const r = v128.bitselect(small, big, f32x4.lt(ax, sp(0.5)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

/** x * Phi(x) = 0.5 x erfc(-x / sqrt 2), without cancellation for negative x. */
@inline export function vgelu(x: v128): v128 {
  const z = f32x4.mul(x, sp(0.7071067811865476));
  const az = f32x4.abs(z);
  const ec = verfcPos(az); // erfc(|z|)
  // x < 0: erfc(-z) = erfc(|z|); x >= 0: erfc(-z) = 2 - erfc(|z|)
  const e = v128.bitselect(ec, f32x4.sub(sp(2), ec), f32x4.lt(x, sp(0)));
  return f32x4.mul(f32x4.mul(x, sp(0.5)), e);
}
