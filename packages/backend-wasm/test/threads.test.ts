/**
 * The worker pool: thread counts changed on the fly give the same results, and a runtime without
 * shared memory runs on one thread with its storages outside the wasm memory.
 */
import { describe, expect, it } from 'vitest';
import { compareWithReference, op, randn, useVariant, wasm } from './helpers.js';

describe('worker pool', () => {
  it('keeps results identical while the thread count changes', async () => {
    await useVariant('simd', 1);
    const x = randn([1, 16, 30, 30], 1), w = randn([24, 16, 3, 3], 2), b = randn([24], 3);
    const ref = op('aten::conv2d', x, w, b, [1, 1], [1, 1], [1, 1], 1).dataSync();
    for (const t of [2, 3, 1, 2, 4, 2]) {
      wasm.setNumThreads(t);
      await wasm.threadsReady();
      expect(wasm.getNumThreads()).toBe(t);
      expect(wasm.info().threads).toBe(t);
      for (let i = 0; i < 3; i++) {
        const y = op('aten::conv2d', x, w, b, [1, 1], [1, 1], [1, 1], 1);
        expect(Array.from(y.dataSync() as Float32Array)).toEqual(Array.from(ref as Float32Array));
        y.dispose();
      }
    }
  });

  it('runs on one thread without shared memory (storages copied in and out)', async () => {
    await wasm.init({ variant: 'simd', shared: false, threads: 4 });
    wasm.setMinWork(0);
    expect(wasm.info().shared).toBe(false);
    expect(wasm.info().threads).toBe(1);
    const a = randn([33, 47], 4), b = randn([47, 29], 5);
    compareWithReference(() => op('aten::mm', a, b), { keys: ['aten::mm'] });
    compareWithReference(() => op('aten::softmax', op('aten::relu', a), 1), { keys: ['aten::relu', 'aten::softmax.int'] });
    await wasm.init({ variant: 'simd', shared: true, threads: 2 });
    expect(wasm.info().shared).toBe(true);
  });
});
