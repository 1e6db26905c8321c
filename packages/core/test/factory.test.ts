import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functions as torch, tensor, tidy } from '../src/index.js';
import { expectErrors, runSamples } from './shape_fixtures.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

const OPINFO = ['arange', 'eye', 'full_like', 'linspace', 'logspace', 'new_full', 'new_ones', 'new_zeros', 'ones', 'ones_like', 'tril_indices', 'triu_indices', 'zeros', 'zeros_like'];

describe('factories match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO) it(f, () => expect(runSamples(join(ROOT, 'aten-ops', `${f}.json`))).toEqual([]));
});

describe('factories match PyTorch on dtypes, lengths and rounding (test-models/factory)', () => {
  const dir = join(ROOT, 'factory');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'errors.json').sort()) {
    // values are compared exactly (arange/linspace reproduce the evaluation order and FMA use of
    // PyTorch's AVX2 kernels), except logspace: V8's Math.pow is not correctly rounded like glibc's
    it(f, () => expect(runSamples(join(dir, f), { rtol: f === 'logspace.json' ? 1e-15 : 0, atol: 0 })).toEqual([]));
  }
  it('throws where PyTorch throws, with its message', () => {
    expect(expectErrors(join(dir, 'errors.json'))).toBeGreaterThan(10);
  });
});

describe('factory dtype rules', () => {
  it('infers int64 for integral JS numbers (JS cannot tell 1.0 from 1) and float32 otherwise', () => {
    expect(torch.full([2], 1.0).dtype).toBe('int64');
    expect(torch.full([2], 1.0, { dtype: 'float32' }).dtype).toBe('float32');
    expect(torch.full([2], 1.5).dtype).toBe('float32');
    expect(torch.full([2], true).dtype).toBe('bool');
    expect(torch.arange(5).dtype).toBe('int64');
    expect(torch.arange(0, 1, 0.25).dtype).toBe('float32');
    expect(torch.arange(5, { dtype: 'float64' }).dtype).toBe('float64');
    expect(torch.zeros(2, 3).dtype).toBe('float32');
    expect(torch.scalar_tensor(3).dtype).toBe('float32');
    expect(torch.linspace(0, 10, 3).dtype).toBe('float32');
    expect(torch.randint(5, [2]).dtype).toBe('int64');
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(torch.zeros_like(i).dtype).toBe('int32');
    expect(i.new_zeros([3]).dtype).toBe('int32');
    expect(i.new_full([3], 2.5).hostArray[0]).toBe(2);
  });

  it('new_tensor copies data with self\'s dtype unless given', () => {
    tidy(() => {
      const i = tensor([1, 2], { dtype: 'int32' });
      const n = i.new_tensor([[1.7, 2], [3, 4]]);
      expect(n.dtype).toBe('int32');
      expect(Array.from(n.contiguousArray())).toEqual([1, 2, 3, 4]);
      expect(i.new_tensor([1.5], { dtype: 'float64' }).dtype).toBe('float64');
      const c = i.new_tensor(i);
      expect(c.storage).not.toBe(i.storage);
    });
  });

  it('accepts varargs sizes, size lists and requires_grad=', () => {
    expect(torch.ones(2, 3).shape).toEqual([2, 3]);
    expect(torch.ones([2, 3]).shape).toEqual([2, 3]);
    expect(torch.eye(2, { requires_grad: false }).shape).toEqual([2, 2]);
    expect(torch.empty_strided([2, 3], [1, 2]).strides).toEqual([1, 2]);
  });

  it('arange has ceil((end - start) / step) elements start + i * step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 7 }), (start, len, step) => {
        tidy(() => {
          const end = start + len;
          const r = torch.arange(start, end, step);
          expect(r.shape).toEqual([Math.ceil(len / step)]);
          expect(Array.from(r.contiguousArray())).toEqual(Array.from({ length: r.shape[0]! }, (_, i) => start + i * step));
          const d = torch.arange(end, start, -step);
          expect(d.shape).toEqual([Math.ceil(len / step)]);
        });
      }),
    );
  });
});
