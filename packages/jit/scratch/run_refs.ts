import { readFileSync, readdirSync } from 'node:fs';
import { loadTorchScript } from '../src/index.ts';
import { readNpyFile, compareValues } from '../test/helpers.ts';
const root = '/work/shared/refs/pytorch/';
const only = process.argv[2];
for (const d of readdirSync(root)) {
  if (only && !d.includes(only)) continue;
  const meta = JSON.parse(readFileSync(`${root}${d}/meta.json`, 'utf8'));
  try {
    const t0 = performance.now();
    const m = await loadTorchScript(`${root}${d}/model.pt`);
    const t1 = performance.now();
    const inputs = meta.inputs.map((i: any) => (i.kind === 'tensor' ? readNpyFile(`${root}${d}/${i.file}`) : i.value));
    const out = await m.forward(...inputs);
    const t2 = performance.now();
    const errs: string[] = [];
    for (const o of meta.outputs) {
      const want = readNpyFile(`${root}${d}/${o.file}`);
      // evaluate path like out[1]["a_4"]
      const got = new Function('out', `return ${o.path}`)(proxy(out));
      errs.push(...compareValues(got, want, meta, o.path));
    }
    console.log(errs.length ? 'MISMATCH' : 'PASS', d, `load ${(t1 - t0).toFixed(0)}ms run ${(t2 - t1).toFixed(0)}ms`, errs.slice(0, 3).join('; '), 'missing:', [...m.unsupportedOps().keys()].join(' '));
  } catch (e) {
    console.log('ERROR', d, (e as Error).message.split('\n').slice(0, 8).join('\n    '));
  }
}
function proxy(v: any): any {
  if (v instanceof Map) return new Proxy(v, { get: (t, k) => (t.has(k as string) ? proxy(t.get(k as string)) : (t as any)[k]) });
  return v;
}
