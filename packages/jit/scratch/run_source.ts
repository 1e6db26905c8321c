import { readFileSync } from 'node:fs';
import { tensor } from '@torchlet/core';
import { compileSource } from '../src/index.ts';
import { compareValues } from '../test/helpers.ts';
const fx = JSON.parse(readFileSync(new URL('../../../test-models/torchscript/cases/source_cases.json', import.meta.url), 'utf8'));
const dec = (v: any): any => {
  if (Array.isArray(v)) return v.map(dec);
  if (v && typeof v === 'object') {
    if ('tensor' in v) return tensor(v.tensor, { dtype: v.dtype });
    if ('tuple' in v) return v.tuple.map(dec);
    if ('dict' in v) return new Map(v.dict.map(([k, x]: any) => [k, dec(x)]));
  }
  return v;
};
const src = compileSource(fx.source);
for (const c of fx.calls) {
  try {
    const out = await src.call(c.fn, ...c.args.map(dec));
    const errs = compareValues(out, dec(c.result), { rtol: 1e-5, atol: 1e-6 });
    console.log(errs.length ? 'MISMATCH' : 'PASS', c.fn, JSON.stringify(c.args).slice(0, 40), errs.slice(0, 3).join('; '));
  } catch (e) {
    console.log('ERROR', c.fn, (e as Error).message.split('\n').slice(0, 8).join('\n    '));
  }
}
