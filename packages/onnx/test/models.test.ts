import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memory, Tensor } from '@torchlet/core';
import * as torch from '../../torchlet/src/index.js';
import { load } from '../src/index.js';
import { cases, excess, npy } from './helpers.js';

// PyTorch's torch.onnx.export of the shared reference modules (tiny_mlp, small_cnn, lstm_tagger,
// transformer_layer) and of deployable models made by scripts/export-models.py (audio models with
// loops and state, CNN classifiers): torchlet must reproduce PyTorch's outputs.
for (const sub of ['pytorch', 'exported']) {
  describe(`ONNX exports (${sub}) match PyTorch`, () => {
    for (const c of cases(sub)) {
      it(c.name, async () => {
        const s = await load(join(c.dir, 'model.onnx'));
        const feeds: Record<string, Tensor> = {};
        c.meta.inputs.forEach((inp, k) => {
          const name = inp.name ?? `input_${k}`;
          if (inp.file && s.inputNames.includes(name)) feeds[name] = npy(join(c.dir, inp.file));
        });
        expect(Object.keys(feeds).sort()).toEqual([...s.inputNames].sort());
        const out = await s.run(feeds);
        expect(Object.keys(out)).toEqual(s.outputNames);
        c.meta.outputs.forEach((o, k) => {
          const got = out[s.outputNames[k]!] as Tensor;
          expect(got).toBeInstanceOf(Tensor);
          expect(excess(got, npy(join(c.dir, o.file)), c.meta.rtol, c.meta.atol)).toBeLessThanOrEqual(0);
        });
      });
    }
  });
}

describe('onnxruntime agrees', () => {
  // the same exported models through onnxruntime-node, compared with torchlet on the same inputs
  it('on the exported audio models and classifier', async () => {
    const ort = await import('onnxruntime-node');
    for (const c of cases('exported')) {
      const bytes = new Uint8Array(readFileSync(join(c.dir, 'model.onnx')));
      const ref = await ort.InferenceSession.create(bytes);
      const s = await load(bytes);
      const feeds: Record<string, Tensor> = {};
      const ortFeeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
      c.meta.inputs.forEach((inp, k) => {
        const name = inp.name ?? `input_${k}`;
        if (!inp.file || !ref.inputNames.includes(name)) return;
        const t = npy(join(c.dir, inp.file));
        feeds[name] = t;
        const a = t.contiguousArray();
        ortFeeds[name] = t.dtype === 'int64'
          ? new ort.Tensor('int64', BigInt64Array.from(Array.from(a, (v) => BigInt(v))), t.shape)
          : new ort.Tensor('float32', Float32Array.from(a), t.shape);
      });
      const [got, want] = [await s.run(feeds), await ref.run(ortFeeds)];
      for (const name of s.outputNames) {
        const w = want[name]!;
        const wt = Tensor.fromArray(Float32Array.from(w.data as Float32Array), [...w.dims], 'float32');
        expect(excess(got[name] as Tensor, wt, c.meta.rtol, c.meta.atol), `${c.name}/${name}`).toBeLessThanOrEqual(0);
      }
      await ref.release();
    }
  });
});

describe('external data', () => {
  const dir = join(__dirname, '../../../test-models/onnx/fixtures/external');
  it('reads weights next to a model given by path', async () => {
    const s = await load(join(dir, 'model.onnx'));
    const y = (await s.run({ x: npy(join(dir, 'input_0.npy')) })).y as Tensor;
    expect(excess(y, npy(join(dir, 'output_0.npy')), 1e-5, 1e-6)).toBeLessThanOrEqual(0);
  });
  it('takes weights as a name -> bytes map', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
    const weights = new Uint8Array(readFileSync(join(dir, 'weights.bin')));
    const s = await load(bytes, { externalData: { 'weights.bin': weights } });
    const y = (await s.run({ x: npy(join(dir, 'input_0.npy')) })).y as Tensor;
    expect(excess(y, npy(join(dir, 'output_0.npy')), 1e-5, 1e-6)).toBeLessThanOrEqual(0);
    await expect(load(bytes)).rejects.toThrow(/weights\.bin/);
    await expect(load(bytes, { externalData: { 'weights.bin': weights.subarray(0, 10) } })).rejects.toThrow(/past its end/);
  });
});

describe('sessions', () => {
  it('torch.onnx.load runs a model and frees every intermediate tensor', async () => {
    const c = cases('exported').find((x) => x.name === 'streaming_gru')!;
    const s = await torch.onnx.load(join(c.dir, 'model.onnx'));
    const feeds = { input_0: npy(join(c.dir, 'input_0.npy')), input_1: npy(join(c.dir, 'input_1.npy')) };
    const run = async () => {
      const out = await s.run(feeds);
      for (const v of Object.values(out)) (v as Tensor).dispose();
    };
    await run();
    const before = memory().storages;
    await run();
    await run();
    expect(memory().storages).toBe(before);
  });
});
