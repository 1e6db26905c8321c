/**
 * Runs every `model.onnx` under the given case folders (PyTorch reference cases: input_K.npy,
 * output_K.npy, meta.json with rtol/atol) and reports the worst error per output.
 *   pnpm exec tsx --conditions=development packages/onnx/scripts/check-models.ts /work/shared/refs/pytorch [/tmp/refs-large]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '@torchlet/core';
import { load, readNpy } from '../src/index.js';

let failed = 0;
for (const root of process.argv.slice(2)) {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'model.onnx'))) continue;
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { rtol: number; atol: number; inputs: { file?: string; name?: string }[]; outputs: { file: string }[] };
    const t0 = performance.now();
    try {
      const s = await load(join(dir, 'model.onnx'));
      const feeds: Record<string, Tensor> = {};
      meta.inputs.forEach((inp, k) => inp.file && (feeds[inp.name ?? `input_${k}`] = readNpy(new Uint8Array(readFileSync(join(dir, inp.file))))));
      const t1 = performance.now();
      const out = await s.run(feeds);
      const t2 = performance.now();
      const report: string[] = [];
      let ok = true;
      meta.outputs.forEach((o, k) => {
        const want = readNpy(new Uint8Array(readFileSync(join(dir, o.file))));
        const got = out[s.outputNames[k]!] as Tensor;
        const g = got.contiguousArray(), w = want.contiguousArray();
        let worst = 0, maxAbs = 0;
        for (let i = 0; i < w.length; i++) {
          const d = Math.abs(g[i]! - w[i]!);
          maxAbs = Math.max(maxAbs, d);
          worst = Math.max(worst, d - (meta.atol + meta.rtol * Math.abs(w[i]!)));
        }
        const shapeOk = got.shape.join() === want.shape.join();
        if (!shapeOk || worst > 0 || Number.isNaN(worst)) ok = false;
        report.push(`${s.outputNames[k]}: ${shapeOk ? '' : `shape [${got.shape}] vs [${want.shape}] `}max|d|=${maxAbs.toExponential(2)}`);
      });
      if (!ok) failed++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(22)} load ${(t1 - t0).toFixed(0)} ms, run ${(t2 - t1).toFixed(0)} ms  ${report.join('  ')}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name.padEnd(22)} ${(e as Error).message.split('\n')[0]}`);
    }
  }
}
process.exit(failed ? 1 : 0);
