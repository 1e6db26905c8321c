import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callOp, Tensor, tensor, type DType } from '@torchlet/core';
import { runSampleFile } from '../../conformance/src/aten.js';
import { excess, MODELS } from './helpers.js';

// The ops ONNX import added to the registry (packages/core/src/ops/onnx_support), against
// PyTorch / torchvision (fixtures from scripts/make-support-fixtures.py and OpInfo samples).
interface T { shape: number[]; dtype: DType; data: number[] }
const cases = JSON.parse(readFileSync(join(MODELS, 'fixtures/support_ops.json'), 'utf8')) as { op: string; args: unknown[]; out: T }[];
const toTensor = (v: unknown) => (v && typeof v === 'object' && 'shape' in v ? tensor((v as T).data, { dtype: (v as T).dtype }).reshape((v as T).shape) : v);

describe('onnx_support ops match PyTorch', () => {
  cases.forEach((c, i) => {
    it(`${c.op} #${i}`, () => {
      const got = callOp(c.op, c.args.map(toTensor)) as Tensor;
      const want = toTensor(c.out) as Tensor;
      expect(got.dtype).toBe(want.dtype);
      expect(excess(got, want, 1e-5, 1e-5)).toBeLessThanOrEqual(0);
    });
  });
  it('F.grid_sample OpInfo samples (bilinear and nearest, every padding mode)', () => {
    const r = runSampleFile(join(MODELS, '../aten-ops/nn.functional.grid_sample.json'));
    expect(r.errors).toEqual([]);
    expect(r.passed).toBe(r.total);
  });
  it('errors name the problem', () => {
    expect(() => callOp('aten::linalg_det', [tensor([[1, 2, 3]], { dtype: 'float32' })])).toThrow(/square matrices/);
    expect(() => callOp('torchvision::nms', [tensor([[0, 0, 1]], { dtype: 'float32' }), tensor([1], { dtype: 'float32' }), 0.5])).toThrow(/4 columns/);
    expect(() => callOp('torchvision::roi_align', [Tensor.empty([1, 1, 4, 4], 'float32'), tensor([[3, 0, 0, 1, 1]], { dtype: 'float32' }), 1, 2, 2, 0, true])).toThrow(/batch index 3/);
  });
});
