import { describe, expect, it } from 'vitest';
import { callOp, tensor, Tensor } from '../src/index.js';

// Expected values from PyTorch 1.13:
//   x = torch.arange(24.).reshape(3, 4, 2)
//   d, b = torch._pack_padded_sequence(x, torch.tensor([4, 2, 1]), True)
//   p, l = torch._pad_packed_sequence(d, b, True, -1.0, 5)
describe('aten::_pack_padded_sequence / _pad_packed_sequence', () => {
  const x = Tensor.fromArray(Float32Array.from({ length: 24 }, (_, i) => i), [3, 4, 2], 'float32');
  it('pack time-major and pad back like PyTorch', () => {
    const [d, b] = callOp('aten::_pack_padded_sequence', [x, tensor([4, 2, 1], { dtype: 'int64' }), true]) as Tensor[];
    expect(d!.tolist()).toEqual([[0, 1], [8, 9], [16, 17], [2, 3], [10, 11], [4, 5], [6, 7]]);
    expect(b!.dtype).toBe('int64');
    expect(b!.tolist()).toEqual([3, 2, 1, 1]);
    const [p, l] = callOp('aten::_pad_packed_sequence', [d, b, true, -1.0, 5]) as Tensor[];
    expect(p!.shape).toEqual([3, 5, 2]);
    expect(l!.tolist()).toEqual([4, 2, 1]);
    expect((p!.tolist() as number[][][]).map((r) => r.map((v) => v[0]))).toEqual([[0, 2, 4, 6, -1], [8, 10, -1, -1, -1], [16, -1, -1, -1, -1]]);
    // time-major (batch_first=False): [T, B, ...]
    const [q] = callOp('aten::_pad_packed_sequence', [d, b, false, 0, 4]) as Tensor[];
    expect(q!.shape).toEqual([4, 3, 2]);
  });
  it('rejects unsorted and empty lengths with PyTorch messages', () => {
    expect(() => callOp('aten::_pack_padded_sequence', [x, tensor([2, 4, 1], { dtype: 'int64' }), true])).toThrow(/must be sorted in decreasing order/);
    expect(() => callOp('aten::_pack_padded_sequence', [x, tensor([4, 2, 0], { dtype: 'int64' }), true])).toThrow(/has to be greater than 0/);
  });
});
