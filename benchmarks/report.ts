/**
 * Writes a benchmark run's table (console), latest.json, latest.md, a timestamped JSON copy and
 * chart.svg. `tsx benchmarks/report.ts` rebuilds latest.md and chart.svg from latest.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBS, type Lib } from './cases.js';
import { svgChart } from './chart.js';

export interface Row {
  case: string;
  group: string;
  threads: number;
  lib: Lib;
  flops: number;
  runs: number;
  medianMs: number;
  minMs: number;
  gflops: number;
  /** time / onnxruntime-web's time on the same model (< 1: faster) */
  ratioToOrtWeb?: number;
  error?: string;
}

export interface MemRow {
  case: string;
  lib: Lib;
  growthBytes?: number;
  error?: string;
}

export interface Meta {
  date: string;
  node: string;
  cpus?: string;
  cores: number;
  secondsPerContender: number;
  threads: number[];
}

/** the model a case runs, without its file format: a .pt row compares with onnxruntime-web's .onnx row */
export const baseCase = (id: string): string => id.replace(/ \(\.(pt|onnx)\)$/, '');

export function writeReport(outDir: string, meta: Meta, rows: Row[], memRows: MemRow[], caseIds: string[], stamped: boolean): void {
  for (const r of rows) {
    const ow = rows.find((o) => baseCase(o.case) === baseCase(r.case) && o.threads === r.threads && o.lib === 'ort-web' && o.runs > 0);
    if (ow && r.runs > 0) r.ratioToOrtWeb = r.medianMs / ow.medianMs;
  }
  const threadList = meta.threads;
  const fmt = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
  const libsShown = LIBS.filter((l) => rows.some((r) => r.lib === l));
  const header = ['case', 'threads', ...libsShown.flatMap((l) => [`${l} median (min) ms`, `${l} GFLOP/s`]), 'torchlet / ort-web'];
  const table: string[][] = [];
  for (const id of caseIds) {
    for (const t of threadList) {
      const get = (l: Lib): Row | undefined => rows.find((r) => r.case === id && r.threads === t && r.lib === l);
      if (!libsShown.some((l) => get(l))) continue;
      const tl = get('torchlet');
      table.push([
        id, String(t),
        ...libsShown.flatMap((l) => {
          const r = get(l);
          if (!r) return ['', ''];
          if (!r.runs) return ['error', ''];
          return [`${fmt(r.medianMs)} (${fmt(r.minMs)})`, fmt(r.gflops, 1)];
        }),
        tl?.ratioToOrtWeb !== undefined ? `${fmt(tl.ratioToOrtWeb)}x` : '',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const pad = (r: string[]): string => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${pad(header)}\n${table.map(pad).join('\n')}`);

  mkdirSync(outDir, { recursive: true });
  const json = JSON.stringify({ meta, rows, memory: memRows }, null, 1);
  writeFileSync(join(outDir, 'latest.json'), json);
  if (stamped) writeFileSync(join(outDir, `bench-${meta.date.replace(/[:.]/g, '-')}.json`), json);
  const memLibs = LIBS.filter((l) => memRows.some((m) => m.lib === l));
  const md = [
    `# torchlet benchmark (${meta.date})`,
    '',
    `${meta.cpus ?? 'CPU'}, ${meta.cores} cores, Node ${meta.node}; one process, contenders interleaved, ${meta.secondsPerContender} s each per case; median (min) ms; ratio = torchlet time / onnxruntime-web time on the same model at the same thread count (< 1: torchlet faster; .pt rows compare with onnxruntime-web running the model's .onnx).`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 1 ? '---' : '---:')).join('|')}|`,
    ...table.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...(memRows.length
      ? ['## Peak memory (resident set growth while loading and running, 1 thread, own process)', '', `| case | ${memLibs.join(' | ')} |`, `|---|${memLibs.map(() => '---:').join('|')}|`,
        ...[...new Set(memRows.map((m) => m.case))].map((c) => `| ${c} | ${memLibs.map((l) => {
          const m = memRows.find((x) => x.case === c && x.lib === l);
          return m?.growthBytes !== undefined ? `${(m.growthBytes / 2 ** 20).toFixed(1)} MiB` : m ? 'error' : '';
        }).join(' | ')} |`)]
      : []),
    '',
    '![chart](chart.svg)',
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'chart.svg'), svgChart(rows, threadList));
  console.log(`\nwrote ${join(outDir, 'latest.json')}, latest.md, chart.svg`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  const d = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { meta: Meta; rows: Row[]; memory: MemRow[] };
  writeReport(dir, d.meta, d.rows, d.memory, [...new Set(d.rows.map((r) => r.case))], false);
}
