import { readFileSync, readdirSync } from 'node:fs';
import { loadTorchScript } from '../src/index.ts';
import { decodeFixture, compareValues } from '../test/helpers.ts';
const dir = new URL('../../../test-models/torchscript/cases/', import.meta.url).pathname;
const only = process.argv[2];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.io.json'))) {
  if (only && !f.includes(only)) continue;
  const fx = JSON.parse(readFileSync(dir + f, 'utf8'));
  const m = await loadTorchScript(dir + fx.model).catch((e) => { console.log('LOADERR', f, e.message); return undefined; });
  if (!m) continue;
  if (only) console.log(m.graph);
  for (const c of fx.calls) {
    try {
      const out = await m.call(c.method, ...c.inputs.map(decodeFixture));
      const errs = compareValues(out, decodeFixture(c.output), { rtol: 1e-5, atol: 1e-6 });
      console.log(errs.length ? 'MISMATCH' : 'PASS', f, errs.slice(0, 3).join('; '));
    } catch (e) {
      console.log('ERROR', f, (e as Error).message.split('\n').slice(0, 8).join('\n    '));
    }
  }
}
