/**
 * `pnpm trace-save` (step 2): a separate program that knows nothing about the model's code:
 * it loads the file written by `write.ts` with torch.jit.load and runs it.
 *
 *   tsx --conditions=development examples/trace-save/run.ts [outDir]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from 'torchlet';

const outDir = process.argv[2] ?? new URL('./out', import.meta.url).pathname;
const m = await torch.jit.load(join(outDir, 'model.tlgf'));
const labels = JSON.parse(new TextDecoder().decode(m.extraFiles.get('labels.json'))) as string[];
const expected = JSON.parse(readFileSync(join(outDir, 'expected.json'), 'utf8')) as { input: number[]; shape: number[]; logits: number[] };

const x = torch.tensor(Float32Array.from(expected.input), { shape: expected.shape });
const t0 = performance.now();
const { logits, probs } = (await m.forward(x)) as { logits: torch.Tensor; probs: torch.Tensor };
const ms = performance.now() - t0;

const got = logits.dataSync() as Float32Array;
const maxDiff = expected.logits.reduce((d, v, i) => Math.max(d, Math.abs(v - got[i]!)), 0);
const p = probs.dataSync() as Float32Array;
for (let n = 0; n < probs.shape[0]!; n++) {
  const row = Array.from(p.subarray(n * 10, n * 10 + 10));
  const best = row.indexOf(Math.max(...row));
  console.log(`image ${n}: ${labels[best]} (${(100 * row[best]!).toFixed(1)}%)`);
}
console.log(`${m.typeName} from ${join(outDir, 'model.tlgf')}: forward took ${ms.toFixed(1)} ms; max |logits - eager| = ${maxDiff.toExponential(2)}`);
if (!(maxDiff <= 1e-5)) {
  console.error('the loaded model does not reproduce the eager outputs');
  process.exit(1);
}
