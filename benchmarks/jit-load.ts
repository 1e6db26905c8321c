/**
 * `pnpm bench:load`: how long loading a model and running it takes — ResNet-18 (torchvision,
 * random weights) from PyTorch's TorchScript file (`torch.jit.load` of model.pt) and from its
 * ONNX export (`torch.onnx.load` of model.onnx), against onnxruntime-node on the same ONNX file.
 *
 * For each: the first load (cold), the median of later loads, the first forward (for torchlet
 * it includes freezing and optimising the graph), the median forward, and the largest
 * difference from PyTorch's output. Writes benchmarks/results/load.{json,md}.
 *
 * Options: `--threads N` (default 1, for torchlet's wasm kernels and onnxruntime's intra-op pool),
 * `--loads N` (default 5), `--runs N` (default 10). The model is made with
 * `/usr/bin/python3 /work/shared/refs/make_refs.py public-large benchmarks/models` when missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'torchlet';

const HERE = dirname(fileURLToPath(import.meta.url));
const MODEL_DIR = join(HERE, 'models', 'resnet18_traced');
const RESULTS = join(HERE, 'results');

function option(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const THREADS = option('threads', 1);
const LOADS = option('loads', 5);
const RUNS = option('runs', 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function ensureModel(): void {
  if (existsSync(join(MODEL_DIR, 'model.pt')) && existsSync(join(MODEL_DIR, 'model.onnx'))) return;
  const script = '/work/shared/refs/make_refs.py';
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) {
    throw new Error(`${MODEL_DIR} is missing: make it with \`/usr/bin/python3 ${script} public-large benchmarks/models\``);
  }
  console.log('making benchmarks/models/resnet18_traced with PyTorch (about a minute)...');
  execFileSync('/usr/bin/python3', [script, 'public-large', join(HERE, 'models')], { stdio: 'inherit' });
}

interface Row {
  runtime: string;
  file: string;
  /** ms */
  firstLoad: number;
  load: number;
  firstForward: number;
  forward: number;
  /** largest |output - PyTorch's output| */
  maxAbsDiff: number;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

interface Runtime<M = unknown> {
  runtime: string;
  file: string;
  load: () => Promise<M>;
  forward: (m: M) => Promise<ArrayLike<number>>;
  release?: (m: M) => Promise<void> | void;
}

/**
 * Loads every runtime `LOADS` times (the last model is kept), runs each once (the first
 * forward), then times `RUNS` rounds of one forward per runtime, interleaved so that machine
 * noise and garbage collection fall on all of them alike.
 */
async function measureAll(runtimes: Runtime[], want: ArrayLike<number>): Promise<Row[]> {
  const models: unknown[] = [];
  const rows: Row[] = [];
  for (const r of runtimes) {
    const times: number[] = [];
    let model: unknown;
    for (let i = 0; i < LOADS; i++) {
      if (model !== undefined) await r.release?.(model);
      const t0 = performance.now();
      model = await r.load();
      times.push(performance.now() - t0);
    }
    models.push(model);
    const t0 = performance.now();
    const out = await r.forward(model);
    const firstForward = performance.now() - t0;
    const later = times.slice(1);
    rows.push({ runtime: r.runtime, file: r.file, firstLoad: times[0]!, load: median(later.length ? later : times), firstForward, forward: 0, maxAbsDiff: maxAbsDiff(out, want) });
  }
  const runs: number[][] = runtimes.map(() => []);
  for (let k = 0; k < RUNS; k++) {
    for (let i = 0; i < runtimes.length; i++) {
      const t0 = performance.now();
      await runtimes[i]!.forward(models[i]);
      runs[i]!.push(performance.now() - t0);
    }
  }
  rows.forEach((row, i) => (row.forward = median(runs[i]!)));
  for (let i = 0; i < runtimes.length; i++) await runtimes[i]!.release?.(models[i]);
  return rows;
}

async function main(): Promise<void> {
  ensureModel();
  const pt = new Uint8Array(readFileSync(join(MODEL_DIR, 'model.pt')));
  const onnx = new Uint8Array(readFileSync(join(MODEL_DIR, 'model.onnx')));
  const x = torch.onnx.readNpy(new Uint8Array(readFileSync(join(MODEL_DIR, 'input_0.npy'))));
  const wantT = torch.onnx.readNpy(new Uint8Array(readFileSync(join(MODEL_DIR, 'output_0.npy'))));
  const want = wantT.contiguousArray();
  const xData = Float32Array.from(x.contiguousArray());

  await torch.backends.wasm.init({ threads: THREADS });
  await torch.backends.wasm.threadsReady();
  const wasm = torch.backends.wasm.isReady();
  console.log(`ResNet-18 (1x3x224x224), ${LOADS} loads and ${RUNS} forward runs each, ${THREADS} thread(s); torchlet wasm kernels: ${wasm ? 'on' : 'off (reference TypeScript kernels)'}`);

  const tensorOut = (v: unknown): ArrayLike<number> => {
    const t = v as torch.Tensor;
    const a = Float32Array.from(t.contiguousArray());
    t.dispose();
    return a;
  };
  type Module = Awaited<ReturnType<typeof torch.jit.load>>;
  type Session = Awaited<ReturnType<typeof torch.onnx.load>>;
  const ort = await import('onnxruntime-node');
  type OrtSession = Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  const jitRuntime = (runtime: string, opts: { optimize?: boolean }): Runtime<Module> => ({
    runtime, file: 'model.pt', load: () => torch.jit.load(pt, opts), forward: async (m) => tensorOut(await m.forward(x)),
  });
  const onnxRuntime: Runtime<Session> = {
    runtime: 'torchlet onnx.load', file: 'model.onnx', load: () => torch.onnx.load(onnx),
    forward: async (s) => tensorOut((await s.run({ [s.inputNames[0]!]: x }))[s.outputNames[0]!]),
  };
  const ortRuntime: Runtime<OrtSession> = {
    runtime: 'onnxruntime-node', file: 'model.onnx',
    load: () => ort.InferenceSession.create(onnx, { executionProviders: ['cpu'], intraOpNumThreads: THREADS, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }),
    forward: async (s) => (await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', xData, x.shape) }))[s.outputNames[0]!]!.data as Float32Array,
    release: (s) => s.release(),
  };
  const rows = await measureAll([jitRuntime('torchlet jit.load', {}), jitRuntime('torchlet jit.load (optimize: false)', { optimize: false }), onnxRuntime, ortRuntime] as Runtime[], want);

  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const header = ['runtime', 'file', 'first load (ms)', 'load (ms, median)', 'first forward (ms)', 'forward (ms, median)', 'max abs diff vs PyTorch'];
  const lines = rows.map((r) => [r.runtime, r.file, fmt(r.firstLoad), fmt(r.load), fmt(r.firstForward), fmt(r.forward), r.maxAbsDiff.toExponential(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const show = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${show(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(show).join('\n')}`);

  const env = {
    date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length,
    threads: THREADS, loads: LOADS, runs: RUNS, torchletWasm: wasm, onnxruntime: (ort as unknown as { env?: { versions?: { common?: string } } }).env?.versions?.common ?? 'unknown',
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'load.json'), `${JSON.stringify({ model: 'resnet18_traced', input: [1, 3, 224, 224], env, rows }, null, 1)}\n`);
  const md = [
    '# Model load and forward times (`pnpm bench:load`)',
    '',
    `ResNet-18 (torchvision, random weights), input 1x3x224x224. ${env.date}, Node ${env.node}, ${env.cpu} (${env.cores} cores), ${THREADS} thread(s), torchlet wasm kernels ${wasm ? 'on' : 'off'}, onnxruntime-node ${env.onnxruntime}. Loads from bytes in memory; medians of ${LOADS} loads (the first, cold, apart) and of ${RUNS} forward runs (interleaved across the runtimes). torchlet's first forward includes freezing and optimising the graph.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
    '',
  ].join('\n');
  writeFileSync(join(RESULTS, 'load.md'), md);
  console.log(`\nwrote benchmarks/results/load.json and load.md`);
  x.dispose();
  wantT.dispose();
  await torch.backends.wasm.shutdown?.();
}

await main();
