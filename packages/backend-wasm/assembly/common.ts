// Shared helpers of the kernel library. Two builds come from these sources: plain SIMD128
// (multiply then add) and relaxed SIMD (`f32x4.relaxed_madd`, a fused multiply-add where the
// hardware has one). `ASC_FEATURE_RELAXED_SIMD` is a compile-time constant, so each build keeps
// only its own branch.

/** acc + a * b */
@inline export function vfma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  else return f32x4.add(acc, f32x4.mul(a, b));
}

/** Rows of the GEMM microkernel: 6 with fused multiply-add (12 accumulators), 4 without
 *  (V8 needs a scratch register for every separate multiply; 6 rows then spill). */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
/** Columns of the microkernel (two f32x4 vectors). */
export const NR: i32 = 8;
/** K block: an A panel block (MR x KC) and a B tile block (KC x NR) stay in L1. */
export const KC: i32 = 256;

/** min(max(v, lo), hi), as ATen clamps (hi wins when lo > hi); NaN stays NaN */
@inline export function clampv(v: v128, lo: v128, hi: v128): v128 {
  return f32x4.min(f32x4.max(v, lo), hi);
}

@inline export function clampf(v: f32, lo: f32, hi: f32): f32 {
  // NaN stays NaN (Mathf.max/min propagate it)
  return Mathf.min(Mathf.max(v, lo), hi);
}

/** i32 argument slot `i` of an argument block */
@inline export function argi(args: usize, i: i32): i32 {
  return load<i32>(args + (<usize>i << 2));
}
/** f32 argument slot `i` */
@inline export function argf(args: usize, i: i32): f32 {
  return load<f32>(args + (<usize>i << 2));
}
/** pointer argument slot `i` */
@inline export function argp(args: usize, i: i32): usize {
  return <usize>load<u32>(args + (<usize>i << 2));
}
