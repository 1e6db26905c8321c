/**
 * Peak memory of one runtime on one case, in a process of its own (run by run.ts):
 * `tsx benchmarks/memory.ts <lib> <case id> <models dir>` prints JSON with the resident set
 * growth from after the runtime started to the largest value after loading the model and after
 * each of 5 runs.
 */
import { CASES, type Lib } from './cases.js';
import { makeFactory } from './runtimes.js';

const [lib, id, modelsDir] = process.argv.slice(2) as [Lib, string, string];
const c = CASES.find((x) => x.id === id)!;
const factory = await makeFactory(lib, 1, modelsDir);
(globalThis as { gc?: () => void }).gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const sample = (): void => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
// runs are synchronous stretches: the resident set is sampled after loading and after each run
// (wasm memories never shrink, so a run's working memory shows up afterwards)
const p = await factory(c);
sample();
for (let i = 0; i < 5; i++) {
  await p.run();
  sample();
}
console.log(JSON.stringify({ lib, id, baseBytes: base, peakBytes: peak, growthBytes: peak - base }));
process.exit(0);
