import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSampleFile } from '../../conformance/src/aten.js';
import { bindArgs, callOp, functions as torch, getRegistry, nnFunctional as F, tensor, Tensor, tidy, type DType } from '../src/index.js';
import { winogradTile } from '../src/cpu/conv_winograd.js';
import { expectClose } from './helpers.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

/** OpInfo sample files (PyTorch's own test inputs and outputs) of the convolution and pooling ops. */
const OPINFO_FILES = [
  'nn.functional.conv1d', 'nn.functional.conv2d', 'nn.functional.conv_transpose1d', 'nn.functional.conv_transpose2d',
  'nn.functional.max_pool1d', 'nn.functional.max_pool2d', 'nn.functional.max_pool3d', 'nn.functional.avg_pool1d',
  'nn.functional.avg_pool2d', 'nn.functional.avg_pool3d', 'nn.functional.adaptive_avg_pool1d', 'nn.functional.adaptive_avg_pool2d',
  'nn.functional.adaptive_avg_pool3d', 'nn.functional.adaptive_max_pool1d', 'nn.functional.adaptive_max_pool2d',
  'nn.functional.adaptive_max_pool3d',
];

describe('convolution and pooling match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO_FILES) {
    it(f, () => {
      const r = runSampleFile(join(ROOT, 'aten-ops', `${f}.json`));
      expect(r.errors).toEqual([]);
      expect(r.passed).toBe(r.total);
    });
  }
});

const prod = (s: readonly number[]): number => s.reduce((u, v) => u * v, 1);

/** Small integers (exact sums in float32), deterministic per seed. */
function ints(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) % 7 - 3;
  });
}
function intTensor(shape: number[], seed: number, dtype: DType = 'float32'): Tensor {
  return tensor(ints(prod(shape), seed), { shape, dtype });
}

interface Conv2dCase {
  N: number; G: number; cg: number; ocg: number; H: number; W: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; bias: boolean; seed: number;
}

/** The definition: out[n, oc, y, x] = b[oc] + sum_{c, i, j} w[oc, c, i, j] * in[n, g*cg + c, y*s - p + i*d, x*s - p + j*d] */
function naiveConv2d(x: number[], w: number[], b: number[] | null, c: Conv2dCase, padAfter?: [number, number]): { shape: number[]; data: Float64Array } {
  const { N, G, cg, ocg, H, W, kh, kw, sh, sw, ph, pw, dh, dw } = c;
  const [pb, pr] = padAfter ?? [ph, pw];
  const C = G * cg, OC = G * ocg;
  const OH = Math.floor((H + ph + pb - dh * (kh - 1) - 1) / sh) + 1, OW = Math.floor((W + pw + pr - dw * (kw - 1) - 1) / sw) + 1;
  const out = new Float64Array(N * OC * OH * OW);
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < OC; oc++) {
      const g = Math.floor(oc / ocg);
      for (let y = 0; y < OH; y++)
        for (let xo = 0; xo < OW; xo++) {
          let s = b ? b[oc]! : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * sh - ph + i * dh, ix = xo * sw - pw + j * dw;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                s += w[((oc * cg + ci) * kh + i) * kw + j]! * x[((n * C + g * cg + ci) * H + iy) * W + ix]!;
              }
          out[((n * OC + oc) * OH + y) * OW + xo] = s;
        }
    }
  return { shape: [N, OC, OH, OW], data: out };
}

/** Transposed convolution by its definition: every input pixel scatters weight * value into the output. */
function naiveConvT2d(x: number[], w: number[], b: number[] | null, c: Conv2dCase, op: [number, number]): { shape: number[]; data: Float64Array } {
  const { N, G, cg, ocg, H, W, kh, kw, sh, sw, ph, pw, dh, dw } = c;
  // here cg = input channels per group, ocg = output channels per group; weight [G*cg, ocg, kh, kw]
  const C = G * cg, OC = G * ocg;
  const OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + op[0] + 1, OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + op[1] + 1;
  const out = new Float64Array(N * OC * OH * OW);
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < OC; oc++) for (let i = 0; i < OH * OW; i++) out[(n * OC + oc) * OH * OW + i] = b ? b[oc]! : 0;
  for (let n = 0; n < N; n++)
    for (let ic = 0; ic < C; ic++) {
      const g = Math.floor(ic / cg);
      for (let y = 0; y < H; y++)
        for (let xi = 0; xi < W; xi++) {
          const v = x[((n * C + ic) * H + y) * W + xi]!;
          for (let o = 0; o < ocg; o++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const oy = y * sh - ph + i * dh, ox = xi * sw - pw + j * dw;
                if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
                out[((n * OC + g * ocg + o) * OH + oy) * OW + ox] += v * w[((ic * ocg + o) * kh + i) * kw + j]!;
              }
        }
    }
  return { shape: [N, OC, OH, OW], data: out };
}

const convCase = fc
  .record({
    N: fc.integer({ min: 1, max: 2 }), G: fc.integer({ min: 1, max: 3 }), cg: fc.integer({ min: 1, max: 3 }), ocg: fc.integer({ min: 1, max: 5 }),
    H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }), kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 2 }),
    dh: fc.integer({ min: 1, max: 3 }), dw: fc.integer({ min: 1, max: 3 }), bias: fc.boolean(), seed: fc.integer(),
  })
  .filter((c) => c.H + 2 * c.ph >= c.dh * (c.kh - 1) + 1 && c.W + 2 * c.pw >= c.dw * (c.kw - 1) + 1);

describe('conv2d properties', () => {
  it('matches a naive direct convolution (stride, padding, dilation, groups incl. depthwise, bias, 1x1)', () => {
    fc.assert(
      fc.property(convCase, fc.constantFrom<DType>('float32', 'float64', 'int64'), (c, dtype) => {
        tidy(() => {
          const xs = [c.N, c.G * c.cg, c.H, c.W], ws = [c.G * c.ocg, c.cg, c.kh, c.kw];
          const xd = ints(prod(xs), c.seed), wd = ints(prod(ws), c.seed + 1), bd = c.bias ? ints(c.G * c.ocg, c.seed + 2) : null;
          const want = naiveConv2d(xd, wd, bd, c);
          const got = F.conv2d(tensor(xd, { shape: xs, dtype }), tensor(wd, { shape: ws, dtype }), bd ? tensor(bd, { dtype }) : null, [c.sh, c.sw], [c.ph, c.pw], [c.dh, c.dw], c.G);
          expect(got.dtype).toBe(dtype);
          expectClose(got, want.data, want.shape, 0, 0);
        });
      }),
      { numRuns: 250 },
    );
  });

  it("padding='same' pads asymmetrically when the total is odd, and unbatched inputs work", () => {
    fc.assert(
      fc.property(convCase, (c0) => {
        tidy(() => {
          const c = { ...c0, sh: 1, sw: 1 };
          const xs = [c.G * c.cg, c.H, c.W], ws = [c.G * c.ocg, c.cg, c.kh, c.kw];
          const xd = ints(prod(xs), c.seed), wd = ints(prod(ws), c.seed + 1);
          const th = c.dh * (c.kh - 1), tw = c.dw * (c.kw - 1);
          const ref = naiveConv2d(xd, wd, null, { ...c, N: 1, ph: Math.floor(th / 2), pw: Math.floor(tw / 2) }, [th - Math.floor(th / 2), tw - Math.floor(tw / 2)]);
          const got = F.conv2d(tensor(xd, { shape: xs, dtype: 'float32' }), tensor(wd, { shape: ws, dtype: 'float32' }), null, 1, 'same', [c.dh, c.dw], c.G);
          expectClose(got, ref.data, ref.shape.slice(1), 0, 0);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('conv_transpose2d matches a naive scatter (output_padding, groups, dilation)', () => {
    fc.assert(
      fc.property(convCase, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (c, oph, opw) => {
        const op: [number, number] = [Math.min(oph, Math.max(c.sh, c.dh) - 1), Math.min(opw, Math.max(c.sw, c.dw) - 1)];
        const OH = (c.H - 1) * c.sh - 2 * c.ph + c.dh * (c.kh - 1) + op[0] + 1, OW = (c.W - 1) * c.sw - 2 * c.pw + c.dw * (c.kw - 1) + op[1] + 1;
        fc.pre(OH > 0 && OW > 0);
        tidy(() => {
          const xs = [c.N, c.G * c.cg, c.H, c.W], ws = [c.G * c.cg, c.ocg, c.kh, c.kw];
          const xd = ints(prod(xs), c.seed), wd = ints(prod(ws), c.seed + 1), bd = c.bias ? ints(c.G * c.ocg, c.seed + 2) : null;
          const want = naiveConvT2d(xd, wd, bd, c, op);
          const got = F.conv_transpose2d(tensor(xd, { shape: xs, dtype: 'float32' }), tensor(wd, { shape: ws, dtype: 'float32' }), bd ? tensor(bd, { dtype: 'float32' }) : null, [c.sh, c.sw], [c.ph, c.pw], op, c.G, [c.dh, c.dw]);
          expectClose(got, want.data, want.shape, 0, 0);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('3x3 stride-1 float convolutions (Winograd F(2x2, 3x3) and F(4x4, 3x3)) match the direct definition, edge tiles included', () => {
    const tiles = new Set<number>();
    const arb = fc.record({
      N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 12, max: 18 }), OC: fc.integer({ min: 12, max: 18 }),
      H: fc.integer({ min: 5, max: 22 }), W: fc.integer({ min: 5, max: 22 }), ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 2 }),
      bias: fc.boolean(), seed: fc.integer(), dtype: fc.constantFrom<DType>('float32', 'float16'),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const cc: Conv2dCase = { N: c.N, G: 1, cg: c.C, ocg: c.OC, H: c.H, W: c.W, kh: 3, kw: 3, sh: 1, sw: 1, ph: c.ph, pw: c.pw, dh: 1, dw: 1, bias: c.bias, seed: c.seed };
        tiles.add(winogradTile(c.C, c.OC, c.H + 2 * c.ph - 2, c.W + 2 * c.pw - 2));
        tidy(() => {
          const xs = [c.N, c.C, c.H, c.W], ws = [c.OC, c.C, 3, 3];
          const xd = ints(prod(xs), c.seed), wd = ints(prod(ws), c.seed + 1), bd = c.bias ? ints(c.OC, c.seed + 2) : null;
          const want = naiveConv2d(xd, wd, bd, cc);
          const got = F.conv2d(tensor(xd, { shape: xs, dtype: c.dtype }), tensor(wd, { shape: ws, dtype: c.dtype }), bd ? tensor(bd, { dtype: c.dtype }) : null, 1, [c.ph, c.pw]);
          expect(got.dtype).toBe(c.dtype);
          // integer-valued sums up to ~300: exact in float16 too, once rounded
          expectClose(got, want.data, want.shape, 1e-6, 1e-6);
        });
      }),
      { numRuns: 60 },
    );
    // both tile sizes ran (about 30% of these cases pick F(2x2, 3x3), 69% F(4x4, 3x3))
    expect(tiles.has(2) && tiles.has(4)).toBe(true);
  });

  it('runs the blocked GEMM path (K > 256, OC > 64) and strided, non-contiguous inputs', () => {
    const c: Conv2dCase = { N: 2, G: 1, cg: 40, ocg: 70, H: 12, W: 11, kh: 3, kw: 3, sh: 2, sw: 1, ph: 1, pw: 1, dh: 1, dw: 2, bias: true, seed: 9 };
    const xs = [c.N, c.cg, c.H, c.W], ws = [c.ocg, c.cg, c.kh, c.kw];
    const xd = ints(prod(xs), 1), wd = ints(prod(ws), 2), bd = ints(c.ocg, 3);
    const want = naiveConv2d(xd, wd, bd, c);
    // the input as a transposed view of an [N, C, W, H] tensor
    const xt = tensor(xd, { shape: xs, dtype: 'float32' }).transpose(2, 3).contiguous().transpose(2, 3);
    expect(xt.is_contiguous()).toBe(false);
    expectClose(F.conv2d(xt, tensor(wd, { shape: ws, dtype: 'float32' }), tensor(bd, { dtype: 'float32' }), [2, 1], 1, [1, 2]), want.data, want.shape, 0, 0);
  });

  it('conv1d and conv3d agree with conv2d on a unit dim; the aten entry points agree', () => {
    const x = intTensor([2, 4, 7], 1), w = intTensor([6, 2, 3], 2), b = intTensor([6], 3);
    const r1 = F.conv1d(x, w, b, 2, 1, 2, 2);
    const r2 = F.conv2d(x.reshape(2, 4, 1, 7), w.reshape(6, 2, 1, 3), b, [1, 2], [0, 1], [1, 2], 2);
    expectClose(r1, r2.contiguousArray(), [2, 6, 3], 0, 0);
    const r3 = F.conv3d(x.reshape(2, 4, 1, 1, 7), w.reshape(6, 2, 1, 1, 3), b, [1, 1, 2], [0, 0, 1], [1, 1, 2], 2);
    expectClose(r3, r2.contiguousArray(), [2, 6, 1, 1, 3], 0, 0);
    const x4 = x.reshape(2, 4, 1, 7), w4 = w.reshape(6, 2, 1, 3);
    const c1 = torch.convolution(x4, w4, b, [1, 2], [0, 1], [1, 2], false, [0, 0], 2);
    const c2 = torch._convolution(x4, w4, b, [1, 2], [0, 1], [1, 2], false, [0, 0], 2, false, false, true, true);
    const c3 = callOp('aten::_convolution', [x4, w4, b, [1, 2], [0, 1], [1, 2], false, [0, 0], 2, false, false, true]) as Tensor;
    for (const r of [c1, c2, c3]) expectClose(r, r2.contiguousArray(), [2, 6, 1, 3], 0, 0);
    const m = torch._convolution_mode(x4, w4, b, [1, 1], 'same', [1, 2], 2);
    expectClose(m, F.conv2d(x4, w4, b, 1, 'same', [1, 2], 2).contiguousArray(), [2, 6, 1, 7], 0, 0);
    // conv_transpose3d against conv_transpose2d on a unit depth
    const xt = intTensor([1, 4, 3, 3], 4), wt = intTensor([4, 3, 2, 2], 5);
    const t2 = F.conv_transpose2d(xt, wt, null, 2, 0, 1, 2);
    expectClose(F.conv_transpose3d(xt.reshape(1, 4, 1, 3, 3), wt.reshape(4, 3, 1, 2, 2), null, [1, 2, 2], 0, [0, 1, 1], 2), t2.contiguousArray(), [1, 6, 1, 7, 7], 0, 0);
  });

  it('the decompositions through aten::convolution (used by backends without a conv kernel) agree with the kernels', () => {
    const reg = getRegistry();
    const viaDecomposition = (key: string, args: unknown[]): Tensor => {
      const ov = reg.overload(key)!;
      const bound = bindArgs(ov, args, undefined, true);
      if (typeof bound === 'string') throw new Error(bound);
      return ov.decl.decompose!(bound) as Tensor;
    };
    tidy(() => {
      const x = intTensor([4, 6, 7], 1), w = intTensor([6, 2, 2, 4], 2), b = intTensor([6], 3);
      // unbatched, odd 'same' padding (asymmetric: the input is padded first), groups
      const d1 = viaDecomposition('aten::conv2d.padding', [x, w, b, 1, 'same', [1, 1], 2]);
      expectClose(d1, F.conv2d(x, w, b, 1, 'same', 1, 2).contiguousArray(), [6, 6, 7], 0, 0);
      const x3 = intTensor([2, 4, 5], 4), w3 = intTensor([4, 3, 3], 5);
      const d2 = viaDecomposition('aten::conv_transpose1d', [x3, w3, null, 2, 1, 1, 1, 1]);
      expectClose(d2, F.conv_transpose1d(x3, w3, null, 2, 1, 1).contiguousArray(), [2, 3, 10], 0, 0);
      const d3 = viaDecomposition('aten::_convolution', [x.reshape(1, 4, 6, 7), w, b, [1, 2], [1, 0], [1, 1], false, [0, 0], 2, false, false, true, true]);
      expectClose(d3, F.conv2d(x.reshape(1, 4, 6, 7), w, b, [1, 2], [1, 0], 1, 2).contiguousArray(), [1, 6, 7, 2], 0, 0);
    });
  });

  it('raises PyTorch errors', () => {
    const z = (s: number[]) => tensor(new Float32Array(prod(s)), { shape: s });
    expect(() => F.conv2d(z([2, 3, 5, 5]), z([4, 2, 3, 3]))).toThrow('Given groups=1, weight of size [4, 2, 3, 3], expected input[2, 3, 5, 5] to have 2 channels, but got 3 channels instead');
    expect(() => F.conv2d(z([2, 4, 5, 5]), z([3, 2, 3, 3]), null, 1, 0, 1, 2)).toThrow('Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[3, 2, 3, 3]] instead');
    expect(() => F.conv2d(z([2, 3, 2, 2]), z([4, 3, 3, 3]))).toThrow("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size");
    expect(() => F.conv2d(z([2, 3, 5, 5]), z([4, 3, 3, 3]), z([3]))).toThrow('Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size [3] instead');
    expect(() => F.conv2d(z([2, 3, 5, 5]), z([4, 3, 3, 3]), null, 2, 'same')).toThrow("padding='same' is not supported for strided convolutions");
    expect(() => F.conv2d(z([2, 3, 5, 5]), z([4, 3, 3, 3]), null, 1, 'foo')).toThrow("Invalid padding string: 'foo'");
    expect(() => F.conv2d(z([5, 5]), z([4, 3, 3, 3]))).toThrow('Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]');
    expect(() => F.conv2d(z([1, 3, 5, 5]), tensor(new Float64Array(108), { shape: [4, 3, 3, 3] }))).toThrow('expected scalar type Float but found Double');
    expect(() => F.conv_transpose2d(z([1, 4, 5, 5]), z([4, 3, 3, 3]), null, 1, 0, 1)).toThrow('output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1');
    expect(() => torch.convolution(z([1, 4, 5, 5]), z([4, 4, 3, 3]), null, [1, 1, 1], [0], [1], false, [0], 1)).toThrow('expected stride to be a single integer value or a list of 2 values to match the convolution dimensions, but got stride=[1, 1, 1]');
  });
});

// ---------------------------------------------------------------- pooling

/** Max pooling by definition (NaN wins: the index of the last NaN, else of the first maximum). */
function naiveMaxPool2d(x: number[], [P, H, W]: number[], k: number[], s: number[], p: number[], d: number[], ceil: boolean) {
  const size = (L: number, i: number) => {
    let o = Math.floor((L + 2 * p[i]! - d[i]! * (k[i]! - 1) - 1 + (ceil ? s[i]! - 1 : 0)) / s[i]!) + 1;
    if (ceil && (o - 1) * s[i]! >= L + p[i]!) o--;
    return o;
  };
  const OH = size(H, 0), OW = size(W, 1);
  const out: number[] = [], idx: number[] = [];
  for (let c = 0; c < P; c++)
    for (let y = 0; y < OH; y++)
      for (let xo = 0; xo < OW; xo++) {
        // an all-padding window keeps PyTorch's start index (first non-negative tap), e.g. 1 for W = 1
        let h0 = y * s[0]! - p[0]!, w0 = xo * s[1]! - p[1]!;
        while (h0 < 0) h0 += d[0]!;
        while (w0 < 0) w0 += d[1]!;
        let best = -Infinity, bi = h0 * W + w0;
        for (let i = 0; i < k[0]!; i++)
          for (let j = 0; j < k[1]!; j++) {
            const iy = y * s[0]! - p[0]! + i * d[0]!, ix = xo * s[1]! - p[1]! + j * d[1]!;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            const v = x[(c * H + iy) * W + ix]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              bi = iy * W + ix;
            }
          }
        out.push(best);
        idx.push(bi);
      }
  return { OH, OW, out, idx };
}

describe('pooling', () => {
  it('max_pool2d with indices matches the definition (NaNs, dilation, ceil_mode, padding)', () => {
    const arb = fc
      .record({
        P: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 8 }), W: fc.integer({ min: 1, max: 8 }),
        kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }), sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
        ph: fc.integer({ min: 0, max: 1 }), pw: fc.integer({ min: 0, max: 1 }), dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
        ceil: fc.boolean(), seed: fc.integer(), nans: fc.boolean(),
      })
      .filter((c) => c.ph <= Math.floor(c.kh / 2) && c.pw <= Math.floor(c.kw / 2));
    fc.assert(
      fc.property(arb, (c) => {
        const xd = ints(c.P * c.H * c.W, c.seed).map((v, i) => (c.nans && i % 5 === 2 ? NaN : v));
        const want = naiveMaxPool2d(xd, [c.P, c.H, c.W], [c.kh, c.kw], [c.sh, c.sw], [c.ph, c.pw], [c.dh, c.dw], c.ceil);
        fc.pre(want.OH > 0 && want.OW > 0);
        tidy(() => {
          const x = tensor(xd, { shape: [c.P, c.H, c.W], dtype: 'float32' });
          const [v, i] = F.max_pool2d(x, [c.kh, c.kw], [c.sh, c.sw], [c.ph, c.pw], [c.dh, c.dw], c.ceil, true) as Tensor[];
          expectClose(v!, want.out, [c.P, want.OH, want.OW], 0, 0);
          expect(i!.dtype).toBe('int64');
          expect(Array.from(i!.contiguousArray())).toEqual(want.idx);
          const plain = F.max_pool2d(x, [c.kh, c.kw], [c.sh, c.sw], [c.ph, c.pw], [c.dh, c.dw], c.ceil);
          expectClose(plain, want.out, [c.P, want.OH, want.OW], 0, 0);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('avg_pool2d: count_include_pad, divisor_override, ceil_mode and truncating int64 division', () => {
    const x = tensor([[[[-7, 3, 5, -2], [1, -1, 2, 3]]]]);
    expect(F.avg_pool2d(x, [2, 2], [], [0], false, true, -2).tolist()).toEqual([[[[2, -4]]]]);
    expect(F.avg_pool2d(x, [1, 3], 1, [0, 1], false, true).tolist()).toEqual([[[[-1, 0, 2, 1], [0, 0, 1, 1]]]]);
    expect(F.avg_pool2d(x, [1, 3], 1, [0, 1], false, false).tolist()).toEqual([[[[-2, 0, 2, 1], [0, 0, 1, 2]]]]);
    const xf = x.to('float32');
    expectClose(F.avg_pool2d(xf, [1, 3], 1, [0, 1], false, false), [-2, 1 / 3, 2, 1.5, 0, 2 / 3, 4 / 3, 2.5], [1, 1, 2, 4]);
    expect(() => F.avg_pool2d(xf, 2, { divisor_override: 0 })).toThrow('divisor must be not zero');
    expect(() => F.avg_pool2d(tensor([[1]], { dtype: 'int32' }).reshape(1, 1, 1), 1)).toThrow(`"avg_pool2d" not implemented for 'Int'`);
  });

  it('the F-level signatures: return_indices, None output sizes, stride=None', () => {
    const x = intTensor([2, 3, 6, 5], 4);
    expect(F.max_pool2d(x, 2, null).shape).toEqual([2, 3, 3, 2]);
    const r = F.max_pool2d(x, 2, { return_indices: true }) as Tensor[];
    expect(Array.isArray(r) && r.length === 2).toBe(true);
    expect(torch.max_pool2d(x, [2, 2]).shape).toEqual([2, 3, 3, 2]);
    const a = F.adaptive_max_pool2d(x, [null, 3]);
    expect(a).toBeInstanceOf(Tensor);
    expect((a as Tensor).shape).toEqual([2, 3, 6, 3]);
    const ai = F.adaptive_max_pool2d(x, 2, true) as Tensor[];
    expect(ai[1]!.dtype).toBe('int64');
    expect(F.adaptive_avg_pool2d(x, [null, 1]).shape).toEqual([2, 3, 6, 1]);
    expect(F.adaptive_avg_pool2d(x, 1).shape).toEqual([2, 3, 1, 1]);
    expect((F.max_pool1d(x.reshape(6, 6, 5), 2, { return_indices: true }) as Tensor[])[1]!.shape).toEqual([6, 6, 2]);
    // global average pooling equals the mean over the plane
    const g = F.adaptive_avg_pool2d(x, 1).contiguousArray();
    const xv = x.contiguousArray();
    for (let p = 0; p < 6; p++) {
      let s = 0;
      for (let i = 0; i < 30; i++) s += xv[p * 30 + i]!;
      expect(g[p]).toBeCloseTo(s / 30, 5);
    }
  });

  it('raises PyTorch errors', () => {
    const x = intTensor([1, 2, 5, 5], 1);
    expect(() => F.max_pool2d(x, 2, 1, 2)).toThrow('pad should be at most half of kernel size, but got pad=2 and kernel_size=2');
    expect(() => F.max_pool2d(x, 6)).toThrow('Given input size: (2x5x5). Calculated output size: (2x0x0). Output size is too small');
    expect(() => F.max_pool2d(intTensor([5, 5], 1), 2)).toThrow('non-empty 3D or 4D (batch mode) tensor expected for input');
    expect(() => F.max_pool2d(intTensor([1, 2, 5, 5], 1, 'int64'), 2)).toThrow(`"max_pool2d" not implemented for 'Long'`);
    expect(() => F.max_pool1d(intTensor([1, 2, 5], 1), 2, 1, 2)).toThrow('max_pool1d() padding should be at most half of kernel size, but got padding=2 and kernel_size=2');
    expect(() => F.adaptive_avg_pool2d(intTensor([1, 2, 0, 5], 1), 2)).toThrow('adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 2, 0, 5] with dimension 2 being empty');
    expect(() => F.avg_pool1d(intTensor([5], 1), 2)).toThrow("Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)");
  });
});
