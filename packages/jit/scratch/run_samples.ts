import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { loadTorchScript } from '../src/index.ts';
import { decodeFixture, compareValues } from '../test/helpers.ts';
const dir = '/work/shared/docs/torchscript-samples/';
const only = process.argv[2];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.io.json'))) {
  if (only && !f.includes(only)) continue;
  const fx = JSON.parse(readFileSync(dir + f, 'utf8'));
  try {
    const m = await loadTorchScript(dir + fx.model);
    const inputs = fx.inputs.map(decodeFixture);
    const out = await m.call(fx.method, ...inputs);
    const errs = compareValues(out, decodeFixture(fx.output), { rtol: 1e-5, atol: 1e-6 });
    console.log(errs.length ? 'MISMATCH' : 'PASS', f, errs.slice(0, 3).join('; '));
  } catch (e) {
    console.log('ERROR', f, (e as Error).message.split('\n').slice(0, 8).join('\n    '));
  }
}
