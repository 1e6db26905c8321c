/**
 * `pnpm bench`: torchlet against onnxruntime-web (wasm), onnxruntime-node and
 * tfjs-backend-wasm, in one process, interleaved, at 1 and 2 threads.
 *
 * Every (runtime, thread count) lives in a worker thread of its own (onnxruntime-web and tfjs fix
 * their thread count when they start); one worker runs at a time. Per case, each contender is
 * prepared and warmed up (3 runs), then the contenders take turns running short batches until
 * each has run for `--time` seconds. Reported: median and min ms, GFLOP/s, torchlet's time
 * relative to onnxruntime-web at the same thread count, and (in child processes, 1 thread) the
 * peak resident memory growth of loading and running each model.
 *
 * Options: --threads=1,2  --cases=<regexp>  --libs=torchlet,ort-web,...  --time=<s per contender>
 *          --no-memory  --out=<dir>
 * Relaxed SIMD is enabled for the process (Node 20 ships it behind a flag); both torchlet and
 * onnxruntime-web may use it.
 */
import v8 from 'node:v8';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CASES, LIBS, type BenchCase, type Lib } from './cases.js';
import { writeReport, type MemRow, type Row } from './report.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const threadList = (arg('threads') ?? '1,2').split(',').map(Number);
const caseFilter = new RegExp(arg('cases') ?? '.', 'i');
const libFilter = new Set((arg('libs') ?? LIBS.join(',')).split(',') as Lib[]);
const seconds = Number(arg('time') ?? 3);
const withMemory = !process.argv.includes('--no-memory');
const outDir = arg('out') ?? join(here, 'results');
const modelsDir = join(here, 'models');

// ------------------------------------------------------------------------------------ models

function ensureModels(cases: BenchCase[]): void {
  const missing = cases.filter((c) => c.format !== 'op' && !existsSync(join(modelsDir, c.dir, c.format === 'pt' ? 'model.pt' : 'model.onnx')));
  const missingOps = cases.filter((c) => c.format === 'op' && !existsSync(join(modelsDir, c.dir, 'model.onnx')));
  if (!missing.length && !missingOps.length) return;
  console.log(`making models: ${[...new Set([...missing, ...missingOps].map((c) => c.dir))].join(', ')} (/usr/bin/python3, torch + torchvision, random weights)`);
  const r = spawnSync('/usr/bin/python3', [join(here, 'make_models.py'), modelsDir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('make_models.py failed: the models are made with /usr/bin/python3 (torch 1.13 + torchvision)');
}

// ------------------------------------------------------------------------------------ workers

interface Contender {
  lib: Lib;
  threads: number;
  worker?: Worker;
  error?: string;
}

const BOOT = `import { register } from 'tsx/esm/api'; register(); const { workerData } = await import('node:worker_threads'); await import(workerData.file);`;

function startWorker(c: Contender): Promise<void> {
  return new Promise((resolve) => {
    const w = new Worker(BOOT, { eval: true, workerData: { file: new URL('./worker.ts', import.meta.url).href, lib: c.lib, threads: c.threads, modelsDir } });
    const fail = (e: unknown): void => {
      c.error = e instanceof Error ? e.message : String(e);
      resolve();
    };
    w.once('error', fail);
    w.once('message', (m: { ready?: boolean; ok?: boolean; error?: string }) => {
      if (m.ready) {
        c.worker = w;
        w.off('error', fail);
        w.on('error', (e) => (c.error = String(e)));
        resolve();
      } else fail(m.error);
    });
  });
}

function ask<T>(c: Contender, msg: unknown): Promise<T & { ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    c.worker!.once('message', resolve);
    c.worker!.postMessage(msg);
  });
}

// ------------------------------------------------------------------------------------ stats

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ------------------------------------------------------------------------------------ main

const cases = CASES.filter((c) => caseFilter.test(c.id));
ensureModels(cases);
const contenders: Contender[] = [];
for (const t of threadList) for (const lib of LIBS) if (libFilter.has(lib) && cases.some((c) => c.libs.includes(lib))) contenders.push({ lib, threads: t });
console.log(`starting ${contenders.length} contenders (${cpus().length} cores, Node ${process.version})`);
for (const c of contenders) {
  await startWorker(c);
  if (c.error) console.log(`  ${c.lib} x${c.threads}: unavailable (${c.error.split('\n')[0]})`);
}

const rows: Row[] = [];
for (const bc of cases) {
  for (const t of threadList) {
    const group = contenders.filter((c) => c.threads === t && bc.libs.includes(c.lib) && c.worker);
    const ready: Contender[] = [];
    for (const c of group) {
      const r = await ask<object>(c, { type: 'prepare', id: bc.id });
      if (r.ok) ready.push(c);
      else rows.push({ case: bc.id, group: bc.group, threads: t, lib: c.lib, flops: bc.flops, runs: 0, medianMs: NaN, minMs: NaN, gflops: NaN, error: r.error });
    }
    // interleaved batches of about 150 ms until each contender ran `seconds`
    const times = new Map<Contender, number[]>(ready.map((c) => [c, []]));
    const spent = new Map<Contender, number>(ready.map((c) => [c, 0]));
    const batch = new Map<Contender, number>(ready.map((c) => [c, 1]));
    for (let round = 0; ready.length && round < 400; round++) {
      const order = ready.map((_, i) => ready[(i + round) % ready.length]!);
      let active = false;
      for (const c of order) {
        if (spent.get(c)! >= seconds * 1000) continue;
        active = true;
        const r = await ask<{ times: number[] }>(c, { type: 'run', id: bc.id, iters: batch.get(c)! });
        if (!r.ok) {
          spent.set(c, Infinity);
          continue;
        }
        times.get(c)!.push(...r.times);
        const took = r.times.reduce((a, b) => a + b, 0);
        spent.set(c, spent.get(c)! + took);
        batch.set(c, Math.max(1, Math.min(50, Math.round(150 / Math.max(0.01, took / r.times.length)))));
      }
      if (!active) break;
    }
    for (const c of ready) {
      await ask<object>(c, { type: 'release', id: bc.id });
      const ts = times.get(c)!;
      const med = median(ts);
      rows.push({ case: bc.id, group: bc.group, threads: t, lib: c.lib, flops: bc.flops, runs: ts.length, medianMs: med, minMs: Math.min(...ts), gflops: bc.flops / med / 1e6 });
    }
    const line = rows.filter((r) => r.case === bc.id && r.threads === t).map((r) => `${r.lib} ${r.runs ? r.medianMs.toFixed(2) : 'n/a'}`).join('  ');
    console.log(`${bc.id.padEnd(42)} x${t}  ${line}`);
  }
}
for (const c of contenders) await c.worker?.terminate();

// ------------------------------------------------------------------------------------ memory

const memRows: MemRow[] = [];
if (withMemory) {
  console.log('\npeak memory (1 thread, own process)');
  for (const bc of cases.filter((c) => c.group === 'models')) {
    for (const lib of bc.libs.filter((l) => libFilter.has(l))) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=development', '--experimental-wasm-relaxed-simd', '--expose-gc', join(here, 'memory.ts'), lib, bc.id, modelsDir], { encoding: 'utf8', cwd: here, timeout: 300_000 });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      try {
        const j = JSON.parse(line) as { growthBytes: number };
        memRows.push({ case: bc.id, lib, growthBytes: j.growthBytes });
        console.log(`${bc.id.padEnd(42)} ${lib.padEnd(10)} ${(j.growthBytes / 2 ** 20).toFixed(1)} MiB`);
      } catch {
        memRows.push({ case: bc.id, lib, error: (r.stderr || line).split('\n').slice(-3).join(' ').slice(0, 200) });
      }
    }
  }
}

// ------------------------------------------------------------------------------------ report

const meta = { date: new Date().toISOString(), node: process.version, cpus: cpus().map((c) => c.model)[0], cores: cpus().length, secondsPerContender: seconds, threads: threadList };
writeReport(outDir, meta, rows, memRows, cases.map((c) => c.id), true);
process.exit(0);
