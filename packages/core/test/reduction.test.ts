import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, runSampleFile } from '../../conformance/src/aten.js';
import { callFunction, functions as torch, nnFunctional as F, tensor, Tensor, tidy, type DType } from '../src/index.js';
import { expectClose } from './helpers.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

/** The OpInfo sample files (copied from PyTorch's OpInfo database) of the reduction/sorting ops. */
const OPINFO_FILES = [
  'sum', 'mean', 'nanmean', 'nansum', 'prod', 'amax', 'amin', 'aminmax', 'max.binary', 'max.reduction_no_dim', 'max.reduction_with_dim',
  'min.binary', 'min.reduction_no_dim', 'min.reduction_with_dim', 'argmax', 'argmin', 'any', 'all', 'count_nonzero', 'cumsum', 'cumprod',
  'cummax', 'cummin', 'logcumsumexp', 'softmax', 'softmax.with_dtype', 'log_softmax', 'log_softmax.dtype', 'nn.functional.softmin',
  'nn.functional.softmin.with_dtype', 'logsumexp', 'var', 'std', 'var_mean', 'std_mean', 'norm', 'norm.fro', 'norm.inf', 'norm.nuc',
  'median', 'nanmedian', 'mode', 'kthvalue', 'topk', 'sort', 'argsort', 'msort',
];

describe('reductions match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO_FILES) {
    it(f, () => {
      const r = runSampleFile(join(ROOT, 'aten-ops', `${f}.json`));
      expect(r.errors).toEqual([]);
      expect(r.passed).toBe(r.total);
    });
  }
});

describe('reductions match PyTorch on ties, NaNs, dtypes and multi-dim cases (test-models/reduction)', () => {
  const dir = join(ROOT, 'reduction');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    it(f, () => {
      const r = runSampleFile(join(dir, f));
      expect(r.errors.slice(0, 3)).toEqual([]);
      expect(r.passed).toBe(r.total);
    });
  }

  it('throws where PyTorch throws', () => {
    interface Err { op: string; input: unknown; args: unknown[]; kwargs: Record<string, unknown>; error: string }
    const errs = JSON.parse(readFileSync(join(dir, 'errors', 'errors.json'), 'utf8')) as Err[];
    // torchlet computes float16 where PyTorch 1.13's CPU kernels lack a Half version
    const expected = errs.filter((e) => !/not implemented for 'Half'/.test(e.error));
    expect(expected.length).toBeGreaterThan(10);
    for (const e of expected) {
      tidy(() => {
        const kw = decode(e.kwargs) as Record<string, unknown>;
        const call = [decode(e.input), ...(decode(e.args) as unknown[]), ...(Object.keys(kw).length ? [kw] : [])];
        const variant = e.op.startsWith('nn.functional.') ? 'F' : 'function';
        const run = (): unknown => callFunction(e.op.replace('nn.functional.', ''), call, variant);
        // torchlet words out-of-range dims its own way (shape.ts); every other message is PyTorch's
        if (/^Dimension out of range/.test(e.error)) expect(run, e.op).toThrow(/out of range/);
        else expect(run, e.op).toThrow(e.error);
      });
    }
  });
});

function randTensor(shape: number[], seed: number, dtype: DType = 'float32'): Tensor {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = dtype === 'float32' || dtype === 'float64' ? (s / 2 ** 32) * 8 - 4 : (s >>> 24) % 5;
  }
  return tensor(a, { shape, dtype });
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

describe('reduction properties', () => {
  it('sum over several dims equals repeated single-dim sums', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) =>
        tidy(() => {
          const x = randTensor(shape, seed, 'int64');
          const dims = shape.map((_, i) => i).filter((i) => (seed >> i) & 1);
          let y: Tensor = x;
          for (const d of [...dims].reverse()) y = torch.sum(y, d);
          const z = torch.sum(x, dims.length ? dims : null);
          expect(z.tolist()).toEqual(dims.length ? y.tolist() : torch.sum(x).tolist());
        }),
      ),
      { numRuns: 60 },
    );
  });

  it('sort gives a sorted permutation, topk its prefix, argsort its indices', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(NaN), fc.constant(Infinity)), { minLength: 1, maxLength: 80 }), fc.boolean(), (vals, desc) =>
        tidy(() => {
          const x = tensor(new Float32Array(vals));
          const [v, i] = torch.sort(x, 0, desc) as [Tensor, Tensor];
          const sv = Array.from(v.dataSync() as Float32Array), si = Array.from(i.dataSync() as BigInt64Array, Number);
          expect([...si].sort((a, b) => a - b)).toEqual(vals.map((_, k) => k));
          si.forEach((k, j) => expect(Object.is(sv[j], Math.fround(vals[k]!)) || (Number.isNaN(sv[j]) && Number.isNaN(vals[k]))).toBe(true));
          for (let j = 1; j < sv.length; j++) {
            const a = sv[j - 1]!, b = sv[j]!;
            const ok = desc ? !(Number.isNaN(b) && !Number.isNaN(a)) && (Number.isNaN(a) || !(b > a)) : !(Number.isNaN(a) && !Number.isNaN(b)) && (Number.isNaN(b) || !(a > b));
            expect(ok, `order at ${j}: ${a}, ${b}`).toBe(true);
          }
          const st = torch.sort(x, { dim: 0, descending: desc, stable: true }) as Tensor[];
          expect(torch.argsort(x, { dim: 0, descending: desc, stable: true }).tolist()).toEqual(st[1]!.tolist());
          const k = Math.max(1, vals.length >> 1);
          const [tv] = torch.topk(x, k, 0, desc) as Tensor[];
          expectClose(tv!, sv.slice(0, k));
        }),
      ),
      { numRuns: 100 },
    );
  });

  it('softmax rows sum to one and log_softmax is its log', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) =>
        tidy(() => {
          const x = randTensor(shape, seed);
          const d = (seed >>> 0) % shape.length;
          const s = torch.softmax(x, d);
          expectClose(torch.sum(s, d), new Array(torch.sum(s, d).numel()).fill(1), undefined, 1e-5, 1e-6);
          expectClose(torch.log_softmax(x, d), Array.from(s.dataSync() as Float32Array, Math.log), undefined, 1e-4, 1e-5);
        }),
      ),
      { numRuns: 50 },
    );
  });

  it('gives the same results on strided views as on contiguous copies', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.integer(), (shape, seed) =>
        tidy(() => {
          const base = randTensor(shape, seed);
          const x = base.transpose(0, shape.length - 1);
          const c = x.contiguous();
          const dims = [0, x.ndim - 1];
          const calls: [string, unknown[]][] = [
            ['sum', [dims]], ['mean', [[1]]], ['amax', [dims, true]], ['argmax', [1]], ['logsumexp', [[0]]], ['var', [[x.ndim - 1]]],
            ['softmax', [0]], ['cumsum', [x.ndim - 1]], ['sort', [0]], ['topk', [1, 0]], ['median', [0]], ['prod', [1]], ['norm', [3, [1]]],
            ['max', [x.ndim - 1]], ['cummax', [0]], ['kthvalue', [1, 0]], ['mode', [0]], ['count_nonzero', [dims]], ['any', [0]],
          ];
          for (const [op, args] of calls) {
            const a = callFunction(op, [x, ...args]) as Tensor | Tensor[];
            const b = callFunction(op, [c, ...args]) as Tensor | Tensor[];
            const as = Array.isArray(a) ? a : [a], bs = Array.isArray(b) ? b : [b];
            as.forEach((t, k) => expect(t.tolist(), op).toEqual(bs[k]!.tolist()));
          }
        }),
      ),
      { numRuns: 40 },
    );
  });
});

describe('reduction rules', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const f = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });

  it('follows PyTorch dtype rules', () => {
    expect(torch.sum(x).dtype).toBe('int64');
    expect(torch.sum(tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' })).dtype).toBe('int64');
    expect(torch.sum(tensor([true, true])).item()).toBe(2);
    expect(torch.sum(f, { dtype: 'float64' }).dtype).toBe('float64');
    expect(torch.prod(tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'uint8' }), 1).dtype).toBe('int64');
    expect(torch.argmax(f).dtype).toBe('int64');
    expect(torch.any(tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'uint8' })).dtype).toBe('uint8');
    expect(torch.all(x).dtype).toBe('bool');
    expect(torch.cumsum(tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int8' }), 0).dtype).toBe('int64');
    expect(torch.mean(x, { dtype: 'float32' }).item()).toBeCloseTo(3.5);
    expect(torch.logsumexp(x, [1]).dtype).toBe('float32');
    expect(torch.softmax(x, 1, { dtype: 'float64' }).dtype).toBe('float64');
    expect(f.var().dtype).toBe('float32');
  });

  it('raises where PyTorch raises', () => {
    expect(() => torch.mean(x)).toThrow(/mean\(\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long/);
    expect(() => torch.mean(f, { dtype: 'int32' })).toThrow(/Optional dtype must be either a floating point/);
    expect(() => torch.nanmean(x)).toThrow(/expected input to have floating point dtype but got Long/);
    expect(() => torch.var(x)).toThrow(/std and var only support floating point/);
    expect(() => torch.softmax(x, 1)).toThrow(/"softmax_lastdim_kernel_impl" not implemented for 'Long'/);
    expect(() => torch.max(torch.zeros([0]))).toThrow(/Expected reduction dim to be specified for input.numel\(\) == 0/);
    expect(() => torch.max(torch.zeros([0, 3]), 0)).toThrow(/max\(\): Expected reduction dim 0 to have non-zero size/);
    expect(() => torch.amax(torch.zeros([3, 0]), [0, 1])).toThrow(/amax\(\): Expected reduction dim 1 to have non-zero size/);
    expect(() => torch.argmax(torch.zeros([0]))).toThrow(/argmax\(\): Expected reduction dim to be specified/);
    expect(() => torch.sum(f, [0, -2])).toThrow(/dim 0 appears multiple times in the list of dims/);
    expect(() => torch.sum(f, 2)).toThrow(/out of range/);
    expect(() => torch.topk(f, 4)).toThrow(/selected index k out of range/);
    expect(() => torch.kthvalue(f, 0)).toThrow(/kthvalue\(\): selected number k out of range/);
    expect(() => torch.norm(x)).toThrow(/norm\(\): input dtype should be either floating point or complex. Got Long instead/);
    expect(() => torch.norm(f, 'bad')).toThrow(/only valid string values are 'fro' and 'nuc', found bad/);
    expect(() => torch.cumsum(x, 0, { dtype: 'bool' })).toThrow(/"cumsum_out_cpu" not implemented for 'Bool'/);
  });

  it('handles empty and 0-d inputs', () => {
    expect(torch.sum(torch.zeros([0, 3]), 0).tolist()).toEqual([0, 0, 0]);
    expect(torch.prod(torch.zeros([0])).item()).toBe(1);
    expect(Number.isNaN(torch.mean(torch.zeros([0])).item() as number)).toBe(true);
    expect(torch.all(torch.zeros([0])).item()).toBe(true);
    expect(torch.any(torch.zeros([0])).item()).toBe(false);
    expect(torch.logsumexp(torch.zeros([0]), [0]).item()).toBe(-Infinity);
    const s = tensor(2.5);
    expect((torch.max(s, 0) as Tensor[]).map((t) => t.tolist())).toEqual([2.5, 0]);
    expect(torch.argmax(s, 0, true).shape).toEqual([]);
    expect((torch.aminmax(s, { dim: 0, keepdim: true }) as Tensor[])[0]!.shape).toEqual([1]);
    expect(torch.argmax(f, { keepdim: true }).shape).toEqual([1, 1]);
    expect(torch.softmax(s, 0).item()).toBe(1);
  });

  it('propagates NaN like PyTorch', () => {
    const n = tensor([1, NaN, 3, NaN], { dtype: 'float32' });
    expect(Number.isNaN(torch.amax(n).item() as number)).toBe(true);
    expect((torch.max(n, 0) as Tensor[])[1]!.item()).toBe(1);
    expect(torch.argmin(n).item()).toBe(1);
    expect((torch.sort(n) as Tensor[])[1]!.tolist()).toEqual([0, 2, 1, 3]);
    expect(torch.nansum(n).item()).toBe(4);
    expect(torch.nanmean(n).item()).toBe(2);
    expect((torch.nanmedian(n, 0) as Tensor[]).map((t) => t.item())).toEqual([1, 0]);
  });

  it('supports the Python-level F.softmax / F.log_softmax / F.softmin and torch.norm signatures', () => {
    const y = randTensor([2, 3, 4, 2], 7);
    expectClose(F.softmax(y), Array.from(torch.softmax(y, 1).dataSync() as Float32Array));
    expectClose(F.log_softmax(y, { dim: -1, dtype: 'float64' }), Array.from(torch.log_softmax(y, -1, 'float64').dataSync() as Float64Array));
    expectClose(F.softmin(y, 2), Array.from(torch.softmax(torch.neg(y), 2).dataSync() as Float32Array));
    expectClose(torch.norm(f, 'fro', [0, 1], true), [Math.sqrt(91)], [1, 1]);
    expectClose(torch.norm(f, { dim: 1 }), [Math.sqrt(14), Math.sqrt(77)]);
    expectClose(f.norm(1), [21]);
    expectClose(torch.norm(f, 'nuc'), [10.280901636369208], [], 1e-6);
  });

  it('binds method, keyword and in-place forms', () => {
    const y = tensor([[3, 1, 2], [0, 5, 5]], { dtype: 'float32' });
    expect((y.max({ dim: 1, keepdim: true }) as Tensor[]).map((t) => t.tolist())).toEqual([[[3], [5]], [[0], [1]]]);
    expect(y.sum(1, { keepdim: true }).tolist()).toEqual([[6], [10]]);
    expect((y.topk(2, { largest: false }) as Tensor[])[1]!.tolist()).toEqual([[1, 2], [0, 1]]);
    expect((y.sort({ descending: true }) as Tensor[])[1]!.tolist()).toEqual([[0, 2, 1], [1, 2, 0]]);
    expectClose(y.var(1, { unbiased: false }), [2 / 3, 50 / 9]);
    expectClose(F.softmax({ input: y, dim: 1 } as never), Array.from(torch.softmax(y, 1).dataSync() as Float32Array));
    const z = tensor([1, 2, 3, 4]);
    expect(z.cumsum_(0)).toBe(z);
    expect(z.tolist()).toEqual([1, 3, 6, 10]);
    expect(torch.max(y, tensor([2], { dtype: 'float32' })).tolist()).toEqual([[3, 2, 2], [2, 5, 5]]);
  });

  it('is fast enough for big tensors', () => {
    const big = randTensor([1000, 1000], 3);
    let t = performance.now();
    torch.sum(big);
    torch.sum(big, 0);
    torch.amax(big, 1);
    const sumMs = performance.now() - t;
    const logits = randTensor([256, 1000], 5);
    t = performance.now();
    torch.softmax(logits, 1);
    torch.log_softmax(logits, 1);
    torch.softmax(logits, 0);
    const softmaxMs = performance.now() - t;
    expect(sumMs).toBeLessThan(500);
    expect(softmaxMs).toBeLessThan(500);
    big.dispose();
    logits.dispose();
  });
});
