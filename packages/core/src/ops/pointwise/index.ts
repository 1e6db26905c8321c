import { abs } from './abs.js';
import { acos } from './acos.js';
import { acosh } from './acosh.js';
import { add } from './add.js';
import { addcdiv } from './addcdiv.js';
import { addcmul } from './addcmul.js';
import { alpha_dropout, alpha_dropout_ } from './alpha_dropout.js';
import { asin } from './asin.js';
import { asinh } from './asinh.js';
import { atan } from './atan.js';
import { atan2 } from './atan2.js';
import { atanh } from './atanh.js';
import { bitwise_and, __and__, __iand__ } from './bitwise_and.js';
import { bitwise_left_shift, __lshift__, __ilshift__ } from './bitwise_left_shift.js';
import { bitwise_not } from './bitwise_not.js';
import { bitwise_or, __or__, __ior__ } from './bitwise_or.js';
import { bitwise_right_shift, __rshift__, __irshift__ } from './bitwise_right_shift.js';
import { bitwise_xor, __xor__, __ixor__ } from './bitwise_xor.js';
import { ceil } from './ceil.js';
import { celu } from './celu.js';
import { clamp } from './clamp.js';
import { clamp_max } from './clamp_max.js';
import { clamp_min } from './clamp_min.js';
import { copysign } from './copysign.js';
import { cos } from './cos.js';
import { cosh } from './cosh.js';
import { deg2rad } from './deg2rad.js';
import { digamma } from './digamma.js';
import { div } from './div.js';
import { dropout, dropout_ } from './dropout.js';
import { elu } from './elu.js';
import { eq } from './eq.js';
import { erf } from './erf.js';
import { erfc } from './erfc.js';
import { erfinv } from './erfinv.js';
import { exp } from './exp.js';
import { exp2 } from './exp2.js';
import { expm1 } from './expm1.js';
import { feature_alpha_dropout, feature_alpha_dropout_ } from './feature_alpha_dropout.js';
import { feature_dropout, feature_dropout_ } from './feature_dropout.js';
import { float_power } from './float_power.js';
import { floor } from './floor.js';
import { floor_divide } from './floor_divide.js';
import { fmax } from './fmax.js';
import { fmin } from './fmin.js';
import { fmod } from './fmod.js';
import { frac } from './frac.js';
import { frexp } from './frexp.js';
import { gcd } from './gcd.js';
import { ge } from './ge.js';
import { gelu } from './gelu.js';
import { glu } from './glu.js';
import { gt } from './gt.js';
import { hardshrink } from './hardshrink.js';
import { hardsigmoid } from './hardsigmoid.js';
import { hardswish } from './hardswish.js';
import { hardtanh } from './hardtanh.js';
import { heaviside } from './heaviside.js';
import { hypot } from './hypot.js';
import { i0 } from './i0.js';
import { isfinite } from './isfinite.js';
import { isinf } from './isinf.js';
import { isnan } from './isnan.js';
import { isneginf } from './isneginf.js';
import { isposinf } from './isposinf.js';
import { isreal } from './isreal.js';
import { lcm } from './lcm.js';
import { ldexp } from './ldexp.js';
import { le } from './le.js';
import { leaky_relu } from './leaky_relu.js';
import { lerp } from './lerp.js';
import { lgamma } from './lgamma.js';
import { log } from './log.js';
import { log10 } from './log10.js';
import { log1p } from './log1p.js';
import { log2 } from './log2.js';
import { logaddexp } from './logaddexp.js';
import { logaddexp2 } from './logaddexp2.js';
import { logical_and } from './logical_and.js';
import { logical_not } from './logical_not.js';
import { logical_or } from './logical_or.js';
import { logical_xor } from './logical_xor.js';
import { logit } from './logit.js';
import { logsigmoid } from './logsigmoid.js';
import { lt } from './lt.js';
import { masked_fill } from './masked_fill.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { mish } from './mish.js';
import { mul } from './mul.js';
import { nan_to_num } from './nan_to_num.js';
import { ne } from './ne.js';
import { neg } from './neg.js';
import { nextafter } from './nextafter.js';
import { positive } from './positive.js';
import { pow } from './pow.js';
import { prelu } from './prelu.js';
import { rad2deg } from './rad2deg.js';
import { reciprocal } from './reciprocal.js';
import { relu } from './relu.js';
import { relu6 } from './relu6.js';
import { remainder } from './remainder.js';
import { round } from './round.js';
import { rsqrt } from './rsqrt.js';
import { rsub } from './rsub.js';
import { selu } from './selu.js';
import { sgn } from './sgn.js';
import { sigmoid } from './sigmoid.js';
import { sign } from './sign.js';
import { signbit } from './signbit.js';
import { silu } from './silu.js';
import { sin } from './sin.js';
import { sinc } from './sinc.js';
import { sinh } from './sinh.js';
import { softplus } from './softplus.js';
import { softshrink } from './softshrink.js';
import { softsign } from './softsign.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { sub } from './sub.js';
import { tan } from './tan.js';
import { tanh } from './tanh.js';
import { tanhshrink } from './tanhshrink.js';
import { threshold } from './threshold.js';
import { true_divide } from './true_divide.js';
import { trunc } from './trunc.js';
import { where } from './where.js';
import { xlogy } from './xlogy.js';

export const pointwiseOps = [
  abs, acos, acosh, add, addcdiv, addcmul, alpha_dropout, alpha_dropout_, asin, asinh, atan, atan2, atanh,
  bitwise_and, __and__, __iand__, bitwise_left_shift, __lshift__, __ilshift__, bitwise_not, bitwise_or,
  __or__, __ior__, bitwise_right_shift, __rshift__, __irshift__, bitwise_xor, __xor__, __ixor__, ceil, celu,
  clamp, clamp_max, clamp_min, copysign, cos, cosh, deg2rad, digamma, div, dropout, dropout_, elu, eq, erf,
  erfc, erfinv, exp, exp2, expm1, feature_alpha_dropout, feature_alpha_dropout_, feature_dropout,
  feature_dropout_, float_power, floor, floor_divide, fmax, fmin, fmod, frac, frexp, gcd, ge, gelu, glu, gt,
  hardshrink, hardsigmoid, hardswish, hardtanh, heaviside, hypot, i0, isfinite, isinf, isnan, isneginf,
  isposinf, isreal, lcm, ldexp, le, leaky_relu, lerp, lgamma, log, log10, log1p, log2, logaddexp, logaddexp2,
  logical_and, logical_not, logical_or, logical_xor, logit, logsigmoid, lt, masked_fill, maximum, minimum,
  mish, mul, nan_to_num, ne, neg, nextafter, positive, pow, prelu, rad2deg, reciprocal, relu, relu6,
  remainder, round, rsqrt, rsub, selu, sgn, sigmoid, sign, signbit, silu, sin, sinc, sinh, softplus,
  softshrink, softsign, sqrt, square, sub, tan, tanh, tanhshrink, threshold, true_divide, trunc, where,
  xlogy,
] as const;
