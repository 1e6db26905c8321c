/**
 * The webgpu device's contracts: storages refcounted into a bucketed pool whose releases wait for
 * the next submit, dispatches batched into one command buffer, awaitable reads, clear errors for
 * missing kernels and unsupported dtypes, factories and decompositions on the device, and the
 * WGSL debug print. Behaviour shared by every device runs through describe.each.
 */
import { Tensor, callOp, memory, tensor } from '@torchlet/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bucketSize } from '../src/pool.js';
import { gpuBufferOf } from '../src/backend.js';
import { devices, webgpu } from './helpers.js';

const list = await devices();
const { be } = await webgpu();

describe('bucketSize', () => {
  it('rounds to 16 bytes, then to quarter steps of powers of two (at most 25% waste)', () => {
    expect(bucketSize(0)).toBe(16);
    expect(bucketSize(17)).toBe(32);
    expect(bucketSize(256)).toBe(256);
    expect(bucketSize(257)).toBe(320);
    for (let b = 1; b < 1 << 22; b = Math.ceil(b * 1.37) + 3) {
      const s = bucketSize(b);
      expect(s).toBeGreaterThanOrEqual(b);
      expect(s).toBeLessThanOrEqual(Math.max(16, b * 1.25 + 16));
      expect(s % 16).toBe(0);
    }
  });
});

describe.each(list)('tensors on $device', ({ device, available }) => {
  const onDev = (t: Tensor): Tensor => t.to(device);
  it.skipIf(!available)('round-trip values and dtypes through await t.to(cpu)', async () => {
    for (const [vals, dt] of [[[1.5, -2, 3e-8, 1e30], 'float32'], [[1, -2, 2147483647], 'int64'], [[1, 0, 1], 'bool'], [[7, -8], 'int32']] as const) {
      const t = tensor([...vals], { dtype: dt });
      const d = onDev(t);
      expect(d.device).toBe(device);
      expect(d.dtype).toBe(dt);
      const back = await d.to('cpu');
      expect(back.device).toBe('cpu');
      expect(back.tolist()).toEqual(t.tolist());
      expect([...(await d.data())]).toEqual([...t.dataSync()]);
    }
  });
  it.skipIf(!available)('to(cpu, dtype) converts after reading back', async () => {
    const d = onDev(tensor([1.75, -2.5, 0]));
    const c = await d.to('cpu', 'float64');
    expect(c.dtype).toBe('float64');
    expect(c.tolist()).toEqual([1.75, -2.5, 0]);
    const i = await d.to({ device: 'cpu', dtype: 'int64' });
    expect(i.tolist()).toEqual([1, -2, 0]);
  });
  it.skipIf(!available)('views share storage; in-place ops write through them', async () => {
    const x = onDev(tensor([[1, 2, 3], [4, 5, 6]]).to('float32'));
    const v = x.transpose(0, 1);
    expect(v.storage).toBe(x.storage);
    v.add_(10);
    expect((await x.to('cpu')).tolist()).toEqual([[11, 12, 13], [14, 15, 16]]);
    const row = x.select(0, 1);
    row.mul_(2);
    row.relu_();
    expect((await x.to('cpu')).tolist()).toEqual([[11, 12, 13], [28, 30, 32]]);
    x.fill_(3);
    expect((await v.contiguous().to('cpu')).tolist()).toEqual([[3, 3], [3, 3], [3, 3]]);
  });
  it.skipIf(!available)('decompositions run on the device (reshape of a transposed view, layer_norm, flatten, dropout)', async () => {
    const x = onDev(tensor([[1, 2, 3], [4, 5, 6]]).to('float32'));
    const r = x.t().reshape([6]);
    expect(r.device).toBe(device);
    expect((await r.to('cpu')).tolist()).toEqual([1, 4, 2, 5, 3, 6]);
    const ln = callOp('aten::layer_norm', [x, [3]]) as Tensor;
    expect(ln.device).toBe(device);
    const l = (await ln.to('cpu')).tolist() as number[][];
    expect(l[0]![0]).toBeCloseTo(-1.2247, 3);
    const f = callOp('aten::flatten', [callOp('aten::dropout', [x, 0.5, false])]) as Tensor;
    expect((await f.to('cpu')).tolist()).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it.skipIf(!available)('factories with device= create tensors on the device', async () => {
    const z = callOp('aten::zeros', [[2, 3]], { device }) as Tensor;
    expect(z.device).toBe(device);
    const o = callOp('aten::ones_like', [z]) as Tensor;
    expect(o.device).toBe(device);
    expect((await o.to('cpu')).tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });
});

describe.skipIf(!be)('webgpu device internals', () => {
  afterEach(() => {
    delete process.env.TORCHLET_DEBUG;
    vi.restoreAllMocks();
  });

  it('torch.backends.webgpu.init() returns the initialised backend', async () => {
    const torch = await import('../../torchlet/src/index.js');
    expect(await torch.backends.webgpu.init()).toBe(be);
    expect(torch.backends.webgpu.backend()).toBe(be);
    expect(await torch.backends.webgpu.isAvailable()).toBe(true);
  });

  it('batches dispatches into one submit until a read', async () => {
    const x = tensor([1, 2, 3, 4]).to('float32').to('webgpu');
    await x.data();
    const s0 = be!.counters.submits, d0 = be!.counters.dispatches;
    let y = x;
    for (let i = 0; i < 10; i++) y = callOp('aten::add', [y, 1]) as Tensor;
    expect(be!.counters.dispatches - d0).toBe(10);
    expect(be!.counters.submits).toBe(s0);
    expect([...(await y.data())]).toEqual([11, 12, 13, 14]);
    expect(be!.counters.submits).toBe(s0 + 1);
  });

  it('defers buffer reuse until the commands that used the buffer were submitted', async () => {
    await be!.sync();
    const pool = be!.storagePool;
    const a = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]).to('float32').to('webgpu');
    const b = callOp('aten::neg', [a]) as Tensor;
    const bufA = gpuBufferOf(a);
    a.dispose();
    expect(pool.stats().pending).toBe(1);
    // same bucket, before the submit: must be a different buffer
    const c = callOp('aten::relu', [b]) as Tensor;
    expect(gpuBufferOf(c)).not.toBe(bufA);
    expect([...(await c.data())]).toEqual(new Array(13).fill(0));
    expect(pool.stats().pending).toBe(0);
    // after the submit the released buffer is reused
    const d = callOp('aten::abs', [b]) as Tensor;
    const e = callOp('aten::abs', [b]) as Tensor;
    const reusedA = [d, e].some((t) => gpuBufferOf(t) === bufA);
    expect(reusedA).toBe(true);
    expect([...(await d.data())]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const t of [b, c, d, e]) t.dispose();
  });

  it('releases a storage once, with its last view; memory() and the pool agree', async () => {
    await be!.sync();
    const m0 = memory().storages, live0 = be!.storagePool.stats().live;
    const h = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    const x = h.to('webgpu');
    h.dispose();
    const v = x.t();
    const w = callOp('aten::mul', [v, v]) as Tensor;
    expect(be!.storagePool.stats().live).toBe(live0 + 2);
    expect(memory().storages).toBe(m0 + 2);
    x.dispose();
    expect(be!.storagePool.stats().live).toBe(live0 + 2);
    const back = await w.to('cpu');
    expect(back.tolist()).toEqual([[1, 9], [4, 16]]);
    v.dispose();
    w.dispose();
    back.dispose();
    expect(be!.storagePool.stats().live).toBe(live0);
    expect(memory().storages).toBe(m0);
  });

  it('the awaitable CPU tensor has no values until the read completes', async () => {
    const x = tensor([1, 2, 3]).to('float32').to('webgpu');
    const pending = x.to('cpu');
    expect(() => pending.tolist()).toThrow(/no host memory/);
    const c = await pending;
    expect(c).toBe(pending);
    expect(c.tolist()).toEqual([1, 2, 3]);
    expect('then' in c).toBe(false);
  });

  it('ops without a webgpu kernel or decomposition fail clearly', () => {
    const x = tensor([3, 1, 2]).to('float32').to('webgpu');
    expect(() => callOp('aten::topk', [x, 2])).toThrow("no webgpu kernel for aten::topk; move the tensor to the CPU with await t.to('cpu')");
    expect(() => callOp('aten::sort', [x])).toThrow(/no webgpu kernel for aten::sort/);
    expect(() => callOp('aten::nonzero', [x])).toThrow(/no webgpu kernel for aten::nonzero/);
  });

  it('unsupported dtypes fail clearly; int64 outside 32 bits is refused', () => {
    expect(() => tensor([1, 2], { dtype: 'float64' }).to('webgpu')).toThrow(/float32, integers \(as 32-bit\) and bool; got float64/);
    expect(() => tensor([1], { dtype: 'float16' }).to('webgpu')).toThrow(/got float16/);
    expect(() => tensor([2 ** 40], { dtype: 'int64' }).to('webgpu')).toThrow(/out of range/);
    const x = tensor([1, 2]).to('float32').to('webgpu');
    expect(() => callOp('aten::_to_copy', [x], { dtype: 'float64' })).toThrow(/got float64/);
    const huge = be!.gpu.limits.maxStorageBufferBindingSize / 4 + 1;
    expect(() => callOp('aten::zeros', [[huge]], { device: 'webgpu' })).toThrow(/exceeds this device's maxStorageBufferBindingSize/);
  });

  it('a CPU tensor of more than one element cannot mix with webgpu tensors', () => {
    const x = tensor([1, 2]).to('float32').to('webgpu');
    expect(() => callOp('aten::add', [x, tensor([1, 2]).to('float32')])).toThrow(/same device/);
    // 0-d CPU tensors are scalars
    const y = callOp('aten::add', [x, tensor(5)]) as Tensor;
    expect(y.device).toBe('webgpu');
  });

  it('TORCHLET_DEBUG=webgpu prints the generated WGSL once per pipeline', async () => {
    process.env.TORCHLET_DEBUG = 'webgpu';
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    // a 5-d permuted view keeps rank 5 after coalescing: a pipeline no other test compiles
    const x = (callOp('aten::ones', [[2, 1, 2, 1, 2]]) as Tensor).to('webgpu');
    const v = callOp('aten::permute', [x, [4, 2, 0, 1, 3]]) as Tensor;
    callOp('aten::expm1', [callOp('aten::contiguous', [v])]);
    const y = callOp('aten::atan', [v]) as Tensor;
    callOp('aten::atan', [v]);
    await y.data();
    const prints = log.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('ew_atan'));
    expect(prints.length).toBe(1);
    expect(prints[0]).toMatch(/@compute @workgroup_size\(64\)/);
    // the permuted view coalesces to rank 3: index math unrolled over three shape uniforms
    expect(prints[0]).toMatch(/uniforms\.shape\[0\]\[2\]/);
    expect(prints[0]).toMatch(/var<storage, read> x0: array<f32>/);
  });
});
