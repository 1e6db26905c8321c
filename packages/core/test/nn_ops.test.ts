import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSampleFile } from '../../conformance/src/aten.js';
import { bindArgs, callFunction, getRegistry, memory, pythonIndex, resolveOverload, runOverload, tensor, Tensor, tidy } from '../src/index.js';
import { nnOps } from '../src/ops/nn/index.js';
import { decode, haveOps, loadFixture, mismatch, runCase, withDecompositions } from './nn_fixtures.js';

const ATEN_OPS = new URL('../../../test-models/aten-ops/', import.meta.url).pathname;

/** The PyTorch OpInfo sample files of the nn ops (copied from the OpInfo database). */
const OPINFO_FILES = [
  'native_batch_norm', 'native_layer_norm', 'nn.functional.batch_norm', 'nn.functional.layer_norm', 'nn.functional.group_norm',
  'nn.functional.instance_norm', 'nn.functional.normalize', 'nn.functional.local_response_norm',
  'nn.functional.interpolate.nearest', 'nn.functional.interpolate.bilinear', 'nn.functional.interpolate.linear', 'nn.functional.interpolate.bicubic',
  'nn.functional.interpolate.trilinear', 'nn.functional.interpolate.area', 'nn.functional.upsample_bilinear', 'nn.functional.upsample_nearest',
  'nn.functional.mse_loss', 'nn.functional.l1_loss', 'nn.functional.smooth_l1_loss', 'nn.functional.huber_loss', 'nn.functional.nll_loss',
  'nn.functional.cross_entropy', 'nn.functional.binary_cross_entropy', 'nn.functional.binary_cross_entropy_with_logits', 'nn.functional.kl_div',
  'nn.functional.cosine_embedding_loss', 'nn.functional.gaussian_nll_loss', 'nn.functional.hinge_embedding_loss', 'nn.functional.margin_ranking_loss',
  'nn.functional.multi_margin_loss', 'nn.functional.multilabel_margin_loss', 'nn.functional.multilabel_soft_margin_loss', 'nn.functional.poisson_nll_loss',
  'nn.functional.soft_margin_loss', 'nn.functional.triplet_margin_loss',
];

describe('nn ops match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO_FILES) {
    it(f, () => {
      const r = runSampleFile(join(ATEN_OPS, `${f}.json`));
      expect(r.errors).toEqual([]);
      expect(r.passed).toBe(r.total);
    });
  }

  it.skipIf(!haveOps('aten::mean', 'aten::var', 'aten::rsqrt', 'aten::repeat', 'aten::index_select', 'aten::copy_'))(
    'norm and interpolate samples through the decompositions (kernels off)', () => {
      // (native_layer_norm's samples include PyTorch's float32 fma residue where the exact result is 0,
      // which only the kernel reproduces; nn.functional.layer_norm covers the decomposition)
      const files = OPINFO_FILES.filter((f) => /norm|interpolate|upsample/.test(f) && !/local_response|normalize|native_layer_norm/.test(f));
      const failed = withDecompositions(nnOps, () => files.map((f) => runSampleFile(join(ATEN_OPS, `${f}.json`))).filter((r) => r.passed !== r.total));
      expect(failed.map((r) => `${r.file}: ${r.errors[0]}`)).toEqual([]);
    });

  it('nn.functional._scaled_dot_product_attention (all but the dropout_p > 0 samples, whose outputs are random)', () => {
    const path = join(ATEN_OPS, 'nn.functional._scaled_dot_product_attention.json');
    const samples = (JSON.parse(readFileSync(path, 'utf8')) as { samples: { kwargs: { dropout_p?: number } }[] }).samples;
    const random = samples.filter((s) => (s.kwargs.dropout_p ?? 0) > 0).length;
    const r = runSampleFile(path);
    expect(r.passed).toBe(r.total - random);
  });
});

function fixtureSuite(file: string): void {
  for (const c of loadFixture(file)) {
    it(c.name, () => {
      tidy(() => {
        const why = mismatch(runCase(c), decode(c.out), c.rtol, c.atol);
        expect(why, `${c.target}: ${why}`).toBeUndefined();
      });
    });
  }
}

describe('interpolation matches PyTorch (test-models/nn-ops/interp.json)', () => fixtureSuite('interp.json'));

decompositionSuite('interp.json', ['aten::index_select', 'aten::mul', 'aten::add', 'aten::clone']);

describe('recurrent ops match PyTorch (test-models/nn-ops/rnn.json)', () => fixtureSuite('rnn.json'));

/** The same fixtures with the nn ops' CPU kernels switched off: what backends without those kernels run. */
function decompositionSuite(file: string, ops: string[]): void {
  describe.skipIf(!haveOps(...ops))(`${file} through the decompositions`, () => {
    for (const c of loadFixture(file)) {
      it(c.name, () => {
        tidy(() => {
          const got = withDecompositions(nnOps, () => runCase(c));
          const why = mismatch(got, decode(c.out), c.rtol, c.atol);
          expect(why, `${c.target}: ${why}`).toBeUndefined();
        });
      });
    }
  });
}

decompositionSuite('rnn.json', ['aten::linear', 'aten::unsafe_chunk', 'aten::sigmoid', 'aten::tanh', 'aten::relu', 'aten::mul', 'aten::add', 'aten::sub',
  'aten::select', 'aten::stack', 'aten::cat', 'aten::transpose', 'aten::contiguous', 'aten::clone']);

describe('attention ops match PyTorch (test-models/nn-ops/attention.json)', () => fixtureSuite('attention.json'));

decompositionSuite('attention.json', ['aten::linear', 'aten::matmul', 'aten::softmax', 'aten::masked_fill', 'aten::ne', 'aten::tril', 'aten::ones', 'aten::logical_not',
  'aten::div', 'aten::sum', 'aten::reshape', 'aten::view', 'aten::transpose', 'aten::unsafe_chunk', 'aten::gelu', 'aten::relu', 'aten::add']);

describe('losses match PyTorch (test-models/nn-ops/losses.json)', () => fixtureSuite('losses.json'));

// ------------------------------------------------------------------ properties

/** Deterministic pseudo-random float32 data for property tests (fast-check picks the seed). */
function data(seed: number, shape: number[], scale = 1): Tensor {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((p, x) => p * x, 1);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return tensor(a, { shape });
}

function decomposeKey(key: string, args: Record<string, unknown>): unknown {
  const ov = getRegistry().overload(key)!;
  const bound = bindArgs(ov, [], args, true);
  if (typeof bound === 'string') throw new Error(bound);
  return ov.decl.decompose!(bound);
}

function runKey(key: string, args: Record<string, unknown>): unknown {
  const ov = getRegistry().overload(key)!;
  const bound = bindArgs(ov, [], args, true);
  if (typeof bound === 'string') throw new Error(bound);
  return runOverload(ov, bound);
}

describe('nn properties', () => {
  it.skipIf(!haveOps('aten::linear', 'aten::unsafe_chunk', 'aten::stack', 'aten::cat', 'aten::select'))('recurrent kernels equal their decompositions', () => {
    fc.assert(
      fc.property(
        fc.record({
          mode: fc.constantFrom('lstm', 'gru', 'rnn_tanh', 'rnn_relu'), layers: fc.integer({ min: 1, max: 2 }), bi: fc.boolean(), bf: fc.boolean(),
          bias: fc.boolean(), T: fc.integer({ min: 1, max: 4 }), B: fc.integer({ min: 1, max: 3 }), I: fc.integer({ min: 1, max: 4 }),
          H: fc.integer({ min: 1, max: 4 }), proj: fc.integer({ min: 0, max: 3 }), seed: fc.integer(),
        }),
        (c) => {
          tidy(() => {
            const G = { lstm: 4, gru: 3, rnn_tanh: 1, rnn_relu: 1 }[c.mode]!;
            const D = c.bi ? 2 : 1;
            const P = c.mode === 'lstm' && c.proj > 0 && c.proj < c.H ? c.proj : c.H;
            const params: Tensor[] = [];
            let k = c.seed;
            for (let l = 0; l < c.layers; l++) {
              for (let d = 0; d < D; d++) {
                params.push(data(++k, [G * c.H, l === 0 ? c.I : D * P]), data(++k, [G * c.H, P]));
                if (c.bias) params.push(data(++k, [G * c.H]), data(++k, [G * c.H]));
                if (P !== c.H) params.push(data(++k, [P, c.H]));
              }
            }
            const input = data(++k, c.bf ? [c.B, c.T, c.I] : [c.T, c.B, c.I], 2);
            const h0 = data(++k, [c.layers * D, c.B, P]);
            const hx = c.mode === 'lstm' ? [h0, data(++k, [c.layers * D, c.B, c.H])] : h0;
            const args = { input, hx, params, has_biases: c.bias, num_layers: c.layers, dropout: 0, train: false, bidirectional: c.bi, batch_first: c.bf };
            const key = `aten::${c.mode}.input`;
            const why = mismatch(decomposeKey(key, args), runKey(key, args), 1e-4, 1e-5);
            expect(why).toBeUndefined();
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it.skipIf(!haveOps('aten::linear', 'aten::matmul', 'aten::softmax', 'aten::masked_fill'))('multi-head attention kernel equals its decomposition', () => {
    fc.assert(
      fc.property(
        fc.record({
          B: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 5 }), S: fc.integer({ min: 1, max: 5 }), H: fc.integer({ min: 1, max: 3 }),
          dh: fc.integer({ min: 1, max: 4 }), mask: fc.constantFrom('none', 'padding', 'full'), needWeights: fc.boolean(), average: fc.boolean(), seed: fc.integer(),
        }),
        (c) => {
          tidy(() => {
            const E = c.H * c.dh;
            let k = c.seed;
            const q = data(++k, [c.B, c.T, E]), kk = data(++k, [c.B, c.S, E]), v = data(++k, [c.B, c.S, E]);
            let mask: Tensor | null = null;
            if (c.mask !== 'none') {
              const shape = c.mask === 'padding' ? [c.B, c.S] : [c.B, c.H, c.T, c.S];
              const m = data(++k, shape).contiguousArray();
              // keep key 0 visible so that no row is fully masked
              mask = tensor(Array.from(m, (x, i) => x > 0.3 && i % c.S !== 0), { shape, dtype: 'bool' });
            }
            const args = {
              query: q, key: kk, value: v, embed_dim: E, num_head: c.H, qkv_weight: data(++k, [3 * E, E]), qkv_bias: data(++k, [3 * E]),
              proj_weight: data(++k, [E, E]), proj_bias: data(++k, [E]), mask, need_weights: c.needWeights, average_attn_weights: c.average, mask_type: mask ? 1 : null,
            };
            const key = 'aten::_native_multi_head_attention';
            expect(mismatch(decomposeKey(key, args), runKey(key, args), 1e-4, 1e-5)).toBeUndefined();
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('nearest upsampling by an integer factor repeats each element (generic kernel: floor(o / factor))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 3 }), fc.integer(), (f, h, w, c, seed) => {
        tidy(() => {
          const x = data(seed, [1, c, h, w]);
          const y = runKey('aten::upsample_nearest2d.vec', { input: x, output_size: null, scale_factors: [f, f] }) as Tensor;
          expect(y.shape).toEqual([1, c, h * f, w * f]);
          const xs = x.contiguousArray(), ys = y.contiguousArray();
          for (let ch = 0; ch < c; ch++) {
            for (let i = 0; i < h * f; i++) {
              for (let j = 0; j < w * f; j++) expect(ys[(ch * h * f + i) * w * f + j]).toBe(xs[(ch * h + Math.floor(i / f)) * w + Math.floor(j / f)]);
            }
          }
        });
      }),
      { numRuns: 30 },
    );
  });

  it('layer_norm rows have mean 0 and variance 1; native_layer_norm returns their stats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 9 }), fc.integer(), (rows, cols, seed) => {
        tidy(() => {
          const x = data(seed, [rows, cols], 3);
          const [y, mean, rstd] = runKey('aten::native_layer_norm', { input: x, normalized_shape: [cols], weight: null, bias: null, eps: 0 }) as Tensor[];
          expect(mean!.shape).toEqual([rows, 1]);
          const ys = y!.contiguousArray(), xs = x.contiguousArray();
          for (let r = 0; r < rows; r++) {
            let m = 0, v = 0, mx = 0;
            for (let j = 0; j < cols; j++) {
              m += ys[r * cols + j]! / cols;
              mx += xs[r * cols + j]! / cols;
            }
            for (let j = 0; j < cols; j++) v += (ys[r * cols + j]! - m) ** 2 / cols;
            expect(Math.abs(m)).toBeLessThan(1e-5);
            expect(Math.abs(v - 1)).toBeLessThan(1e-3);
            expect(mean!.contiguousArray()[r]).toBeCloseTo(mx, 5);
            expect(rstd!.contiguousArray()[r]! > 0).toBe(true);
          }
        });
      }),
      { numRuns: 30 },
    );
  });
});

describe('the ops of the scripted reference models lstm_tagger and transformer_layer (test-models/nn-ops/ref_models.json)', () => fixtureSuite('ref_models.json'));

describe('F.scaled_dot_product_attention (PyTorch 2.x signature)', () => {
  const cases = loadFixture('attention.json').filter((c) => c.target === '_scaled_dot_product_attention');
  for (const c of cases) {
    it(`equals _scaled_dot_product_attention's output: ${c.name}`, () => {
      tidy(() => {
        const args = decode(c.args) as unknown[];
        const kw = decode(c.kwargs) as Record<string, unknown>;
        const got = callFunction('scaled_dot_product_attention', [...args, { is_causal: kw.is_causal ?? false }], 'F');
        expect(mismatch(got, (decode(c.out) as unknown[])[0], c.rtol, c.atol)).toBeUndefined();
      });
    });
  }
  it('scale multiplies q k^T in place of 1/sqrt(E)', () => {
    tidy(() => {
      const q = data(1, [2, 3, 4]), k = data(2, [2, 5, 4]), v = data(3, [2, 5, 6]);
      const got = callFunction('scaled_dot_product_attention', [q, k, v, { scale: 0.7 }], 'F');
      // the same as the default scale applied to q * 0.7 * sqrt(4)
      const q2 = tensor(Float32Array.from(q.contiguousArray(), (x) => x * 0.7 * 2), { shape: [2, 3, 4] });
      const want = callFunction('scaled_dot_product_attention', [q2, k, v], 'F');
      expect(mismatch(got, want, 1e-5, 1e-6)).toBeUndefined();
    });
  });
});

describe('nn ops free every intermediate (kernels and decompositions)', () => {
  const disposeAll = (v: unknown): void => {
    if (v instanceof Tensor) v.dispose();
    else if (Array.isArray(v)) v.forEach(disposeAll);
  };
  for (const file of ['interp.json', 'rnn.json', 'attention.json', 'losses.json']) {
    it(file, () => {
      const leaks: string[] = [];
      for (const c of loadFixture(file)) {
        for (const mode of ['run', 'decompose'] as const) {
          const args = decode(c.args) as unknown[], kwargs = decode(c.kwargs) as Record<string, unknown>;
          const before = memory().storages;
          let r: unknown;
          if (mode === 'run') r = runCase({ ...c, pick: undefined }, args, kwargs);
          else {
            const ov = c.kind === 'op' ? getRegistry().overload(c.target)! : resolveOverload(pythonIndex().get(c.target)!.overloads, args, kwargs).overload;
            const b = bindArgs(ov, args, kwargs, true);
            r = ov.decl.decompose && typeof b !== 'string' && haveOps('aten::linear', 'aten::matmul') ? ov.decl.decompose(b) : undefined;
          }
          disposeAll(r);
          const extra = memory().storages - before;
          if (extra !== 0) leaks.push(`${c.name} (${mode}): ${extra} storages`);
          disposeAll(args);
          disposeAll(Object.values(kwargs));
        }
      }
      expect(leaks).toEqual([]);
    });
  }
});

describe('training-mode batch_norm / instance_norm update the running stats like PyTorch (test-models/nn-ops/running_stats.json)', () => {
  for (const c of loadFixture('running_stats.json')) {
    it(c.name, () => {
      tidy(() => {
        const args = decode(c.args) as unknown[];
        const out = callFunction(c.target, args, 'F');
        // args[1], args[2]: running_mean and running_var, updated in place
        expect(mismatch([out, args[1], args[2]], decode(c.out), c.rtol, c.atol)).toBeUndefined();
      });
    });
    it.skipIf(!haveOps('aten::mean', 'aten::var', 'aten::repeat', 'aten::copy_'))(`${c.name} (decomposed)`, () => {
      tidy(() => {
        const args = decode(c.args) as unknown[];
        const out = withDecompositions(nnOps, () => callFunction(c.target, args, 'F'));
        expect(mismatch([out, args[1], args[2]], decode(c.out), c.rtol, c.atol)).toBeUndefined();
      });
    });
  }
});
