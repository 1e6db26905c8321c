import { readFileSync, readdirSync } from 'node:fs';
import { openZip } from '../src/archive/zip.ts';
import { parseSource } from '../src/script/parser.ts';
const files = [
  ...readdirSync('/work/shared/docs/torchscript-samples').filter(f => f.endsWith('.pt') || f.endsWith('.ptl')).map(f => '/work/shared/docs/torchscript-samples/' + f),
  ...readdirSync('/work/shared/refs/pytorch').map(d => `/work/shared/refs/pytorch/${d}/model.pt`),
];
let n = 0, lines = 0;
for (const f of files) {
  const z = openZip(readFileSync(f));
  for (const name of z.names()) {
    if (!name.startsWith('code/') || !name.endsWith('.py')) continue;
    const src = z.readText(name);
    try { parseSource(src, name); n++; lines += src.split('\n').length; } catch (e) { console.log(f, (e as Error).message); }
  }
}
console.log('parsed', n, 'files', lines, 'lines');
