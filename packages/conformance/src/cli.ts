import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { coreFiles, runAtenDir } from './aten.js';

const [suite = 'aten', dirArg, ...flags] = process.argv.slice(2);
const verbose = flags.includes('-v') || process.argv.includes('-v');

function defaultDir(kind: string): string {
  const shared = resolve(process.cwd(), '../shared/refs', kind === 'aten' ? 'aten-ops' : 'onnx-backend');
  return existsSync(shared) ? shared : resolve(process.cwd(), 'test-models', kind === 'aten' ? 'aten-ops' : 'onnx-backend');
}

if (suite === 'aten') {
  const dir = resolve(dirArg ?? defaultDir('aten'));
  const core = coreFiles();
  const results = runAtenDir(dir);
  let p = 0, t = 0, cp = 0, ct = 0;
  for (const r of results) {
    p += r.passed;
    t += r.total;
    const isCore = core.has(r.file);
    if (isCore) {
      cp += r.passed;
      ct += r.total;
    }
    const mark = r.passed === r.total ? 'ok  ' : r.passed === 0 ? 'FAIL' : 'part';
    if (verbose || isCore || r.passed > 0) console.log(`${mark} ${isCore ? '*' : ' '} ${r.file.padEnd(44)} ${r.passed}/${r.total}${r.errors[0] ? '  ' + r.errors[0] : ''}`);
  }
  const missing = [...core].filter((f) => !results.some((r) => r.file === f));
  if (missing.length) console.log(`core sample files not found in ${dir}: ${missing.join(', ')}`);
  console.log(`\nissue-2 core ops (*): ${cp}/${ct} samples pass (${((100 * cp) / Math.max(ct, 1)).toFixed(1)}%)`);
  console.log(`all ops: ${p}/${t} samples pass (${((100 * p) / Math.max(t, 1)).toFixed(1)}%)`);
} else if (suite === 'onnx') {
  const mod = await import('./onnx.js').catch(() => undefined);
  if (!mod) {
    console.error('the ONNX conformance runner is not available yet');
    process.exit(2);
  }
  await mod.main(resolve(dirArg ?? defaultDir('onnx')), verbose);
} else {
  console.error(`usage: pnpm conformance aten|onnx [dir]`);
  process.exit(2);
}
