import { readFileSync } from 'node:fs';
import { openZip } from '../src/archive/zip.ts';
for (const f of ['tiny_traced.pt','relu_saved_via_buffer.pt','lang_zoo_scripted.pt']) {
const z = openZip(readFileSync('/work/shared/docs/torchscript-samples/'+f));
console.log(z.prefix, z.names());
console.log(z.readText('code/__torch__.py').slice(0,200));
console.log(new Float32Array(z.read('data/0').buffer, z.read('data/0').byteOffset, 3));
}
