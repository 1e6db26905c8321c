/**
 * Peak memory of one runtime on one case, in a process of its own (run by run.ts):
 * `tsx benchmarks/memory.ts <lib> <case id> <models dir>` prints JSON with the resident set
 * growth from after the runtime started to the peak over loading the model and 5 runs.
 */
import { CASES, type Lib } from './cases.js';
import { makeFactory } from './runtimes.js';

const [lib, id, modelsDir] = process.argv.slice(2) as [Lib, string, string];
const c = CASES.find((x) => x.id === id)!;
const factory = await makeFactory(lib, 1, modelsDir);
const base = process.memoryUsage().rss;
let peak = base;
const sample = (): void => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const timer = setInterval(sample, 1);
const p = await factory(c);
for (let i = 0; i < 5; i++) {
  await p.run();
  sample();
}
clearInterval(timer);
// maxRSS (KiB) catches peaks between samples
peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
console.log(JSON.stringify({ lib, id, baseBytes: base, peakBytes: peak, growthBytes: peak - base }));
process.exit(0);
