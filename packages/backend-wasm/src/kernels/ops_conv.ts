/**
 * Registry glue for convolutions, pooling and the linear-algebra ops.
 */
import type { Args, Tensor } from '@torchlet/core';
import type { Scratch } from '../context.js';
import type { WasmRuntime } from '../runtime.js';
import { conv2d, convTranspose2d, pool2d, type Conv2dSpec } from './conv.js';
import { batchedGemm, linear, viewOf } from './matmul.js';
import { isF32, minWork, register } from './registry.js';
import { reduce } from './reduce.js';
import { R_MEAN } from '../../assembly/abi.js';

const expand = (v: number[] | number, n: number): number[] => (typeof v === 'number' ? new Array<number>(n).fill(v) : v.length === 1 ? new Array<number>(n).fill(v[0]!) : v);

interface ConvArgs {
  input: Tensor;
  weight: Tensor;
  bias: Tensor | null;
  stride: number[];
  padding: number[] | string;
  dilation: number[];
  groups: number;
  residual?: Tensor | null;
  lo?: number;
  hi?: number;
}

/** A non-transposed 1-d/2-d convolution as a Conv2dSpec (input and residual placed by `s`), or undefined. */
function convSpec(s: Scratch, c: ConvArgs, out: Tensor): Conv2dSpec | undefined {
  const { input: x, weight: w, bias } = c;
  if (!isF32(x, w, bias, c.residual)) return undefined;
  const nd = w.ndim - 2;
  if (nd !== 1 && nd !== 2) return undefined;
  const batched = x.ndim === nd + 2;
  const xs = batched ? x.shape : [1, ...x.shape];
  const os = batched ? out.shape : [1, ...out.shape];
  const stride = expand(c.stride, nd), dilation = expand(c.dilation, nd);
  let pad: number[];
  if (typeof c.padding === 'string') {
    if (c.padding === 'valid') pad = new Array<number>(nd).fill(0);
    else pad = w.shape.slice(2).map((k, i) => Math.floor((dilation[i]! * (k - 1)) / 2));
  } else pad = expand(c.padding, nd);
  const [H, W] = nd === 2 ? [xs[2]!, xs[3]!] : [1, xs[2]!];
  const [OH, OW] = nd === 2 ? [os[2]!, os[3]!] : [1, os[2]!];
  const [KH, KW] = nd === 2 ? [w.shape[2]!, w.shape[3]!] : [1, w.shape[2]!];
  const [sh, sw] = nd === 2 ? [stride[0]!, stride[1]!] : [1, stride[0]!];
  const [dh, dw] = nd === 2 ? [dilation[0]!, dilation[1]!] : [1, dilation[0]!];
  const [ph, pw] = nd === 2 ? [pad[0]!, pad[1]!] : [0, pad[0]!];
  const N = xs[0]!, C = xs[1]!, OC = os[1]!;
  if (C === 0 || N * OC * OH * OW * C * KH * KW < minWork()) return undefined;
  return {
    x: s.input(x), N, C, H, W, weight: w, bias, OC, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, G: c.groups,
    out: s.output(out),
    ...(c.residual ? { res: s.input(c.residual) } : {}),
    ...(c.lo !== undefined ? { lo: c.lo } : {}),
    ...(c.hi !== undefined ? { hi: c.hi } : {}),
  };
}

function runConv(rt: WasmRuntime, s: Scratch, c: ConvArgs, out: Tensor): boolean {
  if (c.residual && (c.residual.shape.length !== out.shape.length || c.residual.shape.some((d, i) => d !== out.shape[i]))) return false;
  const spec = convSpec(s, c, out);
  if (!spec) return false;
  conv2d(rt, s, spec);
  return true;
}

/** A 1-d/2-d transposed convolution; output padding only shows in the output shape. */
function runConvTranspose(rt: WasmRuntime, s: Scratch, a: Args, out: Tensor): boolean {
  const x = a.input as Tensor, w = a.weight as Tensor, bias = (a.bias ?? null) as Tensor | null;
  if (!isF32(x, w, bias)) return false;
  const nd = w.ndim - 2;
  if (nd !== 1 && nd !== 2) return false;
  const batched = x.ndim === nd + 2;
  const xs = batched ? x.shape : [1, ...x.shape];
  const os = batched ? out.shape : [1, ...out.shape];
  const st = expand(a.stride, nd), pd = expand(a.padding, nd), dl = expand(a.dilation, nd);
  const two = (v: number[], fill: number): [number, number] => (nd === 2 ? [v[0]!, v[1]!] : [fill, v[0]!]);
  const [H, W] = nd === 2 ? [xs[2]!, xs[3]!] : [1, xs[2]!];
  const [OH, OW] = nd === 2 ? [os[2]!, os[3]!] : [1, os[2]!];
  const [KH, KW] = nd === 2 ? [w.shape[2]!, w.shape[3]!] : [1, w.shape[2]!];
  const [sh, sw] = two(st, 1), [ph, pw] = two(pd, 0), [dh, dw] = two(dl, 1);
  const N = xs[0]!, C = xs[1]!, OC = os[1]!;
  if (C === 0 || N * C * H * W * OC * KH * KW < minWork()) return false;
  convTranspose2d(rt, s, { x: s.input(x), N, C, H, W, weight: w, bias, OC, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, G: a.groups, out: s.output(out) });
  return true;
}

const convCall = (a: Args): ConvArgs => ({
  input: a.input, weight: a.weight, bias: a.bias ?? null, stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups,
});

function poolOut(x: Tensor, out: Tensor): { P: number; H: number; W: number; OH: number; OW: number } {
  const H = x.shape[x.ndim - 2]!, W = x.shape[x.ndim - 1]!;
  return { P: x.numel() / Math.max(1, H * W), H, W, OH: out.shape[out.ndim - 2]!, OW: out.shape[out.ndim - 1]! };
}

export function registerConvOps(): void {
  const conv = (rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean => runConv(rt, s, convCall(a), outs[0]!);
  register('aten::conv2d', conv);
  register('aten::conv2d.padding', conv);
  register('aten::conv1d', conv);
  register('aten::conv1d.padding', conv);
  register('aten::conv_transpose2d.input', (rt, s, a, outs) => runConvTranspose(rt, s, a, outs[0]!));
  register('aten::conv_transpose1d', (rt, s, a, outs) => runConvTranspose(rt, s, a, outs[0]!));
  const convolution = (rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean => {
    if (a.transposed) return (a.input as Tensor).ndim === (a.weight as Tensor).ndim && runConvTranspose(rt, s, a, outs[0]!);
    if ((a.input as Tensor).ndim !== (a.weight as Tensor).ndim) return false;
    return runConv(rt, s, convCall(a), outs[0]!);
  };
  register('aten::convolution', convolution);
  register('aten::_convolution', convolution);
  register('aten::_convolution.deprecated', convolution);
  register('torchlet::conv2d_fused', (rt, s, a, outs) =>
    runConv(rt, s, { ...convCall(a), residual: a.residual ?? null, ...(a.clamp_min !== null ? { lo: a.clamp_min } : {}), ...(a.clamp_max !== null ? { hi: a.clamp_max } : {}) }, outs[0]!),
  );

  // ---- pooling
  register('aten::max_pool2d', (rt, s, a, outs) => {
    const x = a.self as Tensor, out = outs[0]!;
    if (!isF32(x) || x.numel() < minWork()) return false;
    const g = poolOut(x, out);
    const k = expand(a.kernel_size, 2), st = (a.stride as number[]).length ? expand(a.stride, 2) : k, p = expand(a.padding, 2), d = expand(a.dilation, 2);
    pool2d(rt, s, { x: s.input(x), ...g, KH: k[0]!, KW: k[1]!, sh: st[0]!, sw: st[1]!, ph: p[0]!, pw: p[1]!, dh: d[0]!, dw: d[1]!, out: s.output(out), avg: false });
    return true;
  });
  register('aten::avg_pool2d', (rt, s, a, outs) => {
    const x = a.self as Tensor, out = outs[0]!;
    if (!isF32(x) || x.numel() < minWork()) return false;
    const g = poolOut(x, out);
    const k = expand(a.kernel_size, 2), st = (a.stride as number[]).length ? expand(a.stride, 2) : k, p = expand(a.padding, 2);
    const inc = a.count_include_pad as boolean, over = a.divisor_override as number | null;
    const div = (O: number, I: number, kk: number, ss: number, pp: number): number[] => {
      const r: number[] = [];
      for (let o = 0; o < O; o++) {
        if (over !== null) {
          r.push(1);
          continue;
        }
        let s0 = o * ss - pp;
        let s1 = Math.min(s0 + kk, I + pp);
        const span = s1 - s0;
        s0 = Math.max(s0, 0);
        s1 = Math.min(s1, I);
        r.push(inc ? span : Math.max(1, s1 - s0));
      }
      return r;
    };
    const divH = div(g.OH, g.H, k[0]!, st[0]!, p[0]!);
    if (over !== null) divH.fill(over);
    pool2d(rt, s, {
      x: s.input(x), ...g, KH: k[0]!, KW: k[1]!, sh: st[0]!, sw: st[1]!, ph: p[0]!, pw: p[1]!, dh: 1, dw: 1, out: s.output(out), avg: true,
      divH, divW: div(g.OW, g.W, k[1]!, st[1]!, p[1]!),
    });
    return true;
  });
  const adaptiveAvg = (rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean => {
    const x = (a.self ?? a.input) as Tensor, out = outs[0]!;
    if (!isF32(x) || x.numel() < minWork() || x.ndim < 3) return false;
    const g = poolOut(x, out);
    if (g.OH === 1 && g.OW === 1) {
      reduce(rt, s.input(x), s.output(out), R_MEAN, g.P, g.H * g.W, 1);
      return true;
    }
    if (g.H % g.OH !== 0 || g.W % g.OW !== 0) return false;
    const kh = g.H / g.OH, kw = g.W / g.OW;
    pool2d(rt, s, { x: s.input(x), ...g, KH: kh, KW: kw, sh: kh, sw: kw, ph: 0, pw: 0, dh: 1, dw: 1, out: s.output(out), avg: true, divH: new Array<number>(g.OH).fill(kh), divW: new Array<number>(g.OW).fill(kw) });
    return true;
  };
  register('aten::adaptive_avg_pool2d', adaptiveAvg);
  register('aten::_adaptive_avg_pool2d', adaptiveAvg);

  // ---- linear algebra
  register('aten::linear', (rt, s, a, outs) => {
    const x = a.input as Tensor, w = a.weight as Tensor, b = a.bias as Tensor | null;
    if (!isF32(x, w, b) || w.ndim !== 2 || (b && b.ndim !== 1) || w.shape[1] === 0 || x.numel() * w.shape[0]! < minWork()) return false;
    linear(rt, s, x, w, b, s.output(outs[0]!));
    return true;
  });
  register('torchlet::linear_fused', (rt, s, a, outs) => {
    const x = a.input as Tensor, w = a.weight as Tensor, b = a.bias as Tensor | null, r = a.residual as Tensor | null, out = outs[0]!;
    if (!isF32(x, w, b, r) || w.ndim !== 2 || (b && b.ndim !== 1) || w.shape[1] === 0) return false;
    if (r && (r.ndim !== out.ndim || r.shape.some((d, i) => d !== out.shape[i]))) return false;
    const N = w.shape[0]!;
    linear(rt, s, x, w, b, s.output(out), {
      ...(r ? { res: s.input(r), ldr: N * 4 } : {}),
      ...(a.clamp_min !== null || a.clamp_max !== null ? { lo: a.clamp_min ?? -Infinity, hi: a.clamp_max ?? Infinity } : {}),
    });
    return true;
  });
  register('aten::mm', (rt, s, a, outs) => {
    const x = a.self as Tensor, y = a.mat2 as Tensor;
    if (!isF32(x, y)) return false;
    const [n, k] = x.shape as [number, number], p = y.shape[1]!;
    if (k === 0 || n * k * p < minWork()) return false;
    const A = viewOf(s, x), B = viewOf(s, y);
    batchedGemm(rt, s, A, A.strides[0]!, A.strides[1]!, [0], B, B.strides[0]!, B.strides[1]!, [0], n, k, p, s.output(outs[0]!), () => ({}));
    return true;
  });
  register('aten::bmm', (rt, s, a, outs) => {
    const x = a.self as Tensor, y = a.mat2 as Tensor;
    if (!isF32(x, y)) return false;
    const [bs, n, k] = x.shape as [number, number, number], p = y.shape[2]!;
    if (k === 0 || bs * n * k * p < minWork()) return false;
    const A = viewOf(s, x), B = viewOf(s, y);
    const ao = Array.from({ length: bs }, (_, i) => i * A.strides[0]!), bo = Array.from({ length: bs }, (_, i) => i * B.strides[0]!);
    batchedGemm(rt, s, A, A.strides[1]!, A.strides[2]!, ao, B, B.strides[1]!, B.strides[2]!, bo, n, k, p, s.output(outs[0]!), () => ({}));
    return true;
  });
  register('aten::addmm', (rt, s, a, outs) => {
    const c = a.self as Tensor, x = a.mat1 as Tensor, y = a.mat2 as Tensor, out = outs[0]!;
    if (!isF32(c, x, y) || a.beta !== 1 || a.alpha !== 1) return false;
    const [n, k] = x.shape as [number, number], p = y.shape[1]!;
    if (k === 0 || n * k * p < minWork()) return false;
    let epi: { colBias?: number; res?: number; ldr?: number };
    if (c.ndim === 1 || (c.ndim === 2 && c.shape[0] === 1)) {
      if (c.shape[c.ndim - 1] !== p) return false;
      const cb = s.alloc(Math.ceil(p / 8) * 32);
      rt.f32.set(c.contiguousArray(), cb >> 2);
      epi = { colBias: cb };
    } else if (c.ndim === 2 && c.shape[0] === n && c.shape[1] === p) {
      epi = { res: s.input(c), ldr: p * 4 };
    } else return false;
    const A = viewOf(s, x), B = viewOf(s, y);
    batchedGemm(rt, s, A, A.strides[0]!, A.strides[1]!, [0], B, B.strides[0]!, B.strides[1]!, [0], n, k, p, s.output(out), () => epi);
    return true;
  });
  register('aten::matmul', (rt, s, a, outs) => {
    const x = a.self as Tensor, y = a.other as Tensor, out = outs[0]!;
    if (!isF32(x, y) || x.ndim < 2 || y.ndim < 2) return false;
    const n = x.shape[x.ndim - 2]!, k = x.shape[x.ndim - 1]!, p = y.shape[y.ndim - 1]!;
    const batch = out.shape.slice(0, out.ndim - 2);
    const nb = batch.reduce((u, v) => u * v, 1);
    if (k === 0 || nb * n * k * p < minWork()) return false;
    const A = viewOf(s, x), B = viewOf(s, y);
    const offsets = (t: Tensor, v: { strides: number[] }): number[] => {
      const r: number[] = [];
      const tb = t.shape.slice(0, t.ndim - 2);
      const idx = new Array<number>(batch.length).fill(0);
      for (let i = 0; i < nb; i++) {
        let o = 0;
        for (let d = 0; d < tb.length; d++) {
          const bd = batch.length - tb.length + d;
          if (tb[d] !== 1) o += idx[bd]! * v.strides[d]!;
        }
        r.push(o);
        for (let d = batch.length - 1; d >= 0; d--) {
          if (++idx[d]! < batch[d]!) break;
          idx[d] = 0;
        }
      }
      return r;
    };
    batchedGemm(rt, s, A, A.strides[x.ndim - 2]!, A.strides[x.ndim - 1]!, offsets(x, A), B, B.strides[y.ndim - 2]!, B.strides[y.ndim - 1]!, offsets(y, B), n, k, p, s.output(out), () => ({}));
    return true;
  });
}
