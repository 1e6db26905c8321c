/**
 * Direct convolution (1-d runs as 2-d with H = 1): one thread per output element, any groups,
 * stride, padding and dilation, strided input and weight; transposed convolution as the
 * gather form of the scatter. Pooling: max (with argmax indices), average, adaptive average.
 */
import type { Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { broadcastView, storageType, type Program, type UniformEntry, type View } from '../program.js';

/** [N, C, L] -> [N, C, 1, L] (a unit H dim with stride 0). */
function as4d(t: { shape: readonly number[]; strides: readonly number[]; offset: number }): View {
  if (t.shape.length === 4) return { shape: [...t.shape], strides: [...t.strides], offset: t.offset };
  if (t.shape.length === 3) return { shape: [t.shape[0]!, t.shape[1]!, 1, t.shape[2]!], strides: [t.strides[0]!, t.strides[1]!, 0, t.strides[2]!], offset: t.offset };
  throw new Error(`webgpu convolution supports 1-d and 2-d inputs (3-d or 4-d tensors), got [${t.shape}]`);
}

export interface ConvParams {
  stride: number[];
  padding: number[];
  dilation: number[];
  transposed: boolean;
  groups: number;
}

/** conv epilogue: + residual (broadcast to the output), then clamp (NaN kept) */
export interface ConvEpilogue {
  residual: Tensor | null;
  lo: number | null;
  hi: number | null;
}

export function runConv(be: WebGPUBackend, x: Tensor, w: Tensor, bias: Tensor | null, p: ConvParams, out: Tensor, epi?: ConvEpilogue): void {
  const n = out.numel();
  if (n === 0) return;
  const two = (v: number[]): [number, number] => (w.ndim === 3 ? [1, v[0]!] : v.length === 1 ? [v[0]!, v[0]!] : [v[0]!, v[1]!]);
  const xv = as4d(x), wv = as4d(w), ov = as4d(out);
  const [sh, sw] = two(p.stride), [ph, pw] = w.ndim === 3 ? [0, p.padding[0]!] : two(p.padding), [dh, dw] = two(p.dilation);
  const G = p.groups;
  const Cin = xv.shape[1]!, Cout = ov.shape[1]!;
  const uniforms: UniformEntry[] = [
    { name: 'size', type: 'u32', value: n },
    { name: 'out_shape', type: 'u32', value: ov.shape },
    { name: 'x_strides', type: 'u32', value: xv.strides },
    { name: 'w_strides', type: 'u32', value: wv.strides },
    { name: 'x_offset', type: 'u32', value: xv.offset },
    { name: 'w_offset', type: 'u32', value: wv.offset },
    { name: 'H', type: 'i32', value: xv.shape[2]! },
    { name: 'W', type: 'i32', value: xv.shape[3]! },
    { name: 'KH', type: 'u32', value: wv.shape[2]! },
    { name: 'KW', type: 'u32', value: wv.shape[3]! },
    { name: 'SH', type: 'i32', value: sh },
    { name: 'SW', type: 'i32', value: sw },
    { name: 'PH', type: 'i32', value: ph },
    { name: 'PW', type: 'i32', value: pw },
    { name: 'DH', type: 'i32', value: dh },
    { name: 'DW', type: 'i32', value: dw },
    { name: 'cin_g', type: 'u32', value: Cin / G },
    { name: 'cout_g', type: 'u32', value: Cout / G },
  ];
  if (bias) uniforms.push({ name: 'b_offset', type: 'u32', value: bias.offset }, { name: 'b_stride', type: 'u32', value: bias.strides[0] ?? 0 });
  const inputs = [{ name: 'x', tensor: x }, { name: 'w', tensor: w }];
  if (bias) inputs.push({ name: 'b', tensor: bias });
  const res = epi?.residual ?? null;
  const lo = epi?.lo ?? null, hi = epi?.hi ?? null;
  if (res) {
    const rv = as4d(broadcastView(res, out.shape));
    uniforms.push({ name: 'r_strides', type: 'u32', value: rv.strides }, { name: 'r_offset', type: 'u32', value: rv.offset });
    inputs.push({ name: 'res', tensor: res });
  }
  if (lo !== null) uniforms.push({ name: 'lo', type: 'f32', value: lo });
  if (hi !== null) uniforms.push({ name: 'hi', type: 'f32', value: hi });
  // integer convolutions (int64 runs on the CPU too) accumulate in i32
  const T = storageType(out.dtype) === 'f32' ? 'f32' : 'i32';
  const ld = (name: string, t: Tensor, off: string): string => (storageType(t.dtype) === T ? `${name}[${off}]` : `${T}(${name}[${off}])`);
  const coutG = Cout / G, K = (Cin / G) * wv.shape[2]! * wv.shape[3]!;
  if (!p.transposed && coutG >= GEMM_MIN && K >= GEMM_MIN) {
    runConvGemm(be, x, w, bias, res, lo, hi, out, uniforms, inputs, ov, T, ld, G, coutG, K);
    return;
  }
  const prog: Program = {
    name: p.transposed ? 'conv_transpose2d' : 'conv2d',
    key: `${T};${bias ? 'b' : ''}${res ? 'r' : ''}${lo !== null ? 'l' : ''}${hi !== null ? 'h' : ''}`,
    inputs,
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: Math.ceil(n / 64),
    shader: (h) => {
      const xs = (i: number): string => h.u('x_strides', i), ws = (i: number): string => h.u('w_strides', i);
      let body = `  if (global_idx >= uniforms.size) { return; }\n` + h.splitIndex('global_idx', 'out_shape', 4, 'o');
      body += `  let g = o1 / uniforms.cout_g;\n`;
      body += `  var acc: ${T} = ${bias ? ld('b', bias, 'uniforms.b_offset + o1 * uniforms.b_stride') : T === 'f32' ? '0.0' : '0'};\n`;
      body += `  let oh = i32(o2);\n  let ow = i32(o3);\n`;
      if (!p.transposed) {
        // weight [Cout, Cin/G, KH, KW]
        body += `  for (var ci = 0u; ci < uniforms.cin_g; ci++) {
    let xc = uniforms.x_offset + o0 * ${xs(0)} + (g * uniforms.cin_g + ci) * ${xs(1)};
    let wc = uniforms.w_offset + o1 * ${ws(0)} + ci * ${ws(1)};
    for (var kh = 0u; kh < uniforms.KH; kh++) {
      let ih = oh * uniforms.SH - uniforms.PH + i32(kh) * uniforms.DH;
      if (ih < 0 || ih >= uniforms.H) { continue; }
      for (var kw = 0u; kw < uniforms.KW; kw++) {
        let iw = ow * uniforms.SW - uniforms.PW + i32(kw) * uniforms.DW;
        if (iw < 0 || iw >= uniforms.W) { continue; }
        acc += ${ld('x', x, `xc + u32(ih) * ${xs(2)} + u32(iw) * ${xs(3)}`)} * ${ld('w', w, `wc + kh * ${ws(2)} + kw * ${ws(3)}`)};
      }
    }
  }\n`;
      } else {
        // weight [Cin, Cout/G, KH, KW]; out[oh] gathers x[ih] where oh = ih * S - P + kh * D
        body += `  let co = o1 - g * uniforms.cout_g;
  for (var ci = 0u; ci < uniforms.cin_g; ci++) {
    let cin = g * uniforms.cin_g + ci;
    let xc = uniforms.x_offset + o0 * ${xs(0)} + cin * ${xs(1)};
    let wc = uniforms.w_offset + cin * ${ws(0)} + co * ${ws(1)};
    for (var kh = 0u; kh < uniforms.KH; kh++) {
      let th = oh + uniforms.PH - i32(kh) * uniforms.DH;
      if (th < 0 || th % uniforms.SH != 0) { continue; }
      let ih = th / uniforms.SH;
      if (ih >= uniforms.H) { continue; }
      for (var kw = 0u; kw < uniforms.KW; kw++) {
        let tw = ow + uniforms.PW - i32(kw) * uniforms.DW;
        if (tw < 0 || tw % uniforms.SW != 0) { continue; }
        let iw = tw / uniforms.SW;
        if (iw >= uniforms.W) { continue; }
        acc += ${ld('x', x, `xc + u32(ih) * ${xs(2)} + u32(iw) * ${xs(3)}`)} * ${ld('w', w, `wc + kh * ${ws(2)} + kw * ${ws(3)}`)};
      }
    }
  }\n`;
      }
      if (res) body += `  acc += ${ld('res', res, h.offset('r_strides', 4, 'o', 'uniforms.r_offset'))};\n`;
      if (lo !== null) body += `  acc = select(acc, uniforms.lo, acc < uniforms.lo);\n`;
      if (hi !== null) body += `  acc = select(acc, uniforms.hi, acc > uniforms.hi);\n`;
      body += `  y[global_idx] = acc;\n`;
      return h.main(body);
    },
  };
  be.run(prog);
}

/** output channels per group and reduction length from which the implicit GEMM is used */
const GEMM_MIN = 16;

/**
 * Convolution as an implicit GEMM per group: C[co, n] = sum_k W[co, k] * X[k, n] with k = (ci, kh,
 * kw) and n = (batch, oh, ow); X's tile is gathered from the input on the fly (zero outside the
 * padding), tiled like the matmul kernel (32x32 block per 16x16 workgroup, 2x2 per thread, 8-deep
 * K tiles), with the bias / residual / clamp epilogue at the store.
 */
function runConvGemm(
  be: WebGPUBackend, x: Tensor, w: Tensor, bias: Tensor | null, res: Tensor | null, lo: number | null, hi: number | null, out: Tensor,
  base: UniformEntry[], inputs: { name: string; tensor: Tensor }[], ov: View, T: 'f32' | 'i32', ld: (name: string, t: Tensor, off: string) => string,
  G: number, coutG: number, K: number,
): void {
  const OH = ov.shape[2]!, OW = ov.shape[3]!, NN = ov.shape[0]! * OH * OW;
  const uniforms: UniformEntry[] = [
    ...base,
    { name: 'o_strides', type: 'u32', value: ov.strides },
    { name: 'o_offset', type: 'u32', value: ov.offset },
    { name: 'OH', type: 'u32', value: OH },
    { name: 'OW', type: 'u32', value: OW },
    { name: 'NN', type: 'u32', value: NN },
    { name: 'KK', type: 'u32', value: K },
  ];
  const zero = T === 'f32' ? '0.0' : '0';
  be.run({
    name: 'conv2d_gemm',
    key: `${T};${bias ? 'b' : ''}${res ? 'r' : ''}${lo !== null ? 'l' : ''}${hi !== null ? 'h' : ''}`,
    inputs,
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: [Math.ceil(NN / 32), Math.ceil(coutG / 32), G],
    shader: (h) => {
      const xs = (i: number): string => h.u('x_strides', i), ws = (i: number): string => h.u('w_strides', i), os = (i: number): string => h.u('o_strides', i);
      const store = (i: number, j: number): string => {
        const m = `(row0 + ty + ${i * 16}u)`, n = `(col0 + tx + ${j * 16}u)`;
        let c = `  if (${m} < uniforms.cout_g && ${n} < uniforms.NN) {\n`;
        c += `    let sn = ${n}; let sb = sn / ohw; let sr = sn % ohw; let soh = sr / uniforms.OW; let sow = sr % uniforms.OW;\n`;
        c += `    let co = g * uniforms.cout_g + ${m};\n    var v = acc${i}${j};\n`;
        if (bias) c += `    v += ${ld('b', bias, 'uniforms.b_offset + co * uniforms.b_stride')};\n`;
        if (res) c += `    v += ${ld('res', res, `uniforms.r_offset + sb * ${h.u('r_strides', 0)} + co * ${h.u('r_strides', 1)} + soh * ${h.u('r_strides', 2)} + sow * ${h.u('r_strides', 3)}`)};\n`;
        if (lo !== null) c += `    v = select(v, uniforms.lo, v < uniforms.lo);\n`;
        if (hi !== null) c += `    v = select(v, uniforms.hi, v > uniforms.hi);\n`;
        c += `    y[uniforms.o_offset + sb * ${os(0)} + co * ${os(1)} + soh * ${os(2)} + sow * ${os(3)}] = v;\n  }\n`;
        return c;
      };
      return `${h.declarations()}
var<workgroup> tA: array<array<${T}, 8>, 32>;
var<workgroup> tB: array<array<${T}, 32>, 8>;
@compute @workgroup_size(16, 16, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let g = wid.z;
  let row0 = wid.y * 32u;
  let col0 = wid.x * 32u;
  let tx = lid.x;
  let ty = lid.y;
  let tid = ty * 16u + tx;
  let ar = tid / 8u;
  let ak = tid % 8u;
  let bk = tid / 32u;
  let bc = tid % 32u;
  let khw = uniforms.KH * uniforms.KW;
  let ohw = uniforms.OH * uniforms.OW;
  // the output position whose im2col column this thread stages
  let n = col0 + bc;
  let nb = n / ohw;
  let nr = n % ohw;
  let oh = i32(nr / uniforms.OW);
  let ow = i32(nr % uniforms.OW);
  let xbase = uniforms.x_offset + nb * ${xs(0)} + g * uniforms.cin_g * ${xs(1)};
  let m = row0 + ar;
  let wbase = uniforms.w_offset + (g * uniforms.cout_g + m) * ${ws(0)};
  var acc00: ${T} = ${zero}; var acc01: ${T} = ${zero}; var acc10: ${T} = ${zero}; var acc11: ${T} = ${zero};
  for (var k0 = 0u; k0 < uniforms.KK; k0 += 8u) {
    let ka = k0 + ak;
    var v: ${T} = ${zero};
    if (m < uniforms.cout_g && ka < uniforms.KK) {
      let ci = ka / khw; let kr = ka % khw;
      v = ${ld('w', w, `wbase + ci * ${ws(1)} + (kr / uniforms.KW) * ${ws(2)} + (kr % uniforms.KW) * ${ws(3)}`)};
    }
    tA[ar][ak] = v;
    let kb = k0 + bk;
    var u: ${T} = ${zero};
    if (n < uniforms.NN && kb < uniforms.KK) {
      let ci = kb / khw; let kr = kb % khw;
      let ih = oh * uniforms.SH - uniforms.PH + i32(kr / uniforms.KW) * uniforms.DH;
      let iw = ow * uniforms.SW - uniforms.PW + i32(kr % uniforms.KW) * uniforms.DW;
      if (ih >= 0 && ih < uniforms.H && iw >= 0 && iw < uniforms.W) {
        u = ${ld('x', x, `xbase + ci * ${xs(1)} + u32(ih) * ${xs(2)} + u32(iw) * ${xs(3)}`)};
      }
    }
    tB[bk][bc] = u;
    workgroupBarrier();
    for (var kk = 0u; kk < 8u; kk++) {
      let a0 = tA[ty][kk];
      let a1 = tA[ty + 16u][kk];
      let b0 = tB[kk][tx];
      let b1 = tB[kk][tx + 16u];
      acc00 += a0 * b0; acc01 += a0 * b1; acc10 += a1 * b0; acc11 += a1 * b1;
    }
    workgroupBarrier();
  }
${store(0, 0)}${store(0, 1)}${store(1, 0)}${store(1, 1)}}`;
    },
  });
}

export interface PoolParams {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/** The trailing two dims as H, W and the leading ones (1 or 2) as planes. */
function planes(t: Tensor): { lead: number[]; leadStrides: number[] } {
  return { lead: t.shape.slice(0, t.ndim - 2), leadStrides: t.strides.slice(0, t.ndim - 2) };
}

function poolUniforms(x: Tensor, out: Tensor): UniformEntry[] {
  const { leadStrides } = planes(x);
  return [
    { name: 'size', type: 'u32', value: out.numel() },
    { name: 'out_shape', type: 'u32', value: out.shape },
    { name: 'x_lead', type: 'u32', value: leadStrides },
    { name: 'x_offset', type: 'u32', value: x.offset },
    { name: 'xs_h', type: 'u32', value: x.strides[x.ndim - 2]! },
    { name: 'xs_w', type: 'u32', value: x.strides[x.ndim - 1]! },
    { name: 'H', type: 'i32', value: x.shape[x.ndim - 2]! },
    { name: 'W', type: 'i32', value: x.shape[x.ndim - 1]! },
  ];
}

function poolPrologue(h: import('../program.js').ShaderHelper, rank: number): string {
  const lead = rank - 2;
  let s = `  if (global_idx >= uniforms.size) { return; }\n` + h.splitIndex('global_idx', 'out_shape', rank, 'o');
  const terms = ['uniforms.x_offset'];
  for (let d = 0; d < lead; d++) terms.push(`o${d} * ${h.u('x_lead', d)}`);
  s += `  let xb = ${terms.join(' + ')};\n  let oh = i32(o${rank - 2});\n  let ow = i32(o${rank - 1});\n`;
  return s;
}

export function runMaxPool(be: WebGPUBackend, x: Tensor, p: PoolParams, out: Tensor, indices: Tensor | null): void {
  if (out.numel() === 0) return;
  const rank = x.ndim;
  const uniforms = [
    ...poolUniforms(x, out),
    { name: 'KH', type: 'i32', value: p.kernel[0] }, { name: 'KW', type: 'i32', value: p.kernel[1] },
    { name: 'SH', type: 'i32', value: p.stride[0] }, { name: 'SW', type: 'i32', value: p.stride[1] },
    { name: 'PH', type: 'i32', value: p.padding[0] }, { name: 'PW', type: 'i32', value: p.padding[1] },
    { name: 'DH', type: 'i32', value: p.dilation[0] }, { name: 'DW', type: 'i32', value: p.dilation[1] },
  ] as UniformEntry[];
  const outputs = [{ name: 'y', tensor: out }];
  if (indices) outputs.push({ name: 'ind', tensor: indices });
  const isF = storageType(x.dtype) === 'f32';
  be.run({
    name: 'max_pool2d',
    key: `${indices ? 'i' : ''}${isF ? 'f' : 'n'}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs,
    uniforms,
    workgroups: Math.ceil(out.numel() / 64),
    shader: (h) =>
      h.main(
        poolPrologue(h, rank) +
          `  var h0 = oh * uniforms.SH - uniforms.PH;
  let h1 = min(h0 + (uniforms.KH - 1) * uniforms.DH + 1, uniforms.H);
  while (h0 < 0) { h0 += uniforms.DH; }
  var w0 = ow * uniforms.SW - uniforms.PW;
  let w1 = min(w0 + (uniforms.KW - 1) * uniforms.DW + 1, uniforms.W);
  while (w0 < 0) { w0 += uniforms.DW; }
  var best = ${isF ? '-inf_f32()' : '-2147483647 - 1'};
  var bi = h0 * uniforms.W + w0;
  for (var ih = h0; ih < h1; ih += uniforms.DH) {
    for (var iw = w0; iw < w1; iw += uniforms.DW) {
      let v = x[xb + u32(ih) * uniforms.xs_h + u32(iw) * uniforms.xs_w];
      if (v > best${isF ? ' || is_nan(v)' : ''}) { best = v; bi = ih * uniforms.W + iw; }
    }
  }
  y[global_idx] = best;
${indices ? '  ind[global_idx] = bi;\n' : ''}`,
      ),
  });
}

export function runAvgPool(be: WebGPUBackend, x: Tensor, p: PoolParams, countIncludePad: boolean, divisorOverride: number | null, out: Tensor): void {
  if (out.numel() === 0) return;
  const rank = x.ndim;
  const uniforms = [
    ...poolUniforms(x, out),
    { name: 'KH', type: 'i32', value: p.kernel[0] }, { name: 'KW', type: 'i32', value: p.kernel[1] },
    { name: 'SH', type: 'i32', value: p.stride[0] }, { name: 'SW', type: 'i32', value: p.stride[1] },
    { name: 'PH', type: 'i32', value: p.padding[0] }, { name: 'PW', type: 'i32', value: p.padding[1] },
    { name: 'divisor', type: 'f32', value: divisorOverride ?? 0 },
  ] as UniformEntry[];
  const T = storageType(x.dtype) === 'f32' ? 'f32' : 'i32';
  be.run({
    name: 'avg_pool2d',
    key: `${T};${countIncludePad ? 'p' : ''}${divisorOverride !== null ? 'd' : ''}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: Math.ceil(out.numel() / 64),
    shader: (h) =>
      h.main(
        poolPrologue(h, rank) +
          `  var h0 = oh * uniforms.SH - uniforms.PH;
  var h1 = min(h0 + uniforms.KH, uniforms.H + uniforms.PH);
  var w0 = ow * uniforms.SW - uniforms.PW;
  var w1 = min(w0 + uniforms.KW, uniforms.W + uniforms.PW);
  let pool_size = (h1 - h0) * (w1 - w0);
  h0 = max(h0, 0); w0 = max(w0, 0);
  h1 = min(h1, uniforms.H); w1 = min(w1, uniforms.W);
  if (h0 >= h1 || w0 >= w1) { y[global_idx] = ${T}(0); return; }
  var s: ${T} = ${T}(0);
  for (var ih = h0; ih < h1; ih++) {
    for (var iw = w0; iw < w1; iw++) { s += x[xb + u32(ih) * uniforms.xs_h + u32(iw) * uniforms.xs_w]; }
  }
  let div = ${divisorOverride !== null ? `${T}(uniforms.divisor)` : countIncludePad ? `${T}(pool_size)` : `${T}((h1 - h0) * (w1 - w0))`};
  // integer inputs divide with truncation, like PyTorch's integer kernel
  y[global_idx] = s / div;
`,
      ),
  });
}

export function runAdaptiveAvgPool(be: WebGPUBackend, x: Tensor, out: Tensor): void {
  if (out.numel() === 0) return;
  const rank = x.ndim;
  const uniforms = [
    ...poolUniforms(x, out),
    { name: 'OH', type: 'i32', value: out.shape[out.ndim - 2]! },
    { name: 'OW', type: 'i32', value: out.shape[out.ndim - 1]! },
  ] as UniformEntry[];
  be.run({
    name: 'adaptive_avg_pool2d',
    key: '',
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms,
    workgroups: Math.ceil(out.numel() / 64),
    shader: (h) =>
      h.main(
        poolPrologue(h, rank) +
          `  let h0 = (oh * uniforms.H) / uniforms.OH;
  let h1 = ((oh + 1) * uniforms.H + uniforms.OH - 1) / uniforms.OH;
  let w0 = (ow * uniforms.W) / uniforms.OW;
  let w1 = ((ow + 1) * uniforms.W + uniforms.OW - 1) / uniforms.OW;
  var s = 0.0;
  for (var ih = h0; ih < h1; ih++) {
    for (var iw = w0; iw < w1; iw++) { s += x[xb + u32(ih) * uniforms.xs_h + u32(iw) * uniforms.xs_w]; }
  }
  y[global_idx] = s / f32((h1 - h0) * (w1 - w0));
`,
      ),
  });
}
