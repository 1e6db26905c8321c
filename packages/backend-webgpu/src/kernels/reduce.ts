/**
 * Reductions along any set of dims (sum, mean, prod, amax, amin) and row-wise kernels (softmax,
 * log_softmax, layer_norm). The input is viewed as [kept dims..., reduced dims...] through its
 * strides (no copy); each part is coalesced. One workgroup reduces one output through shared
 * memory, or one thread per output when the reduced size is small.
 */
import type { Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { coalesce, numelOf, storageType, type Program, type ShaderHelper, type UniformEntry } from '../program.js';

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

/** Reduces `x` over `dims` (normalized, distinct) into the contiguous `out` (kept dims in order). */
export function runReduce(be: WebGPUBackend, kind: ReduceKind, x: Tensor, dims: readonly number[], out: Tensor): void {
  const nOut = out.numel();
  if (nOut === 0) return;
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
  const R = numelOf(r.shape);
  const T = storageType(out.dtype) === 'f32' ? 'f32' : 'i32';
  const xt = storageType(x.dtype);
  const small = R <= SMALL;
  const kr = k.shape.length, rr = r.shape.length;
  const uniforms: UniformEntry[] = [
    { name: 'n_out', type: 'u32', value: nOut },
    { name: 'n_red', type: 'u32', value: R },
    { name: 'x_offset', type: 'u32', value: x.offset },
    { name: 'kept_shape', type: 'u32', value: k.shape },
    { name: 'kept_strides', type: 'u32', value: k.strides[0]! },
    { name: 'red_shape', type: 'u32', value: r.shape },
    { name: 'red_strides', type: 'u32', value: r.strides[0]! },
  ];
  const load = (off: string): string => (xt === T ? `x[${off}]` : `${T}(x[${off}])`);
  const finish = (v: string): string => {
    if (kind === 'mean') return `select(${v} / f32(uniforms.n_red), nan_f32(), uniforms.n_red == 0u)`;
    return v;
  };
  const p: Program = {
    name: `reduce_${kind}`,
    key: `${T};${small ? 't' : 'w'}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: small ? Math.ceil(nOut / WG) : nOut,
    shader: (h: ShaderHelper) => {
      const loop = (idx: string, start: string, step: string): string =>
        `  var acc: ${T} = ${identity(kind, T)};\n  for (var j = ${start}; j < uniforms.n_red; j += ${step}) {\n${h.splitIndex('j', 'red_shape', rr, 'r').replace(/^/gm, '  ')}    acc = ${combine(kind, 'acc', load(h.offset('red_strides', rr, 'r', `${idx}`)), T)};\n  }\n`;
      if (small) {
        const body =
          `  if (global_idx >= uniforms.n_out) { return; }\n` +
          h.splitIndex('global_idx', 'kept_shape', kr, 'k') +
          `  let base = ${h.offset('kept_strides', kr, 'k', 'uniforms.x_offset')};\n` +
          loop('base', '0u', '1u') +
          `  y[global_idx] = ${finish('acc')};\n`;
        return `${REDUCE_LIB}\n${h.main(body, WG)}`;
      }
      const body =
        `  if (group_idx >= uniforms.n_out) { return; }\n` +
        h.splitIndex('group_idx', 'kept_shape', kr, 'k') +
        `  let base = ${h.offset('kept_strides', kr, 'k', 'uniforms.x_offset')};\n` +
        loop('base', 'local_idx', `${WG}u`) +
        wgReduce('sh', 'acc', 'total', (a, b) => combine(kind, a, b, T)) +
        `  if (local_idx == 0u) { y[group_idx] = ${finish('total')}; }\n`;
      return `${REDUCE_LIB}\nvar<workgroup> sh: array<${T}, ${WG}>;\n${h.main(body, WG)}`;
    },
  };
  be.run(p);
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
        `    var v = (x[${xoff}] - mu) * rs;\n` +
        (weight ? `    v = v * w[${h.offset('wi_strides', irank, 'c', 'uniforms.w_offset')}];\n` : '') +
        (bias ? `    v = v + b[${h.offset('bi_strides', irank, 'c', 'uniforms.b_offset')}];\n` : '') +
        `    y[${h.offset('yi_strides', irank, 'c', 'yb')}] = v;\n  }\n`;
      return `var<workgroup> sh: array<f32, ${WG}>;\n${h.main(body, WG)}`;
    },
  };
  be.run(p);
}
