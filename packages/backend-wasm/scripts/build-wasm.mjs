// Builds the kernel library (assembly/) into the four committed .wasm files:
//   kernels-{simd,relaxed}.wasm          shared memory (worker threads)
//   kernels-{simd,relaxed}-single.wasm   unshared memory (no SharedArrayBuffer: one thread)
// Run by `pnpm build` in this package; installing the package needs none of this.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
mkdirSync(join(root, 'wasm'), { recursive: true });

const common = ['assembly/index.ts', '--runtime', 'stub', '-O3', '--noAssert', '--importMemory', '--initialMemory', '1', '--enable', 'simd', '--enable', 'threads'];
for (const relaxed of [false, true]) {
  for (const shared of [true, false]) {
    const name = `kernels-${relaxed ? 'relaxed' : 'simd'}${shared ? '' : '-single'}.wasm`;
    const args = [...common, '-o', `wasm/${name}`];
    if (relaxed) args.push('--enable', 'relaxed-simd');
    if (shared) args.push('--sharedMemory', '--maximumMemory', '65536');
    execFileSync(process.execPath, [asc, ...args], { cwd: root, stdio: 'inherit' });
    console.log(`built wasm/${name}`);
  }
}
