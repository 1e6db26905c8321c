import { roundToF16, type DType } from '../../dtype.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { fma } from '../../random.js';
import { dtypeArg, FACTORY_KW, sizeSpec } from './common.js';

const f32 = Math.fround;
const num = (v: number | boolean): number => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** Lanes per AVX2 vector (PyTorch's Vectorized<T>::size()) for the kernels' vector/scalar split. */
const VEC: Record<DType, number> = { float32: 8, float64: 4, float16: 16, int64: 4, int32: 8, int16: 16, int8: 32, uint8: 32, bool: 32 };

/**
 * cpu_serial_kernel_vec's evaluation order: blocks of two vectors whose lanes are `lane(base, k)`
 * from a per-vector `base(idx)`, then the scalar op for the tail.
 */
function vecFill(out: { [i: number]: number }, n: number, lanes: number, base: (idx: number) => number, lane: (b: number, k: number) => number, scalar: (i: number) => number): void {
  let i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    for (const s of [i, i + lanes]) {
      const b = base(s);
      for (let k = 0; k < lanes; k++) out[s + k] = lane(b, k);
    }
  }
  for (; i < n; i++) out[i] = scalar(i);
}

const isInt = (d: DType): boolean => d !== 'float32' && d !== 'float64' && d !== 'float16';

// ---------------------------------------------------------------- arange

function arangeArgs(a: Args): { start: number; end: number; step: number; dtype: DType } {
  const start = num(a.start ?? 0), end = num(a.end), step = num(a.step ?? 1);
  const allInt = [start, end, step].every((v) => Number.isInteger(v));
  return { start, end, step, dtype: dtypeArg(a.dtype, allInt ? 'int64' : 'float32') };
}

function arangeSize(start: number, end: number, step: number, dtype: DType): number {
  if (dtype === 'bool') throw new TypeError(`"arange_cpu" not implemented for 'Bool'`);
  const intAcc = isInt(dtype);
  const [s, e, st] = intAcc ? [Math.trunc(start), Math.trunc(end), Math.trunc(step)] : [start, end, step];
  if (!(st > 0 || st < 0)) throw new RangeError('step must be nonzero');
  if (!Number.isFinite(s) || !Number.isFinite(e)) throw new RangeError(`unsupported range: ${s} -> ${e}`);
  if (!((st > 0 && e >= s) || (st < 0 && e <= s))) throw new RangeError('upper bound and larger bound inconsistent with step sign');
  // int64 computes end - start in int64 first; other dtypes in double
  // (+ 0 turns ceil's -0, from an empty descending range, into 0)
  const size = (dtype === 'int64' ? Math.ceil((e - s) / st) : Math.ceil((end - start) / step)) + 0;
  if (!(size >= 0) || size > Number.MAX_SAFE_INTEGER) throw new RangeError('invalid size, possible overflow?');
  return size;
}

function arangeInfer(a: Args): OutSpec {
  const g = arangeArgs(a);
  return { shape: [arangeSize(g.start, g.end, g.step, g.dtype)], dtype: g.dtype };
}

function arangeKernel(a: Args, [out]: Tensor[]): void {
  const { start, step, dtype } = arangeArgs(a);
  const o = out!.hostArray;
  const n = o.length, L = VEC[dtype];
  if (isInt(dtype)) {
    const s = Math.trunc(start), st = Math.trunc(step);
    for (let i = 0; i < n; i++) o[i] = s + st * i;
  } else if (dtype === 'float64') {
    // the kernels are compiled with FMA contraction: start + step * i is one rounding
    vecFill(o, n, L, (i) => fma(step, i, start), (b, k) => fma(k, step, b), (i) => fma(step, i, start));
  } else if (dtype === 'float32') {
    vecFill(o, n, L, (i) => f32(fma(step, i, start)), (b, k) => f32(fma(k, step, b)), (i) => f32(fma(step, i, start)));
  } else {
    // float16 accumulates in float
    const s = f32(start), st = f32(step);
    const h = (v: number): number => roundToF16(f32(v));
    vecFill(o, n, L, (i) => h(fma(st, i, s)), (b, k) => h(fma(k, st, b)), (i) => h(fma(st, i, s)));
  }
}

/**
 * torch.arange([start,] end[, step]): int64 when start, end and step are all integers, else
 * float32 (JS cannot tell `2.0` from `2`: pass `{dtype: 'float32'}` for float ranges with
 * integral bounds). Length ceil((end - start) / step), as PyTorch computes it.
 */
export const arange = defineOp({
  name: 'arange',
  variants: ['function'],
  tags: ['factory'],
  overloads: [
    { schema: `aten::arange(Scalar end, *, ${FACTORY_KW}) -> Tensor`, infer: arangeInfer, cpu: arangeKernel },
    { schema: `aten::arange.start(Scalar start, Scalar end, *, ${FACTORY_KW}) -> Tensor`, infer: arangeInfer, cpu: arangeKernel },
    { schema: `aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ${FACTORY_KW}) -> Tensor`, infer: arangeInfer, cpu: arangeKernel },
  ],
});

// ---------------------------------------------------------------- linspace / logspace

function stepsSpec(a: Args): OutSpec {
  if (a.steps < 0) throw new RangeError('number of steps must be non-negative');
  return sizeSpec([a.steps], dtypeArg(a.dtype, 'float32'));
}

function linspaceKernel(a: Args, [out]: Tensor[]): void {
  const o = out!.hostArray;
  const n = a.steps as number, dtype = out!.dtype;
  if (n === 0) return;
  if (n === 1) {
    o[0] = num(a.start);
    return;
  }
  const half = Math.floor(n / 2), L = VEC[dtype];
  if (isInt(dtype)) {
    const s = Math.trunc(num(a.start)), e = Math.trunc(num(a.end));
    const step = (e - s) / (n - 1);
    const at = (i: number): number => Math.trunc(i < half ? fma(step, i, s) : fma(-step, n - i - 1, e));
    vecFill(o, n, L, at, (b, k) => Math.trunc(b + k * step), at);
    return;
  }
  if (dtype === 'float16') {
    // c10::Half arithmetic: every operation (with integers converted to Half) rounds to half
    const h = (v: number): number => roundToF16(f32(v));
    const s = h(num(a.start)), e = h(num(a.end));
    const step = h(h(e - s) / h(n - 1));
    const at = (i: number): number => (i < half ? h(s + h(step * h(i))) : h(e - h(step * h(n - i - 1))));
    vecFill(o, n, L, at, (b, k) => h(b + h(h(k) * step)), at);
    return;
  }
  const r = dtype === 'float64' ? (v: number) => v : f32;
  const s = r(num(a.start)), e = r(num(a.end));
  const step = r(r(e - s) / (n - 1));
  // (measured against PyTorch's AVX2 build: the per-vector base is fused, the lanes are not)
  const at = (i: number): number => (i < half ? r(fma(step, i, s)) : r(fma(-step, n - i - 1, e)));
  vecFill(o, n, L, at, (b, k) => r(b + r(k * step)), at);
}

export const linspace = defineOp({
  name: 'linspace',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::linspace(Scalar start, Scalar end, int steps, *, ${FACTORY_KW}) -> Tensor`, infer: stepsSpec, cpu: linspaceKernel }],
});

function logspaceKernel(a: Args, [out]: Tensor[]): void {
  const o = out!.hostArray;
  const n = a.steps as number, dtype = out!.dtype, base = a.base as number;
  if (n === 0) return;
  if (n === 1) {
    o[0] = Math.pow(base, num(a.start));
    if (isInt(dtype)) o[0] = Math.trunc(o[0]!);
    return;
  }
  const half = Math.floor(n / 2);
  if (isInt(dtype)) {
    const b = f32(base), s = Math.trunc(num(a.start)), e = Math.trunc(num(a.end));
    const step = (e - s) / (n - 1);
    for (let i = 0; i < n; i++) o[i] = Math.trunc(Math.pow(b, i < half ? fma(step, i, s) : fma(-step, n - i - 1, e)));
    return;
  }
  const r = dtype === 'float64' ? (v: number) => v : dtype === 'float32' ? f32 : (v: number) => roundToF16(f32(v));
  const s = r(num(a.start)), e = r(num(a.end));
  const step = r(e - s) / (n - 1);
  for (let i = 0; i < n; i++) o[i] = Math.pow(base, i < half ? fma(step, i, s) : fma(-step, n - i - 1, e));
}

export const logspace = defineOp({
  name: 'logspace',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::logspace(Scalar start, Scalar end, int steps, float base=10., *, ${FACTORY_KW}) -> Tensor`, infer: stepsSpec, cpu: logspaceKernel }],
});

// ---------------------------------------------------------------- eye, tril/triu_indices

function eyeSpec(a: Args): OutSpec {
  const n = a.n as number, m = (a.m as number | undefined) ?? n;
  if (n < 0) throw new RangeError(`n must be greater or equal to 0, got ${n}`);
  if (m < 0) throw new RangeError(`m must be greater or equal to 0, got ${m}`);
  return sizeSpec([n, m], dtypeArg(a.dtype, 'float32'));
}

function eyeKernel(_a: Args, [out]: Tensor[]): void {
  const [n, m] = out!.shape as [number, number];
  const o = out!.hostArray;
  for (let i = 0; i < Math.min(n, m); i++) o[i * m + i] = 1;
}

export const eye = defineOp({
  name: 'eye',
  variants: ['function'],
  tags: ['factory'],
  overloads: [
    { schema: `aten::eye(int n, *, ${FACTORY_KW}) -> Tensor`, infer: eyeSpec, cpu: eyeKernel },
    { schema: `aten::eye.m(int n, int m, *, ${FACTORY_KW}) -> Tensor`, infer: eyeSpec, cpu: eyeKernel },
  ],
});

function triIndices(a: Args, lower: boolean): number[][] {
  const row = a.row as number, col = a.col as number, offset = a.offset as number;
  if (row < 0) throw new RangeError(`row must be non-negative, got${row}`);
  if (col < 0) throw new RangeError(`col must be non-negative, got${col}`);
  const rs: number[] = [], cs: number[] = [];
  for (let i = 0; i < row; i++) {
    for (let j = 0; j < col; j++) {
      if (lower ? j - i <= offset : j - i >= offset) {
        rs.push(i);
        cs.push(j);
      }
    }
  }
  return [rs, cs];
}

function triIndicesOp<N extends string>(name: N, lower: boolean) {
  return defineOp({
    name,
    variants: ['function'],
    tags: ['factory'],
    overloads: [
      {
        schema: `aten::${name}(int row, int col, int offset=0, *, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor`,
        infer: (a: Args): OutSpec => ({ shape: [2, triIndices(a, lower)[0]!.length], dtype: dtypeArg(a.dtype, 'int64') }),
        cpu: (a: Args, [out]: Tensor[]) => {
          const [rs, cs] = triIndices(a, lower) as [number[], number[]];
          out!.hostArray.set(rs, 0);
          out!.hostArray.set(cs, rs.length);
        },
      },
    ],
  });
}
/** Row/column indices of the lower triangle (j - i <= offset) of a row x col matrix, as a [2, N] tensor. */
export const tril_indices = triIndicesOp('tril_indices', true);
/** Row/column indices of the upper triangle (j - i >= offset) of a row x col matrix, as a [2, N] tensor. */
export const triu_indices = triIndicesOp('triu_indices', false);
