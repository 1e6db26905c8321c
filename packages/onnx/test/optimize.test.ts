import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@torchlet/core';
import { load } from '../src/index.js';
import { cases, excess, npy } from './helpers.js';

// torch.onnx.load runs optimizeForInference on the imported graph (batch norms folded into the
// convolutions, conv/linear epilogues fused) unless { optimize: false }: both must match PyTorch.
describe('ONNX sessions optimise the imported graph', () => {
  const c = cases('pytorch').find((x) => x.name === 'small_cnn')!;
  const x = npy(join(c.dir, 'input_0.npy'));
  const want = npy(join(c.dir, 'output_0.npy'));
  const count = (kinds: string[], k: string) => kinds.filter((y) => y === k).length;

  it('fuses by default and still matches PyTorch', async () => {
    const s = await load(join(c.dir, 'model.onnx'));
    const kinds = s.graph.allNodes().map((n) => n.kind);
    expect(count(kinds, 'torchlet::conv2d_fused')).toBe(2);
    expect(kinds.some((k) => k.includes('batch_norm'))).toBe(false);
    const y = (await s.run({ input_0: x })).output_0 as Tensor;
    expect(excess(y, want, c.meta.rtol, c.meta.atol)).toBeLessThanOrEqual(0);
  });

  it('runs the graph as imported with { optimize: false }', async () => {
    const s = await load(join(c.dir, 'model.onnx'), { optimize: false });
    const kinds = s.graph.allNodes().map((n) => n.kind);
    expect(count(kinds, 'torchlet::conv2d_fused')).toBe(0);
    const y = (await s.run({ input_0: x })).output_0 as Tensor;
    expect(excess(y, want, c.meta.rtol, c.meta.atol)).toBeLessThanOrEqual(0);
  });
});
