import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functions as torch, nnFunctional as F, numel, tensor, Tensor, tidy } from '../src/index.js';
import { expectErrors, runSamples } from './shape_fixtures.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

const OPINFO = [
  'argwhere', 'bucketize', 'diagonal_scatter', 'gather', 'index_add', 'index_copy', 'index_fill', 'index_put', 'index_reduce', 'index_select',
  'masked_scatter', 'masked_select', 'nn.functional.embedding', 'nn.functional.one_hot', 'nonzero', 'put', 'scatter', 'scatter_add',
  'scatter_reduce.amax', 'scatter_reduce.amin', 'scatter_reduce.mean', 'scatter_reduce.prod', 'scatter_reduce.sum', 'searchsorted', 'select_scatter',
  'slice_scatter', 'take', 'take_along_dim', 'unique', 'unique_consecutive',
];
/** take_along_dim without dim views its input flat, which needs contiguous strides (as in PyTorch) */
const NO_SCRAMBLE = new Set(['take_along_dim']);

describe('indexing ops match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO) {
    it(f, () => {
      expect(runSamples(join(ROOT, 'aten-ops', `${f}.json`))).toEqual([]);
      if (!NO_SCRAMBLE.has(f)) expect(runSamples(join(ROOT, 'aten-ops', `${f}.json`), { scramble: true })).toEqual([]);
    });
  }
});

describe('indexing ops match PyTorch on edge cases (test-models/indexing)', () => {
  const dir = join(ROOT, 'indexing');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'errors.json').sort()) {
    it(f, () => {
      expect(runSamples(join(dir, f))).toEqual([]);
      if (!NO_SCRAMBLE.has(f.replace('.json', ''))) expect(runSamples(join(dir, f), { scramble: true })).toEqual([]);
    });
  }
  it('throws where PyTorch throws, with its message', () => {
    expect(expectErrors(join(dir, 'errors.json'))).toBeGreaterThan(40);
  });
});

const f32 = { dtype: 'float32' } as const;

describe('indexing semantics', () => {
  it('in-place variants write into self', () => {
    tidy(() => {
      const x = torch.zeros(3, 4);
      const r = x.index_put_([tensor([0, 2])], tensor([1, 2, 3, 4], f32), true);
      expect(r).toBe(x);
      expect(Array.from(x.select(0, 2).contiguousArray())).toEqual([1, 2, 3, 4]);
      x.scatter_(1, tensor([[3], [3], [3]]), 9);
      expect(Array.from(x.select(1, 3).contiguousArray())).toEqual([9, 9, 9]);
      x.index_fill_(0, tensor([1]), -1);
      expect(Array.from(x.select(0, 1).contiguousArray())).toEqual([-1, -1, -1, -1]);
      // through a view: the base sees it
      const base = torch.zeros(4, 4);
      base.t().index_put_([tensor([1])], tensor(5, f32));
      expect(Array.from(base.select(1, 1).contiguousArray())).toEqual([5, 5, 5, 5]);
    });
  });

  it('F.embedding takes (input, weight) like Python and (weight, indices) like aten; max_norm renormalizes weight in place', () => {
    tidy(() => {
      const w = tensor([[3, 4], [0.3, 0.4], [6, 8]], f32);
      const i = tensor([0, 2]);
      expect(Array.from(F.embedding(i, w).contiguousArray())).toEqual([3, 4, 6, 8]);
      expect(Array.from(torch.embedding(w, i).contiguousArray())).toEqual([3, 4, 6, 8]);
      const out = F.embedding(i, w, { max_norm: 1 });
      expect(Array.from(out.contiguousArray())).toEqual(Array.from(w.index_select(0, i).contiguousArray()));
      expect(w.select(0, 0).contiguousArray()[0]).toBeCloseTo(0.6, 5);
      expect(w.select(0, 1).contiguousArray()[0]).toBeCloseTo(0.3, 6); // unused rows are untouched
    });
  });

  it('advanced indexing equals gathering element by element', () => {
    const arb = fc.tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), fc.boolean());
    fc.assert(
      fc.property(arb, ([shape, seeds, adjacent]) => {
        tidy(() => {
          const x = tensor(Float32Array.from({ length: numel(shape) }, (_, k) => k), { shape });
          // index dims 0 and (1 or last): adjacent or separated by a full slice
          const d0 = 0, d1 = adjacent || shape.length < 3 ? 1 : shape.length - 1;
          const i0 = tensor(seeds.slice(0, 3).map((s) => (s % (2 * shape[d0]!)) - shape[d0]!));
          const i1 = tensor(seeds.slice(3, 6).map((s) => s % shape[d1]!));
          const indices: (Tensor | null)[] = shape.map(() => null);
          indices[d0] = i0;
          indices[d1] = i1;
          while (indices[indices.length - 1] === null) indices.pop();
          const r = torch.index(x, indices);
          const contiguousSub = d1 === 1;
          const rest = shape.map((_, d) => d).filter((d) => d !== d0 && d !== d1);
          expect(r.shape).toEqual(contiguousSub ? [3, ...rest.map((d) => shape[d]!)] : [3, ...rest.map((d) => shape[d]!)]);
          // element-wise reference via select
          for (let k = 0; k < 3; k++) {
            const a = i0.contiguousArray()[k]!, b = i1.contiguousArray()[k]!;
            let ref: Tensor = x;
            const picks = shape.map((_, d) => (d === d0 ? (a < 0 ? a + shape[d0]! : a) : d === d1 ? b : -1));
            for (let d = shape.length - 1; d >= 0; d--) if (picks[d]! >= 0) ref = ref.select(d, picks[d]!);
            expect(Array.from(r.select(0, k).contiguousArray())).toEqual(Array.from(ref.contiguousArray()));
          }
        });
      }),
    );
  });

  it('gather inverts scatter of a permutation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (n, m, seed) => {
        tidy(() => {
          const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
          const idx = tensor(Array.from({ length: n * m }, (_, k) => perm[Math.floor(k / m)]!), { shape: [n, m], dtype: 'int64' });
          const src = tensor(Float32Array.from({ length: n * m }, (_, k) => k), { shape: [n, m] });
          const s = torch.scatter(torch.zeros(n, m), 0, idx, src);
          expect(Array.from(torch.gather(s, 0, idx).contiguousArray())).toEqual(Array.from(src.contiguousArray()));
        });
      }),
    );
  });

  it('masked_select equals index with the mask; nonzero lists the same positions', () => {
    tidy(() => {
      const x = tensor(Float32Array.from({ length: 12 }, (_, k) => k - 5), { shape: [3, 4] });
      const m = torch.gt(x, 0);
      expect(Array.from(torch.masked_select(x, m).contiguousArray())).toEqual(Array.from(torch.index(x, [m]).contiguousArray()));
      const nz = torch.nonzero(m);
      const [r, c] = torch.nonzero(m, { as_tuple: true }) as Tensor[];
      expect(Array.from(torch.index(x, [r!, c!]).contiguousArray())).toEqual(Array.from(torch.masked_select(x, m).contiguousArray()));
      expect(nz.shape).toEqual([6, 2]);
    });
  });
});
