/**
 * OpInfo samples on the webgpu device: `npx tsx --conditions=development
 * packages/backend-webgpu/scripts/conformance.ts [dir] [op...]` (default dir: the shared refs,
 * else test-models/aten-ops; default ops: conformance's CORE_OPS files).
 */
process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
import { existsSync, readFileSync } from 'node:fs';
import { CORE_OPS, compare, decode } from '../../conformance/src/aten.js';
import { init } from '../src/index.js';
import { runSamplesOnWebGPU, type SampleFile } from '../test/conformance.js';

await init();
const [dirArg, ...ops] = process.argv.slice(2);
const dir = dirArg ?? (existsSync('/work/shared/refs/aten-ops') ? '/work/shared/refs/aten-ops' : new URL('../../../test-models/aten-ops', import.meta.url).pathname);
const files = ops.length ? ops : Object.values(CORE_OPS).flat();
let passed = 0, failed = 0, unsupported = 0;
for (const f of files) {
  const path = `${dir}/${f}.json`;
  if (!existsSync(path)) continue;
  const r = await runSamplesOnWebGPU(f, JSON.parse(readFileSync(path, 'utf8')) as SampleFile, { decode, compare });
  passed += r.passed;
  failed += r.failed;
  unsupported += r.unsupported;
  console.log(`${f.padEnd(40)} pass ${r.passed} fail ${r.failed} unsupported ${r.unsupported}${r.errors.length ? `  ${r.errors[0]}` : ''}`);
  if (process.env.VERBOSE && r.reasons.length) console.log(`    unsupported: ${r.reasons.join(' | ')}`);
}
const { backend } = await import("../src/index.js");
console.log(`total: ${passed} passed, ${failed} failed, ${unsupported} unsupported`, JSON.stringify(backend()?.counters));
