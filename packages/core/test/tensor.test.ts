import { describe, expect, it } from 'vitest';
import { tensor, functions as torch, memory, tidy, OpError } from '../src/index.js';
import { expectClose } from './helpers.js';

describe('Tensor basics', () => {
  it('infers dtypes like PyTorch', () => {
    expect(tensor([1, 2]).dtype).toBe('int64');
    expect(tensor([1.5, 2]).dtype).toBe('float32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('float64');
  });

  it('returns public arrays per dtype', async () => {
    expect(await tensor([1, 2]).data()).toEqual(new BigInt64Array([1n, 2n]));
    expect(await tensor([1, 2], { dtype: 'float16' }).data()).toEqual(new Uint16Array([0x3c00, 0x4000]));
    expect(await tensor([0.5], { dtype: 'float32' }).data()).toEqual(new Float32Array([0.5]));
  });

  it('views share storage', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
    const t = x.transpose(0, 1);
    expect(t.storage).toBe(x.storage);
    expect(t.strides).toEqual([1, 3]);
    expect(t.is_contiguous()).toBe(false);
    x.add_(10);
    expectClose(t, [11, 14, 12, 15, 13, 16], [3, 2]);
    expect(() => t.view(6)).toThrow(/view size is not compatible/);
    expectClose(t.reshape(6), [11, 14, 12, 15, 13, 16], [6]);
  });

  it('promotes types', () => {
    const i = tensor([1, 2, 3]);
    expect(torch.add(i, 1.5).dtype).toBe('float32');
    expect(torch.add(i, tensor([1.5], { dtype: 'float64' })).dtype).toBe('float64');
    expect(torch.add(tensor([1], { dtype: 'int32' }), tensor(2)).dtype).toBe('int32');
    expect(torch.add(tensor([true]), tensor([1], { dtype: 'uint8' })).dtype).toBe('uint8');
    expect(torch.add(tensor([1], { dtype: 'float16' }), tensor(2.5, { dtype: 'float32' })).dtype).toBe('float16');
  });

  it('broadcasts', () => {
    const a = tensor([[1], [2]], { dtype: 'float32' });
    const b = tensor([10, 20, 30], { dtype: 'float32' });
    expectClose(torch.add(a, b), [11, 21, 31, 12, 22, 32], [2, 3]);
    expect(() => torch.add(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/cannot be broadcast/);
  });

  it('reports bad arguments with the schemas it expected', () => {
    expect(() => torch.add(tensor([1]), 'x' as never)).toThrow(OpError);
    expect(() => torch.add(tensor([1]), 'x' as never)).toThrow(/aten::add.Tensor\(Tensor self/);
  });

  it('tidy disposes intermediates', () => {
    const before = memory().storages;
    const kept = tidy(() => {
      const a = tensor([1, 2, 3], { dtype: 'float32' });
      const b = a.add(1);
      return b.mul(2);
    });
    expect(memory().storages).toBe(before + 1);
    expectClose(kept, [4, 6, 8]);
    kept.dispose();
    expect(memory().storages).toBe(before);
  });
});
