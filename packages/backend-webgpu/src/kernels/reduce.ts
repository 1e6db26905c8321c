/**
 * Reductions along any set of dims (sum, mean, prod, amax, amin) and row-wise kernels (softmax,
 * log_softmax, layer_norm). The input is viewed as [kept dims..., reduced dims...] through its
 * strides (no copy); each part is coalesced. One workgroup reduces one output through shared
 * memory, or one thread per output when the reduced size is small.
 */
import type { Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { coalesce, numelOf, storageType, type Program, type ShaderHelper, type UniformEntry, type WgslType } from '../program.js';

export type ReduceKind = 'sum' | 'mean' | 'prod' | 'amax' | 'amin';

const WG = 64;
/** at or below this many reduced elements, one thread computes one output */
const SMALL = 32;

function combine(kind: ReduceKind, a: string, b: string, T: 'f32' | 'i32'): string {
  switch (kind) {
    case 'sum': case 'mean': return `${a} + ${b}`;
    case 'prod': return `${a} * ${b}`;
    case 'amax': return T === 'f32' ? `max_nan(${a}, ${b})` : `max(${a}, ${b})`;
    case 'amin': return T === 'f32' ? `min_nan(${a}, ${b})` : `min(${a}, ${b})`;
  }
}

function identity(kind: ReduceKind, T: 'f32' | 'i32'): string {
  switch (kind) {
    case 'sum': case 'mean': return T === 'f32' ? '0.0' : '0';
    case 'prod': return T === 'f32' ? '1.0' : '1';
    case 'amax': return T === 'f32' ? '-inf_f32()' : '-2147483647 - 1';
    case 'amin': return T === 'f32' ? 'inf_f32()' : '2147483647';
  }
}

const REDUCE_LIB = `
fn max_nan(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return max(a, b); }
fn min_nan(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return min(a, b); }
`;

/**
 * WGSL for a workgroup-wide reduction of `value` (type T) into `result` visible to all threads;
 * `buf` names a `var<workgroup>` array of WG elements declared by the caller.
 */
function wgReduce(buf: string, value: string, result: string, op: (a: string, b: string) => string): string {
  let s = `  ${buf}[local_idx] = ${value};\n  workgroupBarrier();\n`;
  for (let k = WG / 2; k >= 1; k >>= 1) {
    s += `  if (local_idx < ${k}u) { ${buf}[local_idx] = ${op(`${buf}[local_idx]`, `${buf}[local_idx + ${k}u]`)}; }\n  workgroupBarrier();\n`;
  }
  s += `  let ${result} = ${buf}[0];\n  workgroupBarrier();\n`;
  return s;
}

/**
 * The row-reduction engine: `x` viewed as [kept.., reduced..] (coalesced separately), one output
 * row per kept index. Kernels are written once as passes over the row; in thread mode (short
 * rows) one thread walks a whole row and `reduce` is a plain copy, in workgroup mode 64 threads
 * stride the row and `reduce` combines through workgroup memory.
 */
class RowReduce {
  readonly small: boolean;
  readonly R: number;
  readonly nOut: number;
  readonly uniforms: UniformEntry[];
  private readonly kr: number;
  private readonly rr: number;
  readonly xt: WgslType;

  constructor(readonly x: Tensor, dims: readonly number[], nOut: number) {
    const kept: number[] = [], red: number[] = [];
    for (let d = 0; d < x.ndim; d++) (dims.includes(d) ? red : kept).push(d);
    const keptShape = kept.map((d) => x.shape[d]!);
    const outStrides: number[] = [];
    for (let i = kept.length - 1, acc = 1; i >= 0; i--) {
      outStrides[i] = acc;
      acc *= keptShape[i]!;
    }
    const k = coalesce(keptShape, [kept.map((d) => x.strides[d]!), outStrides]);
    const r = coalesce(red.map((d) => x.shape[d]!), [red.map((d) => x.strides[d]!)]);
    this.R = numelOf(r.shape);
    this.nOut = nOut;
    this.small = this.R <= SMALL;
    this.kr = k.shape.length;
    this.rr = r.shape.length;
    this.xt = storageType(x.dtype);
    this.uniforms = [
      { name: 'n_out', type: 'u32', value: nOut },
      { name: 'n_red', type: 'u32', value: this.R },
      { name: 'x_offset', type: 'u32', value: x.offset },
      { name: 'kept_shape', type: 'u32', value: k.shape },
      { name: 'kept_strides', type: 'u32', value: k.strides[0]! },
      { name: 'red_shape', type: 'u32', value: r.shape },
      { name: 'red_strides', type: 'u32', value: r.strides[0]! },
    ];
  }

  get workgroups(): number {
    return this.small ? Math.ceil(this.nOut / WG) : this.nOut;
  }
  /** the output row index */
  get row(): string {
    return this.small ? 'global_idx' : 'group_idx';
  }
  /** true in the one thread that writes a row's results */
  get writer(): string {
    return this.small ? 'true' : 'local_idx == 0u';
  }
  get mode(): string {
    return this.small ? 't' : 'w';
  }

  /** Declarations of the workgroup arrays (`sh_f32`, `sh_i32`, `sh_u32`) for the types used. */
  shared(types: WgslType[]): string {
    return this.small ? '' : [...new Set(types)].map((t) => `var<workgroup> sh_${t}: array<${t}, ${WG}>;`).join('\n');
  }

  /** Guard and the row's base offset `base`. */
  prologue(h: ShaderHelper): string {
    return `  if (${this.row} >= uniforms.n_out) { return; }\n` + h.splitIndex(this.row, 'kept_shape', this.kr, 'k') + `  let base = ${h.offset('kept_strides', this.kr, 'k', 'uniforms.x_offset')};\n`;
  }

  /** A loop over the row: `j` (u32, row-major index over the reduced dims) and `xv` (x[...] as `as`). */
  loop(h: ShaderHelper, body: string, as: WgslType): string {
    const start = this.small ? '0u' : 'local_idx';
    const step = this.small ? '1u' : `${WG}u`;
    const raw = `x[${h.offset('red_strides', this.rr, 'r', 'base')}]`;
    const xv = this.xt === as ? raw : `${as}(${raw})`;
    const split = h.splitIndex('j', 'red_shape', this.rr, 'r').replace(/^/gm, '  ');
    return `  for (var j = ${start}; j < uniforms.n_red; j += ${step}) {\n${split}    let xv = ${xv};\n${body.replace(/^/gm, '    ')}\n  }\n`;
  }

  /** `let result` = every thread's `value` combined by `op`. */
  reduce(type: WgslType, value: string, result: string, op: (a: string, b: string) => string): string {
    if (this.small) return `  let ${result} = ${value};\n`;
    return wgReduce(`sh_${type}`, value, result, op);
  }

  /**
   * Combines (value, index) pairs: `better(a, ai, b, bi)` says whether (b, bi) replaces (a, ai).
   * Leaves `let ${result}` and `let ${result}_i`.
   */
  reducePair(type: WgslType, value: string, index: string, result: string, better: (a: string, ai: string, b: string, bi: string) => string): string {
    if (this.small) return `  let ${result} = ${value};\n  let ${result}_i = ${index};\n`;
    let s = `  sh_${type}[local_idx] = ${value};\n  sh_u32[local_idx] = ${index};\n  workgroupBarrier();\n`;
    for (let k = WG / 2; k >= 1; k >>= 1) {
      s += `  if (local_idx < ${k}u) {\n    let b = sh_${type}[local_idx + ${k}u]; let bi = sh_u32[local_idx + ${k}u];\n    if (${better(`sh_${type}[local_idx]`, 'sh_u32[local_idx]', 'b', 'bi')}) { sh_${type}[local_idx] = b; sh_u32[local_idx] = bi; }\n  }\n  workgroupBarrier();\n`;
    }
    s += `  let ${result} = sh_${type}[0];\n  let ${result}_i = sh_u32[0];\n  workgroupBarrier();\n`;
    return s;
  }
}

/** Reduces `x` over `dims` (normalized, distinct) into the contiguous `out` (kept dims in order). */
export function runReduce(be: WebGPUBackend, kind: ReduceKind | 'any' | 'all', x: Tensor, dims: readonly number[], out: Tensor): void {
  const nOut = out.numel();
  if (nOut === 0) return;
  const rr = new RowReduce(x, dims, nOut);
  const logical = kind === 'any' || kind === 'all';
  const T: 'f32' | 'i32' = !logical && storageType(out.dtype) === 'f32' ? 'f32' : 'i32';
  const ck: ReduceKind = kind === 'any' ? 'amax' : kind === 'all' ? 'amin' : kind;
  const outT = storageType(out.dtype);
  const finish = (v: string): string => {
    if (kind === 'mean') return `select(${v} / f32(uniforms.n_red), nan_f32(), uniforms.n_red == 0u)`;
    if (logical) return `u32(${v})`;
    return outT === T ? v : `${outT}(${v})`;
  };
  const elem = logical ? (rr.xt === 'f32' ? 'select(0, 1, xv != 0.0)' : rr.xt === 'u32' ? 'select(0, 1, xv != 0u)' : 'select(0, 1, xv != 0)') : 'xv';
  be.run({
    name: `reduce_${kind}`,
    key: `${T};${rr.mode}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: rr.uniforms,
    workgroups: rr.workgroups,
    shader: (h) => {
      const body =
        rr.prologue(h) +
        `  var acc: ${T} = ${kind === 'any' ? '0' : kind === 'all' ? '1' : identity(ck, T)};\n` +
        rr.loop(h, `acc = ${combine(ck, 'acc', elem, T)};`, logical ? rr.xt : T) +
        rr.reduce(T, 'acc', 'total', (a, b) => combine(ck, a, b, T)) +
        `  if (${rr.writer}) { y[${rr.row}] = ${finish('total')}; }\n`;
      return `${REDUCE_LIB}\n${rr.shared([T])}\n${h.main(body, WG)}`;
    },
  });
}

/**
 * var / std (and their `_mean` forms) with a correction: two passes (mean, then the sum of squared
 * deviations) divided by max(0, N - correction), as PyTorch computes them.
 */
export function runMoments(be: WebGPUBackend, x: Tensor, dims: readonly number[], correction: number, sqrt: boolean, out: Tensor, mean: Tensor | null): void {
  const nOut = out.numel();
  if (nOut === 0) return;
  const rr = new RowReduce(x, dims, nOut);
  const outputs = [{ name: 'y', tensor: out }];
  if (mean) outputs.push({ name: 'mu', tensor: mean });
  be.run({
    name: 'moments',
    key: `${rr.mode};${sqrt ? 's' : ''}${mean ? 'm' : ''}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs,
    uniforms: [...rr.uniforms, { name: 'correction', type: 'f32', value: correction }],
    workgroups: rr.workgroups,
    shader: (h) => {
      const body =
        rr.prologue(h) +
        `  var s = 0.0;\n` +
        rr.loop(h, 's += xv;', 'f32') +
        rr.reduce('f32', 's', 'total', (a, b) => `${a} + ${b}`) +
        `  let n = f32(uniforms.n_red);\n  let m = total / n;\n  var q = 0.0;\n` +
        rr.loop(h, 'let d = xv - m;\nq += d * d;', 'f32') +
        rr.reduce('f32', 'q', 'm2', (a, b) => `${a} + ${b}`) +
        `  let div = max(0.0, n - uniforms.correction);\n` +
        `  var v = m2 / div;\n` +
        `  if (uniforms.n_red == 0u || (div == 0.0 && m2 == 0.0)) { v = nan_f32(); } else if (div == 0.0) { v = inf_f32(); }\n` +
        `  if (${rr.writer}) {\n    y[${rr.row}] = ${sqrt ? 'sqrt(v)' : 'v'};\n${mean ? `    mu[${rr.row}] = select(m, nan_f32(), uniforms.n_red == 0u);\n` : ''}  }\n`;
      return `${rr.shared(['f32'])}\n${h.main(body, WG)}`;
    },
  });
}

/** logsumexp over dims: max, then max + log(sum(exp(x - max))) (infinite maxima kept as is). */
export function runLogsumexp(be: WebGPUBackend, x: Tensor, dims: readonly number[], out: Tensor): void {
  const nOut = out.numel();
  if (nOut === 0) return;
  const rr = new RowReduce(x, dims, nOut);
  be.run({
    name: 'logsumexp',
    key: rr.mode,
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: rr.uniforms,
    workgroups: rr.workgroups,
    shader: (h) => {
      const body =
        rr.prologue(h) +
        `  var mx = -inf_f32();\n` +
        rr.loop(h, 'mx = max_nan(mx, xv);', 'f32') +
        rr.reduce('f32', 'mx', 'row_max', (a, b) => `max_nan(${a}, ${b})`) +
        `  let shift = select(row_max, 0.0, abs(row_max) == inf_f32());\n  var s = 0.0;\n` +
        rr.loop(h, 's += exp(xv - shift);', 'f32') +
        rr.reduce('f32', 's', 'total', (a, b) => `${a} + ${b}`) +
        `  if (${rr.writer}) { y[${rr.row}] = log(total) + shift; }\n`;
      return `${REDUCE_LIB}\n${rr.shared(['f32'])}\n${h.main(body, WG)}`;
    },
  });
}

/**
 * argmax / argmin and max.dim / min.dim: PyTorch's rule, a NaN wins (the first one), and among
 * equal extremes the first index. Indices count row-major over the reduced dims.
 */
export function runArgReduce(be: WebGPUBackend, x: Tensor, dims: readonly number[], max: boolean, values: Tensor | null, indices: Tensor): void {
  const nOut = indices.numel();
  if (nOut === 0) return;
  const rr = new RowReduce(x, dims, nOut);
  const T: 'f32' | 'i32' = rr.xt === 'f32' ? 'f32' : 'i32';
  const cmp = max ? '>' : '<';
  // does (b, bi) replace (a, ai)?
  const better = (a: string, ai: string, b: string, bi: string): string =>
    T === 'f32'
      ? `(is_nan(${b}) && (!is_nan(${a}) || ${bi} < ${ai})) || (!is_nan(${a}) && !is_nan(${b}) && (${b} ${cmp} ${a} || (${b} == ${a} && ${bi} < ${ai})))`
      : `(${b} ${cmp} ${a} || (${b} == ${a} && ${bi} < ${ai}))`;
  const outputs = [{ name: 'ind', tensor: indices }];
  if (values) outputs.push({ name: 'val', tensor: values });
  const vt = values ? storageType(values.dtype) : T;
  be.run({
    name: max ? 'argmax' : 'argmin',
    key: `${T};${rr.mode};${values ? 'v' : ''}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs,
    uniforms: rr.uniforms,
    workgroups: rr.workgroups,
    shader: (h) => {
      const body =
        rr.prologue(h) +
        `  var best: ${T} = ${T === 'f32' ? 'nan_f32()' : '0'};\n  var bi = 0xffffffffu;\n` +
        rr.loop(h, `if (bi == 0xffffffffu || ${better('best', 'bi', 'xv', 'j')}) { best = xv; bi = j; }`, T) +
        rr.reducePair(T, 'best', 'bi', 'res', (a, ai, b, bi) => `${ai} == 0xffffffffu || (${bi} != 0xffffffffu && (${better(a, ai, b, bi)}))`) +
        `  if (${rr.writer}) {\n    ind[${rr.row}] = i32(res_i);\n${values ? `    val[${rr.row}] = ${vt === T ? 'res' : `${vt}(res)`};\n` : ''}  }\n`;
      return `${REDUCE_LIB}\n${rr.shared([T, 'u32'])}\n${h.main(body, WG)}`;
    },
  });
}

/** cumsum / cumprod along `dim`: one thread per line walks it sequentially. */
export function runScan(be: WebGPUBackend, x: Tensor, dim: number, prod: boolean, out: Tensor): void {
  const n = out.numel();
  if (n === 0) return;
  const rank = x.ndim;
  const d = rank === 0 ? -1 : dim < 0 ? dim + rank : dim;
  const L = d < 0 ? 1 : x.shape[d]!;
  const outer = [...Array(rank).keys()].filter((i) => i !== d);
  const o = coalesce(outer.map((i) => x.shape[i]!), [outer.map((i) => x.strides[i]!), outer.map((i) => out.strides[i]!)]);
  const orank = o.shape.length;
  const T = storageType(out.dtype) === 'f32' ? 'f32' : 'i32';
  const xt = storageType(x.dtype);
  be.run({
    name: prod ? 'cumprod' : 'cumsum',
    key: T,
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: [
      { name: 'lines', type: 'u32', value: n / L },
      { name: 'len', type: 'u32', value: L },
      { name: 'x_offset', type: 'u32', value: x.offset },
      { name: 'y_offset', type: 'u32', value: out.offset },
      { name: 'x_step', type: 'u32', value: d < 0 ? 0 : x.strides[d]! },
      { name: 'y_step', type: 'u32', value: d < 0 ? 0 : out.strides[d]! },
      { name: 'outer_shape', type: 'u32', value: o.shape },
      { name: 'x_strides', type: 'u32', value: o.strides[0]! },
      { name: 'y_strides', type: 'u32', value: o.strides[1]! },
    ],
    workgroups: Math.ceil(n / L / WG),
    shader: (h) => {
      const ld = xt === T ? 'x[xb + j * uniforms.x_step]' : `${T}(x[xb + j * uniforms.x_step])`;
      const body =
        `  if (global_idx >= uniforms.lines) { return; }\n` +
        h.splitIndex('global_idx', 'outer_shape', orank, 'o') +
        `  let xb = ${h.offset('x_strides', orank, 'o', 'uniforms.x_offset')};\n` +
        `  let yb = ${h.offset('y_strides', orank, 'o', 'uniforms.y_offset')};\n` +
        `  var acc: ${T} = ${prod ? (T === 'f32' ? '1.0' : '1') : T === 'f32' ? '0.0' : '0'};\n` +
        `  for (var j = 0u; j < uniforms.len; j++) { acc = acc ${prod ? '*' : '+'} ${ld}; y[yb + j * uniforms.y_step] = acc; }\n`;
      return h.main(body, WG);
    },
  });
}

/**
 * Row-wise softmax / log_softmax along `dim`: one workgroup per row (max, sum of exp, write).
 * Input and output are walked through their own strides.
 */
export function runSoftmax(be: WebGPUBackend, x: Tensor, dim: number, out: Tensor, log: boolean): void {
  const n = out.numel();
  if (n === 0) return;
  const rank = x.ndim;
  const d = rank === 0 ? -1 : dim < 0 ? dim + rank : dim;
  const L = d < 0 ? 1 : x.shape[d]!;
  const outerDims = [...Array(rank).keys()].filter((i) => i !== d);
  const o = coalesce(outerDims.map((i) => x.shape[i]!), [outerDims.map((i) => x.strides[i]!), outerDims.map((i) => out.strides[i]!)]);
  const rows = n / L;
  const orank = o.shape.length;
  const xt = storageType(x.dtype);
  const uniforms: UniformEntry[] = [
    { name: 'rows', type: 'u32', value: rows },
    { name: 'len', type: 'u32', value: L },
    { name: 'x_offset', type: 'u32', value: x.offset },
    { name: 'y_offset', type: 'u32', value: out.offset },
    { name: 'x_step', type: 'u32', value: d < 0 ? 0 : x.strides[d]! },
    { name: 'y_step', type: 'u32', value: d < 0 ? 0 : out.strides[d]! },
    { name: 'outer_shape', type: 'u32', value: o.shape },
    { name: 'x_strides', type: 'u32', value: o.strides[0]! },
    { name: 'y_strides', type: 'u32', value: o.strides[1]! },
  ];
  const ld = (off: string): string => (xt === 'f32' ? `x[${off}]` : `f32(x[${off}])`);
  const p: Program = {
    name: log ? 'log_softmax' : 'softmax',
    key: '',
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: rows,
    shader: (h) => {
      const body =
        `  if (group_idx >= uniforms.rows) { return; }\n` +
        h.splitIndex('group_idx', 'outer_shape', orank, 'o') +
        `  let xb = ${h.offset('x_strides', orank, 'o', 'uniforms.x_offset')};\n` +
        `  let yb = ${h.offset('y_strides', orank, 'o', 'uniforms.y_offset')};\n` +
        `  var m = -inf_f32();\n` +
        `  for (var j = local_idx; j < uniforms.len; j += ${WG}u) { m = max_nan(m, ${ld('xb + j * uniforms.x_step')}); }\n` +
        wgReduce('sh', 'm', 'row_max', (a, b) => `max_nan(${a}, ${b})`) +
        `  var s = 0.0;\n` +
        `  for (var j = local_idx; j < uniforms.len; j += ${WG}u) { s += exp(${ld('xb + j * uniforms.x_step')} - row_max); }\n` +
        wgReduce('sh', 's', 'row_sum', (a, b) => `${a} + ${b}`) +
        (log
          ? `  let lse = log(row_sum);\n  for (var j = local_idx; j < uniforms.len; j += ${WG}u) { y[yb + j * uniforms.y_step] = ${ld('xb + j * uniforms.x_step')} - row_max - lse; }\n`
          : `  for (var j = local_idx; j < uniforms.len; j += ${WG}u) { y[yb + j * uniforms.y_step] = exp(${ld('xb + j * uniforms.x_step')} - row_max) / row_sum; }\n`);
      return `${REDUCE_LIB}\nvar<workgroup> sh: array<f32, ${WG}>;\n${h.main(body, WG)}`;
    },
  };
  be.run(p);
}

/**
 * native_layer_norm over the trailing `k` dims: one workgroup per row computes the mean, the
 * biased variance (two passes), rstd, and writes y = (x - mean) * rstd * w + b.
 */
export function runLayerNorm(be: WebGPUBackend, x: Tensor, k: number, weight: Tensor | null, bias: Tensor | null, eps: number, y: Tensor, mean: Tensor, rstd: Tensor): void {
  const rank = x.ndim;
  const inner = x.shape.slice(rank - k);
  const L = numelOf(inner);
  const rows = numelOf(x.shape.slice(0, rank - k));
  if (rows === 0) return;
  const outerDims = [...Array(rank - k).keys()];
  const innerDims = [...Array(k).keys()].map((i) => rank - k + i);
  const o = coalesce(outerDims.map((i) => x.shape[i]!), [outerDims.map((i) => x.strides[i]!), outerDims.map((i) => y.strides[i]!)]);
  const wS = weight ? weight.strides : new Array<number>(k).fill(0);
  const bS = bias ? bias.strides : new Array<number>(k).fill(0);
  const c = coalesce(inner, [innerDims.map((i) => x.strides[i]!), innerDims.map((i) => y.strides[i]!), [...wS], [...bS]]);
  const orank = o.shape.length, irank = c.shape.length;
  const uniforms: UniformEntry[] = [
    { name: 'rows', type: 'u32', value: rows },
    { name: 'len', type: 'u32', value: L },
    { name: 'eps', type: 'f32', value: eps },
    { name: 'x_offset', type: 'u32', value: x.offset },
    { name: 'y_offset', type: 'u32', value: y.offset },
    { name: 'w_offset', type: 'u32', value: weight ? weight.offset : 0 },
    { name: 'b_offset', type: 'u32', value: bias ? bias.offset : 0 },
    { name: 'outer_shape', type: 'u32', value: o.shape },
    { name: 'xo_strides', type: 'u32', value: o.strides[0]! },
    { name: 'yo_strides', type: 'u32', value: o.strides[1]! },
    { name: 'inner_shape', type: 'u32', value: c.shape },
    { name: 'xi_strides', type: 'u32', value: c.strides[0]! },
    { name: 'yi_strides', type: 'u32', value: c.strides[1]! },
    { name: 'wi_strides', type: 'u32', value: c.strides[2]! },
    { name: 'bi_strides', type: 'u32', value: c.strides[3]! },
  ];
  const inputs = [{ name: 'x', tensor: x }];
  if (weight) inputs.push({ name: 'w', tensor: weight });
  if (bias) inputs.push({ name: 'b', tensor: bias });
  const p: Program = {
    name: 'layer_norm',
    key: `${weight ? 'w' : ''}${bias ? 'b' : ''}`,
    inputs,
    outputs: [{ name: 'y', tensor: y }, { name: 'mean', tensor: mean }, { name: 'rstd', tensor: rstd }],
    uniforms,
    workgroups: rows,
    shader: (h) => {
      const split = h.splitIndex('j', 'inner_shape', irank, 'c').replace(/^/gm, '  ');
      const xoff = h.offset('xi_strides', irank, 'c', 'xb');
      const body =
        `  if (group_idx >= uniforms.rows) { return; }\n` +
        h.splitIndex('group_idx', 'outer_shape', orank, 'o') +
        `  let xb = ${h.offset('xo_strides', orank, 'o', 'uniforms.x_offset')};\n` +
        `  let yb = ${h.offset('yo_strides', orank, 'o', 'uniforms.y_offset')};\n` +
        `  var s = 0.0;\n  for (var j = local_idx; j < uniforms.len; j += ${WG}u) {\n${split}    s += x[${xoff}];\n  }\n` +
        wgReduce('sh', 's', 'total', (a, b) => `${a} + ${b}`) +
        `  let mu = total / f32(uniforms.len);\n` +
        `  var q = 0.0;\n  for (var j = local_idx; j < uniforms.len; j += ${WG}u) {\n${split}    let dv = x[${xoff}] - mu;\n    q += dv * dv;\n  }\n` +
        wgReduce('sh', 'q', 'sq', (a, b) => `${a} + ${b}`) +
        `  let rs = 1.0 / sqrt(sq / f32(uniforms.len) + uniforms.eps);\n` +
        `  if (local_idx == 0u) { mean[group_idx] = mu; rstd[group_idx] = rs; }\n` +
        `  for (var j = local_idx; j < uniforms.len; j += ${WG}u) {\n${split}` +
        // ATen's float arithmetic: fma(x, rstd, -rstd * mean), the product's rounding error added
        // back exactly (GPU fma may not be fused) so rows whose exact result is 0 keep its residue
        `    let xx = x[${xoff}];\n    let pr = xx * rs;\n    var v = (pr - rs * mu) + prod_err(xx, rs, pr);\n` +
        (weight ? `    v = v * w[${h.offset('wi_strides', irank, 'c', 'uniforms.w_offset')}];\n` : '') +
        (bias ? `    v = v + b[${h.offset('bi_strides', irank, 'c', 'uniforms.b_offset')}];\n` : '') +
        `    y[${h.offset('yi_strides', irank, 'c', 'yb')}] = v;\n  }\n`;
      return `var<workgroup> sh: array<f32, ${WG}>;\n${PROD_ERR}\n${h.main(body, WG)}`;
    },
  };
  be.run(p);
}

/** The rounding error of p = a * b (Dekker's two-product with Veltkamp splitting; exact for f32). */
const PROD_ERR = `
fn split_hi(a: f32) -> f32 { let c = a * 4097.0; return c - (c - a); }
fn prod_err(a: f32, b: f32, p: f32) -> f32 {
  if (abs(p) > 1e30 || is_nan(p)) { return 0.0; }
  let ah = split_hi(a); let al = a - ah;
  let bh = split_hi(b); let bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}`;
