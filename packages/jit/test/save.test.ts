import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, functions as T, tensor } from '@torchlet/core';
import { diffGraphs } from '@torchlet/ir';
import { Builder } from 'flatbuffers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORMAT_VERSION, GraphFormatError, READER_VERSION, ScriptModule, TracedModule, isGraphFile, jit, loadTorchScript, readFileInfo, save, trace,
} from '../src/index.js';
import * as fb from '../src/serialize/fb.js';
import { TEST_MODELS, compareValues, decodeFixture, readNpyFile } from './helpers.js';
import { expectClose, flatTensors, modelCase } from './trace.fixtures.js';

/** A copy of `bytes` with the envelope's versions replaced (the model itself unchanged). */
function withVersions(bytes: Uint8Array, formatVersion: number, minReader: number): Uint8Array {
  const { file } = readFileInfo(bytes);
  const model = file.modelArray()!;
  const b = new Builder(model.length + 1024);
  const data = b.createByteVector(model);
  const producer = b.createString('torchlet 99.0.0');
  fb.File.startFile(b);
  fb.File.addFormatVersion(b, formatVersion);
  fb.File.addMinReaderVersion(b, minReader);
  fb.File.addProducer(b, producer);
  fb.File.addCompression(b, file.compression());
  fb.File.addModelSize(b, file.modelSize());
  fb.File.addModel(b, data);
  b.finish(fb.File.endFile(b), 'TLGF');
  return b.asUint8Array().slice();
}

describe('torch.jit.save / torch.jit.load of traced models', () => {
  for (const name of ['mlp', 'cnn', 'attention'] as const) {
    it(`${name}: saved, reloaded and run gives PyTorch's outputs`, async () => {
      const { model, inputs, outputs } = modelCase(name);
      const traced = await trace(model, inputs[0]!);
      const bytes = await save(traced);
      expect(isGraphFile(bytes)).toBe(true);
      const m = await jit.load(bytes);
      expect(m).toBeInstanceOf(TracedModule);
      const loaded = m as TracedModule;
      expect(loaded.version).toBe(FORMAT_VERSION);
      expect(diffGraphs(traced.ir, loaded.ir)).toBeUndefined();
      expect(loaded.graph).toBe(traced.graph);
      expect(loaded.namedParameters().map(([n, t]) => [n, t.shape])).toEqual(traced.namedParameters().map(([n, t]) => [n, t.shape]));
      for (const [k, t] of traced.stateDict()) expectClose(loaded.stateDict().get(k)!, t, 0, k);
      for (let i = 0; i < 2; i++) {
        const got = flatTensors(await loaded.forward(...inputs[i]!));
        got.forEach((g, k) => expectClose(g, outputs[i]![k]!, 1e-5, `${name} input ${i} output ${k}`));
      }
    });
  }

  it('runs loaded eval-mode modules frozen and optimised for inference unless {optimize: false}', async () => {
    const { model, inputs, outputs } = modelCase('mlp');
    const bytes = await save(await trace(model, inputs[0]!));
    const m = (await jit.load(bytes)) as TracedModule;
    const opt = m.optimizedGraph()!;
    expect(opt.allNodes().some((n) => n.kind === 'torchlet::linear_fused')).toBe(true);
    expect(opt.allNodes().some((n) => n.kind === 'prim::GetAttr')).toBe(false);
    expectClose((await m.forward(...inputs[1]!)) as Tensor, outputs[1]![0]!, 1e-5);
    const plain = (await jit.load(bytes, { optimize: false })) as TracedModule;
    expect(plain.optimizedGraph()).toBeUndefined();
    m.train();
    expect(m.optimizedGraph()).toBeUndefined();
  });

  it('weights view the file bytes (no copy) unless the file is compressed', async () => {
    const { model, inputs, outputs } = modelCase('mlp');
    const traced = await trace(model, inputs[0]!);
    const plain = await save(traced);
    const w = ((await jit.load(plain)) as TracedModule).namedParameters()[0]![1];
    expect(w.storage.array!.buffer).toBe(plain.buffer);
    expect((w.storage.array!.byteOffset - plain.byteOffset) % 64).toBe(0);

    const packed = await save(traced, { compress: true });
    expect(readFileInfo(packed).info.compressed).toBe(true);
    const m = (await jit.load(packed)) as TracedModule;
    expect(m.namedParameters()[0]![1].storage.array!.buffer).not.toBe(packed.buffer);
    expectClose((await m.forward(...inputs[1]!)) as Tensor, outputs[1]![0]!, 1e-5);
  });

  it('saves traced functions (output structure included), extra files, and loads from a path', async () => {
    const f = (a: Tensor, b: Tensor): unknown => ({ sum: a.add(b), prod: [a.mul(b), a.neg()] });
    const t = await trace(f, [T.randn([2]), T.randn([2])]);
    const dir = mkdtempSync(join(tmpdir(), 'torchlet-save-'));
    const path = join(dir, 'f.tlgf');
    writeFileSync(path, await save(t, { extraFiles: { 'meta.json': '{"v":1}' } }));
    const m = (await jit.load(path)) as TracedModule;
    expect(m.isFunction).toBe(true);
    expect(new TextDecoder().decode(m.extraFiles.get('meta.json'))).toBe('{"v":1}');
    const a = T.randn([2]), b = T.randn([2]);
    const got = (await m.forward(a, b)) as { sum: Tensor; prod: Tensor[] };
    expect(Object.keys(got)).toEqual(['sum', 'prod']);
    expectClose(got.sum, a.add(b), 0);
    expectClose(got.prod[1]!, a.neg(), 0);
    // resaving the loaded module keeps everything
    const again = (await jit.load(await save(m))) as TracedModule;
    expect(again.isFunction).toBe(true);
    expect(diffGraphs(again.ir, m.ir)).toBeUndefined();
  });

  it('keeps dtypes, views sharing a storage, int64 limits and tensor constants', async () => {
    const base = tensor([1, 2, 3, 4, 5, 6], { dtype: 'float16' });
    const ints = tensor([9007199254740991, -3, 0], { dtype: 'int64' });
    const f = (x: Tensor): unknown => [x.add(base.view([2, 3]).t().sum(0).to('float32')), x.mul(ints.to('float32').sum().mul(0)), ints.clamp(-(2 ** 62), 2 ** 62)];
    const t = await trace(f, [T.ones([2])]);
    const m = (await jit.load(await save(t))) as TracedModule;
    const x = T.randn([2]);
    const got = (await m.forward(x)) as Tensor[], want = f(x) as Tensor[];
    got.forEach((g, i) => expectClose(g, want[i]!, 0, `output ${i}`));
    expect(got[2]!.dtype).toBe('int64');
  });

  it('refuses files that need a newer reader, and damaged files, with clear errors', async () => {
    const t = await trace((x: Tensor) => x.relu(), [T.randn([2])]);
    const bytes = await save(t);
    // a newer writer that old readers can still read: loads
    const compatible = withVersions(bytes, FORMAT_VERSION + 3, READER_VERSION);
    expect(((await jit.load(compatible)) as TracedModule).version).toBe(FORMAT_VERSION + 3);
    const newer = withVersions(bytes, FORMAT_VERSION + 1, READER_VERSION + 1);
    await expect(jit.load(newer)).rejects.toThrow(GraphFormatError);
    await expect(jit.load(newer)).rejects.toThrow(/written by torchlet 99\.0\.0 .* needs a reader of version 2; this torchlet reads format versions up to 1\. Upgrade torchlet/);
    const cut = bytes.slice(0, 40);
    await expect(jit.load(cut)).rejects.toThrow(GraphFormatError);
    const flipped = bytes.slice();
    for (let i = 64; i < flipped.length; i += 7) flipped[i] ^= 0x5a;
    await expect(jit.load(flipped)).rejects.toThrow();
  });

  it('property: random elementwise functions survive save and load', async () => {
    const ops = ['relu', 'exp', 'neg', 'sigmoid', 'abs', 'tanh'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ops), { minLength: 1, maxLength: 6 }), fc.boolean(), async (seq, compress) => {
        const f = (x: Tensor): Tensor => seq.reduce((y, op) => y[op](), x).add(x);
        const t = await trace(f, [T.randn([3])]);
        const m = (await jit.load(await save(t, { compress }))) as TracedModule;
        const x = T.randn([3]);
        expectClose((await m.forward(x)) as Tensor, f(x), 0);
      }),
      { numRuns: 20 },
    );
  });
});

describe('torch.jit.load dispatches on the file magic; torch.jit.save of TorchScript modules', () => {
  it('loads a TorchScript .pt as a ScriptModule and a saved one as a TracedModule with the same outputs', async () => {
    const dir = `${TEST_MODELS}torchscript/samples/`;
    const fx = JSON.parse(readFileSync(`${dir}tiny_traced.io.json`, 'utf8')) as { model: string; inputs: unknown[]; output: unknown };
    const pt = await jit.load(dir + fx.model);
    expect(pt).toBeInstanceOf(ScriptModule);
    const m = (await jit.load(await save(pt))) as TracedModule;
    expect(m).toBeInstanceOf(TracedModule);
    expect(m.typeName).toBe('__torch__.Tiny');
    expect(m.namedParameters().map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
    expect(compareValues(await m.forward(...fx.inputs.map(decodeFixture)), decodeFixture(fx.output), { rtol: 1e-5, atol: 1e-6 })).toEqual([]);
  });

  it('round-trips every TorchScript sample and generated case (methods, defaults, control flow, classes)', async () => {
    let checked = 0;
    for (const sub of ['samples', 'cases']) {
      const dir = `${TEST_MODELS}torchscript/${sub}/`;
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.io.json'))) {
        if (f.startsWith('tiny_dynamic_quant')) continue;
        const fx = JSON.parse(readFileSync(dir + f, 'utf8')) as { model: string; method?: string; inputs?: unknown[]; output?: unknown; calls?: { method: string; inputs: unknown[]; output: unknown }[] };
        const pt = await loadTorchScript(dir + fx.model);
        if (f === 'dtypes_scripted.io.json') {
          // its bfloat16 buffer is a placeholder torchlet cannot hold
          await expect(save(pt)).rejects.toThrow(/UnsupportedTensor\(dtype=torch\.bfloat16/);
          continue;
        }
        const m = await jit.load(await save(pt, { compress: checked % 2 === 1 }));
        const calls = fx.calls ?? [{ method: fx.method!, inputs: fx.inputs!, output: fx.output }];
        for (const c of calls) {
          expect(compareValues(await m.call(c.method, ...c.inputs.map(decodeFixture)), decodeFixture(c.output), { rtol: 1e-5, atol: 1e-6 }), `${f} ${c.method}`).toEqual([]);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('round-trips the PyTorch reference models (outputs within their PyTorch tolerance)', async () => {
    for (const name of readdirSync(`${TEST_MODELS}pytorch`)) {
      const dir = `${TEST_MODELS}pytorch/${name}`;
      const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')) as {
        rtol: number; atol: number; inputs: { kind: string; file?: string; value?: number }[]; outputs: { path: string; file: string }[];
      };
      const pt = await loadTorchScript(`${dir}/model.pt`);
      const m = await jit.load(await save(pt));
      const inputs = meta.inputs.map((i) => (i.kind === 'tensor' ? readNpyFile(`${dir}/${i.file}`) : i.value));
      const out = await m.forward(...inputs);
      for (const o of meta.outputs) {
        let v: unknown = out;
        for (const m2 of o.path.matchAll(/\[(\d+|"[^"]*")\]/g)) {
          const k = m2[1]!;
          v = k.startsWith('"') ? (v as Map<string, unknown>).get(JSON.parse(k) as string) : (v as unknown[])[Number(k)];
        }
        expect(compareValues(v, readNpyFile(`${dir}/${o.file}`), { rtol: meta.rtol, atol: meta.atol }, o.path), `${name} ${o.path}`).toEqual([]);
      }
    }
  });
});
