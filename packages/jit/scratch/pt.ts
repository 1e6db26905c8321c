import { readFileSync } from 'node:fs';
import { openZip } from '../src/archive/zip.ts';
import { unpickle, storageFromBytes } from '../src/archive/pickle.ts';
for (const f of ['tiny_traced.pt','dtypes_scripted.pt','lang_zoo_scripted.pt','control_flow_scripted.pt', 'torch_save_example.pth']) {
  const z = openZip(readFileSync('/work/shared/docs/torchscript-samples/'+f));
  for (const rec of ['data.pkl', 'constants.pkl']) {
    if (!z.has(rec)) continue;
    const folder = rec.replace('.pkl', '');
    const v = unpickle(z.read(rec), {
      record: rec,
      loadStorage: (t, key, loc, n) => storageFromBytes(t, z.read(`${folder}/${key}`), n, `${folder}/${key}`),
      resolveClass: (q) => q,
      newObject: (c) => ({ cls: c }),
      build: (o: any, s) => { o.state = s; },
    });
    console.dir(v, { depth: 3 });
  }
}
