import { readFileSync, readdirSync } from 'node:fs';
import { loadTorchScriptSync } from '../src/loader.ts';
const files = [
  ...readdirSync('/work/shared/docs/torchscript-samples').filter(f => f.endsWith('.pt')).map(f => '/work/shared/docs/torchscript-samples/' + f),
  ...readdirSync('/work/shared/refs/pytorch').map(d => `/work/shared/refs/pytorch/${d}/model.pt`),
];
const only = process.argv[2];
for (const f of files) {
  if (only && !f.includes(only)) continue;
  try {
    const m = loadTorchScriptSync(new Uint8Array(readFileSync(f)), { compileAll: !!process.env.ALL });
    console.log('OK  ', f.split('/').slice(-2).join('/'), m.methods.join(','), 'missing:', [...m.unsupportedOps().keys()].join(' '));
    if (only) console.log(m.graph);
  } catch (e) {
    console.log('FAIL', f.split('/').slice(-2).join('/'), (e as Error).message.split('\n').slice(0, 6).join('\n   '));
    if (only) console.log((e as Error).stack);
  }
}
