/**
 * Every wasm kernel against the reference kernels, by fast-check properties over random shapes:
 * odd sizes, 0- and 1-sized dims, non-contiguous inputs, broadcasts, strides, padding, groups.
 * Runs on the plain-SIMD build with 1 and 2 threads and on the relaxed-SIMD build with 2.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithReference, op, randn, strided, useVariant, variants, wasm } from './helpers.js';

const configs: [wasm.Variant, number][] = [['simd', 1], ['simd', 2]];
if (variants().includes('relaxed')) configs.push(['relaxed', 2]);

const RUNS = 40;
const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const prop = <T>(arb: fc.Arbitrary<T>, f: (v: T) => void, runs = RUNS): void => fc.assert(fc.property(arb, f), { numRuns: runs });

describe.each(configs)('wasm kernels (%s, %i threads)', (variant, threads) => {
  beforeAll(async () => {
    await useVariant(variant, threads);
    expect(wasm.info().variant).toBe(variant);
  });

  it('conv2d: strides, padding, dilation, groups, bias, non-contiguous input', () => {
    const arb = fc.record({
      N: fc.integer({ min: 0, max: 2 }), g: fc.integer({ min: 1, max: 3 }), icg: fc.integer({ min: 1, max: 4 }), ocg: fc.integer({ min: 1, max: 7 }),
      H: fc.integer({ min: 1, max: 13 }), W: fc.integer({ min: 1, max: 13 }), kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }),
      s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }), bias: fc.boolean(), nc: fc.boolean(), seed,
    }).filter((c) => c.H + 2 * c.p >= c.d * (c.kh - 1) + 1 && c.W + 2 * c.p >= c.d * (c.kw - 1) + 1);
    prop(arb, (c) => {
      const C = c.g * c.icg, OC = c.g * c.ocg;
      let x = randn([c.N, C, c.H, c.W], c.seed);
      if (c.nc) x = strided(x, [0, 3, 1, 2]);
      const w = randn([OC, c.icg, c.kh, c.kw], c.seed + 1), b = c.bias ? randn([OC], c.seed + 2) : null;
      compareWithReference(() => op('aten::conv2d', x, w, b, [c.s, c.s], [c.p, c.p], [c.d, c.d], c.g), { keys: ['aten::conv2d'], rtol: 1e-4, atol: 1e-4 });
    });
  });

  it('depthwise conv2d (channel multiplier, stride, unbatched input)', () => {
    prop(fc.record({ C: fc.integer({ min: 1, max: 9 }), m: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 3, max: 20 }), W: fc.integer({ min: 3, max: 20 }), k: fc.constantFrom(3, 5), s: fc.integer({ min: 1, max: 2 }), batched: fc.boolean(), seed }), (c) => {
      const p = (c.k - 1) / 2;
      const x = randn(c.batched ? [2, c.C, c.H, c.W] : [c.C, c.H, c.W], c.seed), w = randn([c.C * c.m, 1, c.k, c.k], c.seed + 3), b = randn([c.C * c.m], c.seed + 4);
      compareWithReference(() => op('aten::conv2d', x, w, b, [c.s, c.s], [p, p], [1, 1], c.C), { keys: ['aten::conv2d'] });
    });
  });

  it('conv1d, aten::_convolution and padding="same"', () => {
    prop(fc.record({ C: fc.integer({ min: 1, max: 5 }), OC: fc.integer({ min: 1, max: 6 }), L: fc.integer({ min: 5, max: 40 }), k: fc.integer({ min: 1, max: 5 }), s: fc.integer({ min: 1, max: 3 }), seed }), (c) => {
      const x = randn([2, c.C, c.L], c.seed), w = randn([c.OC, c.C, c.k], c.seed + 1);
      compareWithReference(() => op('aten::conv1d', x, w, null, [c.s], [1], [1], 1), { keys: ['aten::conv1d'] });
      const x2 = randn([1, c.C, c.L, 7], c.seed + 2), w2 = randn([c.OC, c.C, c.k, 3], c.seed + 3);
      compareWithReference(() => op('aten::_convolution', x2, w2, null, [c.s, 1], [0, 1], [1, 1], false, [0, 0], 1, false, false, true, true), { keys: ['aten::_convolution'] });
      if (c.k % 2 === 1) compareWithReference(() => op('aten::conv2d', x2, w2, null, [1, 1], 'same', [1, 1], 1), { keys: ['aten::conv2d.padding'] });
    });
  });

  it('conv_transpose2d / conv_transpose1d (stride, padding, output_padding, dilation, groups)', () => {
    prop(fc.record({ g: fc.integer({ min: 1, max: 2 }), icg: fc.integer({ min: 1, max: 4 }), ocg: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 8 }), W: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 1 }), d: fc.integer({ min: 1, max: 2 }), op: fc.integer({ min: 0, max: 2 }), bias: fc.boolean(), seed }).filter((c) => c.op < Math.max(c.s, c.d) && (c.H - 1) * c.s - 2 * c.p + c.d * (c.k - 1) + c.op + 1 > 0 && (c.W - 1) * c.s - 2 * c.p + c.d * (c.k - 1) + c.op + 1 > 0), (c) => {
      const x = randn([2, c.g * c.icg, c.H, c.W], c.seed), w = randn([c.g * c.icg, c.ocg, c.k, c.k], c.seed + 1), b = c.bias ? randn([c.g * c.ocg], c.seed + 2) : null;
      compareWithReference(() => op('aten::conv_transpose2d', x, w, b, [c.s, c.s], [c.p, c.p], [c.op, c.op], c.g, [c.d, c.d]), { keys: ['aten::conv_transpose2d.input'] });
      const x1 = randn([2, c.g * c.icg, c.W], c.seed + 3), w1 = randn([c.g * c.icg, c.ocg, c.k], c.seed + 4);
      compareWithReference(() => op('aten::conv_transpose1d', x1, w1, b, [c.s], [c.p], [c.op], c.g, [c.d]), { keys: ['aten::conv_transpose1d'] });
    });
  });

  it('torchlet::conv2d_fused (residual, clamp) against its reference kernel', () => {
    prop(fc.record({ C: fc.integer({ min: 1, max: 8 }), OC: fc.integer({ min: 1, max: 10 }), H: fc.integer({ min: 2, max: 12 }), k: fc.constantFrom(1, 3), res: fc.boolean(), act: fc.constantFrom('none', 'relu', 'relu6'), seed }), (c) => {
      const p = (c.k - 1) / 2;
      const x = randn([1, c.C, c.H, c.H], c.seed), w = randn([c.OC, c.C, c.k, c.k], c.seed + 1), b = randn([c.OC], c.seed + 2);
      const r = c.res ? randn([1, c.OC, c.H, c.H], c.seed + 3) : null;
      const lo = c.act === 'none' ? null : 0, hi = c.act === 'relu6' ? 6 : null;
      compareWithReference(() => op('torchlet::conv2d_fused', x, w, b, [1, 1], [p, p], [1, 1], 1, r, lo, hi), { keys: ['torchlet::conv2d_fused'] });
    });
  });

  it('pooling: max/avg (ceil_mode, count_include_pad, divisor_override), adaptive average', () => {
    prop(fc.record({ C: fc.integer({ min: 1, max: 5 }), H: fc.integer({ min: 2, max: 15 }), W: fc.integer({ min: 2, max: 15 }), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), ceil: fc.boolean(), inc: fc.boolean(), div: fc.boolean(), seed }), (c) => {
      const p = Math.floor(c.k / 2);
      const x = strided(randn([2, c.C, c.H, c.W], c.seed), [0, 2, 3, 1]);
      compareWithReference(() => op('aten::max_pool2d', x, [c.k, c.k], [c.s, c.s], [p, p], [1, 1], c.ceil), { keys: ['aten::max_pool2d'] });
      compareWithReference(() => op('aten::avg_pool2d', x, [c.k, c.k], [c.s, c.s], [p, p], c.ceil, c.inc, c.div ? 3 : null), { keys: ['aten::avg_pool2d'] });
      compareWithReference(() => op('aten::adaptive_avg_pool2d', x, [1, 1]), { keys: ['aten::adaptive_avg_pool2d'] });
    });
  });

  it('mm / bmm / matmul / addmm / linear: odd and empty sizes, transposed operands, batch broadcast', () => {
    prop(fc.record({ n: fc.integer({ min: 0, max: 23 }), k: fc.integer({ min: 1, max: 37 }), p: fc.integer({ min: 0, max: 29 }), b: fc.integer({ min: 1, max: 3 }), tA: fc.boolean(), tB: fc.boolean(), seed }), (c) => {
      const A = c.tA ? op('aten::t', randn([c.k, c.n], c.seed)) : randn([c.n, c.k], c.seed);
      const B = c.tB ? op('aten::t', randn([c.p, c.k], c.seed + 1)) : randn([c.k, c.p], c.seed + 1);
      compareWithReference(() => op('aten::mm', A, B), { keys: c.n * c.p ? ['aten::mm'] : [] });
      const bias = randn([c.p], c.seed + 2), full = randn([c.n, c.p], c.seed + 3);
      compareWithReference(() => op('aten::addmm', bias, A, B), { keys: c.n * c.p ? ['aten::addmm'] : [] });
      compareWithReference(() => op('aten::addmm', full, A, B), { keys: c.n * c.p ? ['aten::addmm'] : [] });
      const W = randn([c.p, c.k], c.seed + 4);
      compareWithReference(() => op('aten::linear', A, W, bias), { keys: c.n * c.p ? ['aten::linear'] : [] });
      const X = randn([c.b, 1, c.n, c.k], c.seed + 5), Y = strided(randn([c.b, c.k, c.p], c.seed + 6), [0, 2, 1]);
      compareWithReference(() => op('aten::matmul', X, Y), { keys: c.n * c.p ? ['aten::matmul'] : [] });
      const X3 = randn([c.b, c.n, c.k], c.seed + 7);
      compareWithReference(() => op('aten::bmm', X3, Y), { keys: c.n * c.p ? ['aten::bmm'] : [] });
    });
  });

  it('torchlet::linear_fused (3-d input, residual, clamp)', () => {
    prop(fc.record({ m: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 40 }), n: fc.integer({ min: 1, max: 40 }), res: fc.boolean(), seed }), (c) => {
      const x = randn([2, c.m, c.k], c.seed), w = randn([c.n, c.k], c.seed + 1), b = randn([c.n], c.seed + 2), r = c.res ? randn([2, c.m, c.n], c.seed + 3) : null;
      compareWithReference(() => op('torchlet::linear_fused', x, w, b, r, -0.5, 1.5), { keys: ['torchlet::linear_fused'] });
    });
  });

  it('binary ops with broadcasting, scalars and strided operands', () => {
    const shape = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 5 });
    prop(fc.record({ shape, mask: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), op: fc.constantFrom('add', 'sub', 'mul', 'div', 'maximum', 'minimum'), nc: fc.boolean(), seed }), (c) => {
      const sb = c.shape.map((d, i) => (c.mask[i] ? 1 : d)).slice(Math.floor(c.seed % 2));
      let x = randn(c.shape, c.seed);
      if (c.nc && c.shape.length >= 2) x = strided(x, [...c.shape.keys()].reverse());
      const y = randn(sb, c.seed + 1);
      const key = c.op === 'maximum' || c.op === 'minimum' ? `aten::${c.op}` : `aten::${c.op}.Tensor`;
      compareWithReference(() => op(`aten::${c.op}`, x, y), { keys: x.numel() ? [key] : [] });
      compareWithReference(() => op(`aten::${c.op}`, y, x));
      if (c.op !== 'maximum' && c.op !== 'minimum') compareWithReference(() => op(`aten::${c.op}`, x, 1.75), { keys: x.numel() ? [`aten::${c.op}.Scalar`] : [] });
    });
  });

  it('activations and unary math (special values included)', () => {
    const special = [0, -0, 1e-8, -1e-8, 30, -30, 100, -100, Infinity, -Infinity, NaN];
    prop(fc.record({ n: fc.integer({ min: 0, max: 70 }), seed }), (c) => {
      const x = randn([c.n], c.seed).mul(4);
      const xs = x;
      const h = xs.hostArray;
      for (let i = 0; i < Math.min(c.n, special.length); i++) h[(i * 7) % Math.max(1, c.n)] = special[i]!;
      const pos = op('aten::abs', xs);
      const unary = ['relu', 'sigmoid', 'tanh', 'exp', 'silu', 'hardswish', 'hardsigmoid', 'neg', 'abs', 'erf', 'reciprocal', 'relu6'];
      for (const u of unary) compareWithReference(() => op(`aten::${u}`, xs), { keys: c.n ? [`aten::${u}`] : [], rtol: 2e-5, atol: 1e-6 });
      for (const u of ['log', 'sqrt', 'rsqrt']) compareWithReference(() => op(`aten::${u}`, pos), { rtol: 2e-5, atol: 1e-6 });
      compareWithReference(() => op('aten::gelu', xs), { rtol: 2e-5, atol: 1e-6 });
      compareWithReference(() => op('aten::gelu', xs, { approximate: 'tanh' }), { rtol: 2e-5, atol: 1e-6 });
      compareWithReference(() => op('aten::clamp', xs, -1.5, 2.5));
      compareWithReference(() => op('aten::hardtanh', xs, -2, 3));
      compareWithReference(() => op('aten::leaky_relu', xs, 0.1));
      compareWithReference(() => op('aten::elu', xs, 1.3), { rtol: 2e-5, atol: 1e-6 });
    });
  });

  it('reductions, softmax, log_softmax over random dims', () => {
    const shape = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 });
    prop(fc.record({ shape, d: fc.nat(), keep: fc.boolean(), nc: fc.boolean(), seed }), (c) => {
      let x = randn(c.shape, c.seed).mul(3);
      if (c.nc && c.shape.length >= 2) x = strided(x, [...c.shape.keys()].reverse());
      const d = c.d % c.shape.length;
      compareWithReference(() => op('aten::softmax', x, d), { keys: ['aten::softmax.int'] });
      compareWithReference(() => op('aten::log_softmax', x, d), { keys: ['aten::log_softmax.int'], atol: 1e-5 });
      compareWithReference(() => op('aten::sum', x, [d], c.keep), { keys: ['aten::sum.dim_IntList'] });
      compareWithReference(() => op('aten::mean', x, [d, ...(d + 1 < c.shape.length ? [d + 1] : [])], c.keep), { keys: ['aten::mean.dim'] });
      compareWithReference(() => op('aten::amax', x, [d], c.keep), { keys: ['aten::amax'] });
      compareWithReference(() => op('aten::amin', x, [d], c.keep), { keys: ['aten::amin'] });
      compareWithReference(() => op('aten::sum', x), { keys: ['aten::sum'] });
    });
  });

  it('LSTM / GRU (layers, directions, batch_first, biases)', () => {
    prop(fc.record({ T: fc.integer({ min: 1, max: 6 }), B: fc.integer({ min: 1, max: 3 }), I: fc.integer({ min: 1, max: 9 }), H: fc.integer({ min: 1, max: 11 }), L: fc.integer({ min: 1, max: 2 }), bi: fc.boolean(), bf: fc.boolean(), bias: fc.boolean(), seed }), (c) => {
      const D = c.bi ? 2 : 1;
      const x = randn(c.bf ? [c.B, c.T, c.I] : [c.T, c.B, c.I], c.seed);
      for (const [name, G] of [['lstm', 4], ['gru', 3]] as const) {
        const params: ReturnType<typeof randn>[] = [];
        for (let l = 0; l < c.L; l++) {
          for (let d = 0; d < D; d++) {
            const inS = l === 0 ? c.I : D * c.H, k = c.seed + 10 * (l * D + d);
            params.push(randn([G * c.H, inS], k + 1), randn([G * c.H, c.H], k + 2));
            if (c.bias) params.push(randn([G * c.H], k + 3), randn([G * c.H], k + 4));
          }
        }
        const h0 = randn([c.L * D, c.B, c.H], c.seed + 5), c0 = randn([c.L * D, c.B, c.H], c.seed + 6);
        const hx = name === 'lstm' ? [h0, c0] : h0;
        compareWithReference(() => op(`aten::${name}`, x, hx, params, c.bias, c.L, 0, false, c.bi, c.bf), { keys: [`aten::${name}.input`], rtol: 1e-4, atol: 2e-5 });
      }
    }, 15);
  });

  it('transformer encoder layer fast path and multi-head attention', () => {
    prop(fc.record({ B: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: 1, max: 9 }), nh: fc.constantFrom(1, 2, 4), dh: fc.integer({ min: 1, max: 9 }), F: fc.integer({ min: 1, max: 20 }), gelu: fc.boolean(), nf: fc.boolean(), seed }), (c) => {
      const E = c.nh * c.dh;
      const x = randn([c.B, c.T, E], c.seed);
      const w = (shape: number[], k: number) => randn(shape, c.seed + k).mul(0.5);
      const args = [x, E, c.nh, w([3 * E, E], 1), w([3 * E], 2), w([E, E], 3), w([E], 4), c.gelu, c.nf, 1e-5, w([E], 5), w([E], 6), w([E], 7), w([E], 8), w([c.F, E], 9), w([c.F], 10), w([E, c.F], 11), w([E], 12), null, null];
      compareWithReference(() => op('aten::_transformer_encoder_layer_fwd', ...args), { keys: ['aten::_transformer_encoder_layer_fwd'], rtol: 1e-4, atol: 1e-4 });
      compareWithReference(() => op('aten::_native_multi_head_attention', x, x, x, E, c.nh, args[3], args[4], args[5], args[6], null, false), { keys: ['aten::_native_multi_head_attention'], rtol: 1e-4, atol: 1e-4 });
    }, 15);
  });

  it('batch_norm (eval) and layer_norm', () => {
    prop(fc.record({ N: fc.integer({ min: 1, max: 3 }), C: fc.integer({ min: 1, max: 6 }), L: fc.integer({ min: 1, max: 20 }), affine: fc.boolean(), seed }), (c) => {
      const x = randn([c.N, c.C, c.L], c.seed);
      const m = randn([c.C], c.seed + 1), v = op('aten::add', op('aten::abs', randn([c.C], c.seed + 2)), 0.1);
      const w = c.affine ? randn([c.C], c.seed + 3) : null, b = c.affine ? randn([c.C], c.seed + 4) : null;
      compareWithReference(() => op('aten::batch_norm', x, w, b, m, v, false, 0.1, 1e-5, true), { keys: ['aten::native_batch_norm'] });
      const lw = c.affine ? randn([c.L], c.seed + 5) : null, lb = c.affine ? randn([c.L], c.seed + 6) : null;
      compareWithReference(() => op('aten::layer_norm', x, [c.L], lw, lb, 1e-5, true), { keys: ['aten::native_layer_norm'], rtol: 1e-4, atol: 1e-4 });
      compareWithReference(() => op('aten::native_layer_norm', x, [c.C, c.L], null, null, 1e-5), { keys: ['aten::native_layer_norm'], rtol: 1e-4, atol: 1e-4 });
    });
  });
});

describe('wasm backend state', () => {
  it('falls back to the reference kernels when switched off, and for other dtypes', async () => {
    await useVariant('simd', 1);
    const x = randn([4, 4], 7);
    wasm.resetKernelCalls();
    op('aten::mm', op('aten::to', x, 'float64'), op('aten::to', x, 'float64'));
    expect(wasm.kernelCalls().get('aten::mm')).toBeUndefined();
    wasm.setKernelsEnabled(false);
    op('aten::mm', x, x);
    wasm.setKernelsEnabled(true);
    expect(wasm.kernelCalls().get('aten::mm')).toBeUndefined();
    op('aten::mm', x, x);
    expect(wasm.kernelCalls().get('aten::mm')).toBe(1);
  });

  it('places float32 storages in the wasm memory and frees them on dispose', async () => {
    await useVariant('simd', 2);
    const before = wasm.info().heapBytes!;
    const t = randn([64, 64], 3);
    const y = op('aten::relu', t);
    expect(wasm.info().heapBytes!).toBeGreaterThan(before);
    y.dispose();
    expect(wasm.info().heapBytes!).toBe(before);
  });
});
