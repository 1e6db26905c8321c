/**
 * Batched GEMM with broadcasting and strided operands: C[b.., m, n] = alpha * sum_k A[b.., m, k] *
 * B[b.., k, n] + beta * bias[b.., m, n]. Tiled: a 16x16 workgroup computes a 32x32 block of C
 * (2x2 per thread), staging 32x8 / 8x32 tiles of A and B in workgroup memory.
 */
import type { Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { broadcastView, coalesce, numelOf, storageType, type Program, type UniformEntry, type View } from '../program.js';

const TS = 16; // threads per side
const BLOCK = 32; // C block per workgroup side
const KT = 8; // K tile

export interface GemmArgs {
  /** [batch.., M, K] views (batch dims already broadcast to `batch`) */
  a: Tensor;
  aView: View;
  b: Tensor;
  bView: View;
  out: Tensor;
  /** [batch.., M, N] view of `out` */
  outView: View;
  bias?: { t: Tensor; view: View } | null;
  alpha?: number;
  beta?: number;
  /** fused epilogue: + residual (a view shaped like outView), then clamp */
  epilogue?: Epilogue;
}

export interface Epilogue {
  residual?: { t: Tensor; view: View } | null;
  lo?: number | null;
  hi?: number | null;
}

/** A view [.., M, K] -> its batch part broadcast to `batch` plus the two matrix strides. */
export function withBatch(v: View, batch: readonly number[]): View {
  const r = v.shape.length;
  const bv = broadcastView({ shape: v.shape.slice(0, r - 2), strides: v.strides.slice(0, r - 2), offset: v.offset }, batch);
  return { shape: [...batch, v.shape[r - 2]!, v.shape[r - 1]!], strides: [...bv.strides, v.strides[r - 2]!, v.strides[r - 1]!], offset: v.offset };
}

export function runGemm(be: WebGPUBackend, g: GemmArgs): void {
  const { aView: av, bView: bv, outView: cv } = g;
  const r = cv.shape.length;
  const M = cv.shape[r - 2]!, N = cv.shape[r - 1]!, K = av.shape[r - 1]!;
  const batch = cv.shape.slice(0, r - 2);
  const nb = numelOf(batch);
  if (M === 0 || N === 0 || nb === 0) return;
  const alpha = g.alpha ?? 1, beta = g.beta ?? 1;
  const bias = g.bias && beta !== 0 ? g.bias : null;
  const biasView = bias ? bias.view : null;
  const ep = g.epilogue ?? {};
  const res = ep.residual ?? null;
  const lo = ep.lo ?? null, hi = ep.hi ?? null;
  const sb = [av, bv, cv, biasView ?? cv, res ? res.view : cv].map((v) => v.strides.slice(0, r - 2));
  const c = coalesce(batch, sb);
  const br = c.shape.length;
  // integer matmuls accumulate in i32; operands load converted to the output's type
  const T = storageType(g.out.dtype) === 'f32' ? 'f32' : 'i32';
  const zero = T === 'f32' ? '0.0' : '0';
  const ld = (name: string, t: Tensor, off: string): string => (storageType(t.dtype) === T ? `${name}[${off}]` : `${T}(${name}[${off}])`);
  if (nb > 65535) throw new Error(`webgpu matmul: ${nb} batches exceed the 65535 dispatch limit`);
  const uniforms: UniformEntry[] = [
    { name: 'M', type: 'u32', value: M },
    { name: 'N', type: 'u32', value: N },
    { name: 'K', type: 'u32', value: K },
    { name: 'alpha', type: T, value: alpha },
    { name: 'beta', type: T, value: beta },
    { name: 'a_offset', type: 'u32', value: av.offset },
    { name: 'b_offset', type: 'u32', value: bv.offset },
    { name: 'c_offset', type: 'u32', value: cv.offset },
    { name: 'a_sm', type: 'u32', value: av.strides[r - 2]! },
    { name: 'a_sk', type: 'u32', value: av.strides[r - 1]! },
    { name: 'b_sk', type: 'u32', value: bv.strides[r - 2]! },
    { name: 'b_sn', type: 'u32', value: bv.strides[r - 1]! },
    { name: 'c_sm', type: 'u32', value: cv.strides[r - 2]! },
    { name: 'c_sn', type: 'u32', value: cv.strides[r - 1]! },
    { name: 'batch_shape', type: 'u32', value: c.shape },
    { name: 'a_bs', type: 'u32', value: c.strides[0]! },
    { name: 'b_bs', type: 'u32', value: c.strides[1]! },
    { name: 'c_bs', type: 'u32', value: c.strides[2]! },
  ];
  if (res) {
    uniforms.push(
      { name: 'res_offset', type: 'u32', value: res.view.offset },
      { name: 'res_sm', type: 'u32', value: res.view.strides[r - 2]! },
      { name: 'res_sn', type: 'u32', value: res.view.strides[r - 1]! },
      { name: 'res_bs', type: 'u32', value: c.strides[4]! },
    );
  }
  if (lo !== null) uniforms.push({ name: 'lo', type: T, value: lo });
  if (hi !== null) uniforms.push({ name: 'hi', type: T, value: hi });
  if (biasView) {
    uniforms.push(
      { name: 'bias_offset', type: 'u32', value: biasView.offset },
      { name: 'bias_sm', type: 'u32', value: biasView.strides[r - 2]! },
      { name: 'bias_sn', type: 'u32', value: biasView.strides[r - 1]! },
      { name: 'bias_bs', type: 'u32', value: c.strides[3]! },
    );
  }
  const inputs = [{ name: 'A', tensor: g.a }, { name: 'B', tensor: g.b }];
  if (bias) inputs.push({ name: 'bias', tensor: bias.t });
  if (res) inputs.push({ name: 'res', tensor: res.t });
  const epi: StoreEpilogue = {
    bias: bias ? (off: string) => ld('bias', bias.t, off) : null,
    res: res ? (off: string) => ld('res', res.t, off) : null,
    lo: lo !== null,
    hi: hi !== null,
  };
  const p: Program = {
    name: 'gemm',
    key: `${T};${bias ? 'bias' : ''}${res ? 'res' : ''}${lo !== null ? 'lo' : ''}${hi !== null ? 'hi' : ''}`,
    inputs,
    outputs: [{ name: 'C', tensor: g.out }],
    uniforms,
    workgroups: [Math.ceil(N / BLOCK), Math.ceil(M / BLOCK), nb],
    shader: (h) => {
      const decl = h.declarations();
      return `${decl}
var<workgroup> tA: array<array<${T}, ${KT}>, ${BLOCK}>;
var<workgroup> tB: array<array<${T}, ${BLOCK}>, ${KT}>;
@compute @workgroup_size(${TS}, ${TS}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let bidx = wid.z;
${h.splitIndex('bidx', 'batch_shape', br, 'q')}
  let a_base = ${h.offset('a_bs', br, 'q', 'uniforms.a_offset')};
  let b_base = ${h.offset('b_bs', br, 'q', 'uniforms.b_offset')};
  let c_base = ${h.offset('c_bs', br, 'q', 'uniforms.c_offset')};
  let row0 = wid.y * ${BLOCK}u;
  let col0 = wid.x * ${BLOCK}u;
  let tx = lid.x;
  let ty = lid.y;
  var acc00 = ${zero}; var acc01 = ${zero}; var acc10 = ${zero}; var acc11 = ${zero};
  let K = uniforms.K;
  let tid = ty * ${TS}u + tx;
  // each of the 256 threads stages one element of the ${BLOCK}x${KT} A tile and one of the ${KT}x${BLOCK} B tile
  let ar = tid / ${KT}u;
  let ak = tid % ${KT}u;
  let bk = tid / ${BLOCK}u;
  let bc = tid % ${BLOCK}u;
  for (var k0 = 0u; k0 < K; k0 += ${KT}u) {
    let m = row0 + ar;
    let ka = k0 + ak;
    var v = ${zero};
    if (m < uniforms.M && ka < K) { v = ${ld('A', g.a, 'a_base + m * uniforms.a_sm + ka * uniforms.a_sk')}; }
    tA[ar][ak] = v;
    let n = col0 + bc;
    let kb = k0 + bk;
    var w = ${zero};
    if (n < uniforms.N && kb < K) { w = ${ld('B', g.b, 'b_base + kb * uniforms.b_sk + n * uniforms.b_sn')}; }
    tB[bk][bc] = w;
    workgroupBarrier();
    for (var kk = 0u; kk < ${KT}u; kk++) {
      let a0 = tA[ty][kk];
      let a1 = tA[ty + ${TS}u][kk];
      let b0 = tB[kk][tx];
      let b1 = tB[kk][tx + ${TS}u];
      acc00 += a0 * b0; acc01 += a0 * b1; acc10 += a1 * b0; acc11 += a1 * b1;
    }
    workgroupBarrier();
  }
  ${[0, 1].map((i) => [0, 1].map((j) => store(i, j, epi, br, h)).join('\n')).join('\n')}
}`;
    },
  };
  be.run(p);
}

interface StoreEpilogue {
  bias: ((off: string) => string) | null;
  res: ((off: string) => string) | null;
  lo: boolean;
  hi: boolean;
}

function store(i: number, j: number, e: StoreEpilogue, br: number, h: { offset: (s: string, r: number, p: string, b?: string) => string }): string {
  const m = `row0 + ty + ${i * TS}u`, n = `col0 + tx + ${j * TS}u`;
  const acc = `acc${i}${j}`;
  let s = `  if (${m} < uniforms.M && ${n} < uniforms.N) {\n    var v = uniforms.alpha * ${acc};\n`;
  if (e.bias) s += `    v = v + uniforms.beta * ${e.bias(`${h.offset('bias_bs', br, 'q', 'uniforms.bias_offset')} + (${m}) * uniforms.bias_sm + (${n}) * uniforms.bias_sn`)};\n`;
  if (e.res) s += `    v = v + ${e.res(`${h.offset('res_bs', br, 'q', 'uniforms.res_offset')} + (${m}) * uniforms.res_sm + (${n}) * uniforms.res_sn`)};\n`;
  // clamp keeps NaN
  if (e.lo) s += `    v = select(v, uniforms.lo, v < uniforms.lo);\n`;
  if (e.hi) s += `    v = select(v, uniforms.hi, v > uniforms.hi);\n`;
  s += `    C[c_base + (${m}) * uniforms.c_sm + (${n}) * uniforms.c_sn] = v;\n  }`;
  return s;
}

function mat(t: Tensor): View {
  return { shape: [...t.shape], strides: [...t.strides], offset: t.offset };
}

/** torch.matmul semantics over views (1-d operands get a unit dim that the output view drops). */
export function runMatmul(be: WebGPUBackend, a: Tensor, b: Tensor, out: Tensor): void {
  let av = mat(a), bv = mat(b);
  if (a.ndim === 1) av = { shape: [1, a.shape[0]!], strides: [0, a.strides[0]!], offset: a.offset };
  if (b.ndim === 1) bv = { shape: [b.shape[0]!, 1], strides: [b.strides[0]!, 0], offset: b.offset };
  const M = av.shape[av.shape.length - 2]!, N = bv.shape[bv.shape.length - 1]!;
  const batch = out.shape.slice(0, Math.max(0, out.ndim - (a.ndim === 1 ? 0 : 1) - (b.ndim === 1 ? 0 : 1)));
  const cShape = [...batch, M, N];
  const cStrides: number[] = [];
  for (let i = cShape.length - 1, acc = 1; i >= 0; i--) {
    cStrides[i] = acc;
    acc *= cShape[i]!;
  }
  runGemm(be, {
    a, aView: withBatch(av, batch), b, bView: withBatch(bv, batch), out,
    outView: { shape: cShape, strides: cStrides, offset: out.offset },
  });
}

/** out = beta * bias + alpha * (mat1 @ mat2) with bias broadcast to [.., M, N]. */
export function runAddmm(be: WebGPUBackend, bias: Tensor | null, m1: Tensor, m2: Tensor, out: Tensor, alpha: number, beta: number): void {
  const batch = out.shape.slice(0, out.ndim - 2);
  runGemm(be, {
    a: m1, aView: withBatch(mat(m1), batch), b: m2, bView: withBatch(mat(m2), batch), out, outView: mat(out),
    bias: bias ? { t: bias, view: broadcastView(bias, out.shape) } : null, alpha, beta,
  });
}

/** linear: input [.., K] @ weight[N, K]^T + bias[N]. */
export function runLinear(be: WebGPUBackend, x: Tensor, w: Tensor, bias: Tensor | null, out: Tensor, epilogue?: { residual: Tensor | null; lo: number | null; hi: number | null }): void {
  const xv: View = x.ndim === 1 ? { shape: [1, x.shape[0]!], strides: [0, x.strides[0]!], offset: x.offset } : mat(x);
  const r = xv.shape.length;
  const batch = xv.shape.slice(0, r - 2);
  const M = xv.shape[r - 2]!;
  const N = w.ndim === 1 ? 1 : w.shape[0]!;
  const wT: View = w.ndim === 1 ? { shape: [w.shape[0]!, 1], strides: [w.strides[0]!, 0], offset: w.offset } : { shape: [w.shape[1]!, w.shape[0]!], strides: [w.strides[1]!, w.strides[0]!], offset: w.offset };
  const cShape = [...batch, M, N];
  const cStrides: number[] = [];
  for (let i = cShape.length - 1, acc = 1; i >= 0; i--) {
    cStrides[i] = acc;
    acc *= cShape[i]!;
  }
  const cv: View = { shape: cShape, strides: cStrides, offset: out.offset };
  // a residual broadcast to the output's shape, seen through the [.., M, N] layout of the product
  let residual: { t: Tensor; view: View } | null = null;
  if (epilogue?.residual) {
    const rv = broadcastView(epilogue.residual, out.shape);
    residual = { t: epilogue.residual, view: out.ndim === 1 ? { shape: [1, out.shape[0]!], strides: [0, rv.strides[0]!], offset: rv.offset } : rv };
  }
  runGemm(be, {
    a: x, aView: xv, b: w, bView: withBatch(wT, batch), out, outView: cv,
    bias: bias ? { t: bias, view: broadcastView(bias, cShape) } : null,
    epilogue: epilogue ? { residual, lo: epilogue.lo, hi: epilogue.hi } : undefined,
  });
}
