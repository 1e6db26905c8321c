// temporary: per-run speed of ONNX sessions (small CNN etc.)
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { load, readNpy } from '../src/index.js';
import type { Tensor } from '@torchlet/core';
const root = new URL('../../../test-models/onnx', import.meta.url).pathname;
const npy = (p: string) => readNpy(new Uint8Array(readFileSync(p)));
for (const name of ['pytorch/small_cnn', 'pytorch/tiny_mlp', 'exported/small_classifier', 'exported/streaming_gru', 'pytorch/transformer_layer']) {
  const dir = join(root, name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const s = await load(join(dir, 'model.onnx'));
  const feeds: Record<string, Tensor> = {};
  meta.inputs.forEach((inp: { name?: string; file?: string }, k: number) => { const n = inp.name ?? `input_${k}`; if (inp.file && s.inputNames.includes(n)) feeds[n] = npy(join(dir, inp.file)); });
  const times: number[] = [];
  const N = Number(process.env.N ?? 200);
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const out = await s.run(feeds);
    times.push(performance.now() - t0);
    for (const v of Object.values(out)) (v as Tensor).dispose();
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} median ${times[N >> 1]!.toFixed(3)} ms  p10 ${times[Math.floor(N / 10)]!.toFixed(3)} ms  nodes ${s.graph.allNodes().length}`);
}
