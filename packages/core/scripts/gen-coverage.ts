/**
 * Writes docs/op-coverage.md: every registry overload and how each device runs it
 * (kernel, view, decomposition, or CPU fallback). Run with `pnpm docs:coverage`.
 */
import { writeFileSync } from 'node:fs';
import { DEVICE_TYPES, getRegistry, type Overload } from '../src/index.js';

const loaders: string[] = (process.env.TORCHLET_COVERAGE_BACKENDS ?? '').split(',').filter(Boolean);
for (const l of loaders) await import(l).then((m) => m.init?.());

const reg = getRegistry();
function how(ov: Overload, device: (typeof DEVICE_TYPES)[number]): string {
  if (ov.decl.view) return 'view';
  if (ov.inplaceOf) return how(ov.inplaceOf, device) + ' (in-place)';
  if (reg.kernel(ov.key, device)) return 'kernel';
  if (device === 'cpu' && ov.decl.cpu) return 'reference';
  if (device === 'cpu' && ov.decl.cpuDynamic) return 'reference (dynamic)';
  if (ov.decl.decompose) return 'decomposed';
  if (ov.decl.cpu || ov.decl.cpuDynamic) return 'CPU fallback';
  return '—';
}
const rows = reg.allOverloads().sort((a, b) => a.key.localeCompare(b.key));
let md = `# Op coverage\n\nGenerated from the op registry by \`pnpm docs:coverage\`. ${rows.length} overloads of ${reg.qualifiedNames().length} ops.\n\n`;
md += `- **reference**: the plain TypeScript kernel; **kernel**: a backend kernel; **view**: no kernel needed; **decomposed**: runs as other ops; **CPU fallback**: copied to the CPU and back.\n\n`;
md += `| overload | tags | ${DEVICE_TYPES.join(' | ')} |\n|---|---|${DEVICE_TYPES.map(() => '---').join('|')}|\n`;
for (const ov of rows) md += `| \`${ov.key}\` | ${[...ov.tags].join(', ')} | ${DEVICE_TYPES.map((d) => how(ov, d)).join(' | ')} |\n`;
writeFileSync(new URL('../../../docs/op-coverage.md', import.meta.url), md);
console.log(`docs/op-coverage.md: ${rows.length} overloads`);
