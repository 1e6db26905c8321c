/**
 * Runs each model.onnx under the given folders with torchlet and with onnxruntime-node on the
 * same inputs (input_K.npy) and compares every output (meta.json rtol/atol).
 *   pnpm exec tsx --conditions=development packages/onnx/scripts/compare-ort.ts /tmp/exported
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tensor } from '@torchlet/core';
import { load, readNpy } from '../src/index.js';

function toOrt(t: Tensor): ort.Tensor {
  const a = t.contiguousArray();
  switch (t.dtype) {
    case 'float32': return new ort.Tensor('float32', Float32Array.from(a), t.shape);
    case 'float64': return new ort.Tensor('float64', Float64Array.from(a), t.shape);
    case 'int64': return new ort.Tensor('int64', BigInt64Array.from(Array.from(a, (v) => BigInt(v))), t.shape);
    case 'int32': return new ort.Tensor('int32', Int32Array.from(a), t.shape);
    case 'bool': return new ort.Tensor('bool', Uint8Array.from(a), t.shape);
    default: throw new Error(`dtype ${t.dtype} not handled`);
  }
}

let failed = 0;
for (const root of process.argv.slice(2)) {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'model.onnx'))) continue;
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { rtol: number; atol: number; inputs: { file?: string; name?: string }[] };
    try {
      const mine = await load(join(dir, 'model.onnx'));
      const ref = await ort.InferenceSession.create(join(dir, 'model.onnx'));
      const feeds: Record<string, Tensor> = {};
      const ortFeeds: Record<string, ort.Tensor> = {};
      meta.inputs.forEach((inp, k) => {
        if (!inp.file) return;
        const t = readNpy(new Uint8Array(readFileSync(join(dir, inp.file))));
        const n = inp.name ?? `input_${k}`;
        if (!ref.inputNames.includes(n)) return; // folded into the graph by the exporter
        feeds[n] = t;
        ortFeeds[n] = toOrt(t);
      });
      const t0 = performance.now();
      const got = await mine.run(feeds);
      const t1 = performance.now();
      const want = await ref.run(ortFeeds);
      const t2 = performance.now();
      let ok = true;
      const report = mine.outputNames.map((o) => {
        const g = (got[o] as Tensor).contiguousArray();
        const w = want[o]!.data as ArrayLike<number | bigint>;
        let maxAbs = 0, worst = -Infinity;
        for (let i = 0; i < w.length; i++) {
          const wv = Number(w[i]!);
          const d = Math.abs(g[i]! - wv);
          maxAbs = Math.max(maxAbs, d);
          worst = Math.max(worst, d - (meta.atol + meta.rtol * Math.abs(wv)));
        }
        const shapeOk = (got[o] as Tensor).shape.join() === want[o]!.dims.join();
        if (!shapeOk || worst > 0 || g.length !== w.length) ok = false;
        return `${o}: ${shapeOk ? '' : 'SHAPE '}max|d|=${maxAbs.toExponential(2)}`;
      });
      if (!ok) failed++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(22)} torchlet ${(t1 - t0).toFixed(0)} ms, onnxruntime ${(t2 - t1).toFixed(0)} ms  ${report.join('  ')}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name.padEnd(22)} ${(e as Error).message.split('\n')[0]}`);
    }
  }
}
process.exit(failed ? 1 : 0);
