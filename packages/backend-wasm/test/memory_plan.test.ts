/**
 * The static memory plan: planMemory (packages/ir/src/passes/memory_plan.ts) never overlaps
 * buffers alive at the same time; withMemoryPlan replays a model's allocations from the arena
 * with identical results and without touching what earlier runs returned.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Tensor } from '@torchlet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { planMemory } from '../../ir/src/index.js';
import { load as loadOnnx, readNpy } from '../../onnx/src/index.js';
import { useVariant, wasm } from './helpers.js';

describe('planMemory', () => {
  it('places buffers alive at the same time apart, within [peak live bytes, no reuse]', () => {
    const buf = fc.record({ size: fc.integer({ min: 1, max: 5000 }), first: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 0, max: 15 }) });
    fc.assert(fc.property(fc.array(buf, { maxLength: 40 }), (bs) => {
      const buffers = bs.map((b) => ({ size: b.size, first: b.first, last: b.first + b.len }));
      const p = planMemory(buffers, 64);
      const al = (n: number): number => Math.ceil(n / 64) * 64;
      for (let i = 0; i < buffers.length; i++) {
        const a = buffers[i]!;
        expect(p.offsets[i]! % 64).toBe(0);
        expect(p.offsets[i]! + al(a.size)).toBeLessThanOrEqual(p.arenaBytes);
        for (let j = 0; j < i; j++) {
          const b = buffers[j]!;
          const timeOverlap = a.first <= b.last && b.first <= a.last;
          const spaceOverlap = p.offsets[i]! < p.offsets[j]! + al(b.size) && p.offsets[j]! < p.offsets[i]! + al(a.size);
          expect(timeOverlap && spaceOverlap).toBe(false);
        }
      }
      let peak = 0;
      for (let t = 0; t <= 60; t++) peak = Math.max(peak, buffers.filter((b) => b.first <= t && t <= b.last).reduce((s, b) => s + al(b.size), 0));
      expect(p.arenaBytes).toBeGreaterThanOrEqual(peak);
      expect(p.arenaBytes).toBeLessThanOrEqual(p.naiveBytes);
    }), { numRuns: 200 });
  });
});

describe('withMemoryPlan', () => {
  beforeAll(async () => {
    await useVariant('simd', 2);
    wasm.setMinWork(2048);
  });

  it('replays a model run from the planned arena with the same results', async () => {
    const dir = join(__dirname, '../../../test-models/backend-wasm/mobilenet_v2_small');
    const x = readNpy(readFileSync(join(dir, 'input_0.npy')));
    const s = await loadOnnx(join(dir, 'model.onnx'));
    const run = async (): Promise<Tensor> => (await s.run({ input_0: x })).output_0 as Tensor;
    const ref = (await run()).dataSync();
    const key = {};
    const outs: Tensor[] = [];
    for (let i = 0; i < 4; i++) outs.push(await wasm.withMemoryPlan(key, run));
    const plan = wasm.lastMemoryPlan()!;
    expect(plan.buffers).toBeGreaterThan(10);
    expect(plan.arenaBytes).toBeLessThan(plan.naiveBytes);
    // every run's output is intact after the later runs reused the arena
    for (const o of outs) expect(Array.from(o.dataSync() as Float32Array)).toEqual(Array.from(ref as Float32Array));
    const used = wasm.info().heapBytes!;
    for (let i = 0; i < 3; i++) (await wasm.withMemoryPlan(key, run)).dispose();
    expect(wasm.info().heapBytes!).toBeLessThanOrEqual(used);
  });

  it('drops the plan when a run allocates differently', async () => {
    const key = {};
    const f = (n: number) => () => {
      const a = Tensor.fromArray(new Float32Array(n).fill(1), [n], 'float32');
      const y = a.relu().relu();
      return y.sum();
    };
    const r1 = await wasm.withMemoryPlan(key, f(4096));
    const r2 = await wasm.withMemoryPlan(key, f(8192));
    const r3 = await wasm.withMemoryPlan(key, f(4096));
    expect([r1.item(), r2.item(), r3.item()]).toEqual([4096, 8192, 4096]);
  });
});
