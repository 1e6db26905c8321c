/**
 * End to end: TorchScript models from test-models/pytorch loaded with torch.jit.load, moved with
 * ScriptModule.to(device), run on every device and compared with PyTorch's saved outputs. On
 * webgpu every op must run on the GPU (no kernel missing: the dispatcher would throw).
 */
import { readFileSync } from 'node:fs';
import { Tensor, memory, setDispatchObserver } from '@torchlet/core';
import { describe, expect, it } from 'vitest';
import { jit } from '../../jit/src/index.js';
import { devices, webgpu } from './helpers.js';

const MODELS = new URL('../../../test-models/pytorch/', import.meta.url).pathname;

/** A little-endian float32 .npy file as a CPU tensor. */
function readNpy(path: string): Tensor {
  const b = new Uint8Array(readFileSync(path));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const major = b[6]!;
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(hstart, hstart + hlen));
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True")) throw new Error(`${path}: expected C-order float32`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const n = shape.reduce((x, y) => x * y, 1);
  const data = new Float32Array(b.slice(hstart + hlen, hstart + hlen + 4 * n).buffer);
  return Tensor.fromArray(data, shape, 'float32');
}

interface Meta {
  rtol: number;
  atol: number;
  inputs: { file: string }[];
  outputs: { file: string }[];
}

const list = await devices();

describe.each(list)('reference models on $device', ({ device, available, reason }) => {
  for (const name of ['small_cnn', 'tiny_mlp']) {
    it.skipIf(!available)(`${name} matches PyTorch${available ? '' : ` (skipped: ${reason})`}`, async () => {
      const dir = `${MODELS}${name}`;
      const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')) as Meta;
      const m = (await jit.load(`${dir}/model.pt`)).to(device);
      const inputs = meta.inputs.map((i) => readNpy(`${dir}/${i.file}`).to(device));
      const keys = new Set<string>();
      setDispatchObserver({ onOp: (ov) => keys.add(ov.key) });
      let out: Tensor;
      try {
        out = (await m.forward(...inputs)) as Tensor;
      } finally {
        setDispatchObserver(undefined);
      }
      expect(out.device).toBe(device);
      const host = await out.to('cpu');
      const want = readNpy(`${dir}/${meta.outputs[0]!.file}`);
      expect(host.shape).toEqual(want.shape);
      const g = host.dataSync(), w = want.dataSync();
      for (let i = 0; i < w.length; i++) {
        const x = Number(g[i]), y = Number(w[i]);
        if (!(Math.abs(x - y) <= meta.atol + meta.rtol * Math.abs(y))) expect.fail(`${name} on ${device}: element ${i}: got ${x}, want ${y}`);
      }
      if (device === 'webgpu') {
        const be = (await webgpu()).be!;
        expect(be.counters.dispatches).toBeGreaterThan(0);
        expect(keys.size).toBeGreaterThan(0);
      }
      // a second run frees every intermediate: only the output stays
      host.dispose();
      out.dispose();
      const m0 = memory().storages;
      const again = (await m.forward(...inputs)) as Tensor;
      expect(memory().storages).toBe(m0 + 1);
      again.dispose();
    });
  }
});
