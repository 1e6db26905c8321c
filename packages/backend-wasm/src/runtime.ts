/**
 * The WebAssembly runtime: loads one of the four kernel builds, owns the memory and its heap,
 * and runs parallel tasks on a pool of workers that share the memory.
 *
 * Builds: relaxed SIMD (fused multiply-add) where `WebAssembly.validate` accepts relaxed SIMD,
 * else plain SIMD; a shared memory (threads) where SharedArrayBuffer exists (Node, browsers that
 * are crossOriginIsolated), else an unshared memory and one thread.
 */
import { T_BYTES, T_CDONE, T_CLAIM, T_DESC, T_EPOCH, T_EXIT, T_GEN, T_MAX_THREADS, T_READY, T_SCRATCH_BYTES, T_TMP } from '../assembly/abi.js';
import { Heap } from './heap.js';

export interface KernelExports {
  runTask(ctrl: number, tid: number, gen: number): void;
  packA(src: number, M: number, K: number, rs: number, cs: number, dst: number): void;
  packB(src: number, K: number, N: number, rs: number, cs: number, dst: number): void;
  gemmMR(): number;
  gemmKC(): number;
  relaxed(): number;
}

export type Variant = 'simd' | 'relaxed';

// (module (func (result v128) v128.const 0 v128.const 0 v128.const 0 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 0x0a, 0x3d, 1, 0x3b, 0,
  0xfd, 0x0c, ...new Array<number>(16).fill(0), 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x85, 0x02, 0x0b,
]);
// (module (func (result v128) v128.const 0))
const SIMD_PROBE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 0x0a, 0x16, 1, 0x14, 0, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b]);

export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
}
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) return true;
  return g.crossOriginIsolated === true;
}

const isNode = (): boolean => !!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;

async function readWasm(name: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(`../wasm/${name}`, import.meta.url);
  if (isNode() && url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const buf = await fs.readFile(fileURLToPath(url));
    return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
  }
  const r = await fetch(url);
  if (!r.ok) throw new Error(`torchlet wasm backend: cannot fetch ${url.href} (${r.status})`);
  return new Uint8Array(await r.arrayBuffer());
}

/** Source of a pool worker: instantiates the module on the shared memory, then runs tasks. */
const WORKER_SOURCE = `
const GEN = ${T_GEN}, EXIT = ${T_EXIT}, READY = ${T_READY}, EPOCH = ${T_EPOCH};
async function start(d) {
  const inst = await WebAssembly.instantiate(d.module, { env: { memory: d.memory, abort() { throw new Error('abort'); } } });
  const run = inst.exports.runTask;
  const c = new Int32Array(d.memory.buffer, d.ctrl, ${T_BYTES >> 2});
  let seen = Atomics.load(c, GEN);
  Atomics.add(c, READY, 1);
  for (;;) {
    // spin for d.spinMs (the next task usually follows within a few hundred microseconds), then sleep
    let g, n = 0, t0 = performance.now();
    while ((g = Atomics.load(c, GEN)) === seen) {
      if ((++n & 255) === 0 && performance.now() - t0 > d.spinMs) {
        Atomics.wait(c, GEN, seen);
        t0 = performance.now();
      }
    }
    seen = g;
    if (Atomics.load(c, EXIT) || Atomics.load(c, EPOCH) !== d.epoch) return;
    run(d.ctrl, d.tid, g);
  }
}
if (typeof process !== 'undefined' && process.versions && process.versions.node) start(require('node:worker_threads').workerData);
else self.onmessage = (e) => start(e.data);
`;

interface PoolWorker {
  terminate(): unknown;
}

type WorkerCtor = new (src: string, opts: { eval: boolean; workerData: unknown }) => PoolWorker & { unref(): void };

export interface RuntimeOptions {
  variant?: Variant;
  shared?: boolean;
  /** maximum memory in 64 KiB pages (shared memories reserve it up front); default 32768 (2 GiB) */
  maxPages?: number;
}

export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
  readonly heap: Heap;
  /** microkernel rows (6 relaxed, 4 plain) */
  readonly MR: number;
  readonly KC: number;
  readonly ctrl: number;
  /** scratch blocks for argument blocks, reused call after call */
  private readonly argBase: number;
  private argTop = 0;
  private ctrl32: Int32Array;
  private workers: PoolWorker[] = [];
  private wanted = 1;
  private poolActive = false;
  /** KC-entry table 0, 32, 64, ... */
  readonly lin: number;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  private constructor(
    readonly module: WebAssembly.Module,
    instance: WebAssembly.Instance,
    memory: WebAssembly.Memory,
    readonly variant: Variant,
    readonly shared: boolean,
    private readonly workerCtor: WorkerCtor | undefined,
  ) {
    this.memory = memory;
    this.exports = instance.exports as unknown as KernelExports;
    this.MR = this.exports.gemmMR();
    this.KC = this.exports.gemmKC();
    this.heap = new Heap(memory, () => this.refreshViews());
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.u8View = new Uint8Array(memory.buffer);
    this.buffers.add(memory.buffer);
    this.ctrl = this.heap.alloc(T_BYTES + T_MAX_THREADS * T_SCRATCH_BYTES);
    this.ctrl32 = new Int32Array(memory.buffer, this.ctrl, T_BYTES >> 2);
    for (let t = 0; t < T_MAX_THREADS; t++) this.ctrl32[T_TMP + t] = this.ctrl + T_BYTES + t * T_SCRATCH_BYTES;
    this.argBase = this.heap.alloc(64 * 256);
    this.lin = this.heap.alloc(this.KC * 4);
    const i32 = this.i32;
    for (let k = 0; k < this.KC; k++) i32[(this.lin >> 2) + k] = k * 32;
  }

  static async create(opts: RuntimeOptions = {}): Promise<WasmRuntime> {
    if (!simdSupported()) throw new Error('torchlet wasm backend: this runtime has no WebAssembly SIMD');
    const variant: Variant = opts.variant ?? (relaxedSimdSupported() ? 'relaxed' : 'simd');
    if (variant === 'relaxed' && !relaxedSimdSupported()) throw new Error('torchlet wasm backend: relaxed SIMD is not available (Node 20: --experimental-wasm-relaxed-simd)');
    const shared = opts.shared ?? sharedMemorySupported();
    const bytes = await readWasm(`kernels-${variant}${shared ? '' : '-single'}.wasm`);
    const module = await WebAssembly.compile(bytes);
    const maxPages = opts.maxPages ?? 32768;
    const memory = shared ? new WebAssembly.Memory({ initial: 64, maximum: maxPages, shared: true }) : new WebAssembly.Memory({ initial: 64, maximum: maxPages });
    const instance = await WebAssembly.instantiate(module, { env: { memory, abort: () => { throw new Error('wasm abort'); } } });
    let ctor: WorkerCtor | undefined;
    if (shared) {
      if (isNode()) ctor = (await import('node:worker_threads')).Worker as unknown as WorkerCtor;
      else if (typeof Worker !== 'undefined') ctor = BrowserWorker as unknown as WorkerCtor;
    }
    return new WasmRuntime(module, instance, memory, variant, shared, ctor);
  }

  // ------------------------------------------------------------------ memory views

  private refreshViews(): void {
    const b = this.memory.buffer;
    this.buffers.add(b);
    this.f32View = new Float32Array(b);
    this.i32View = new Int32Array(b);
    this.u8View = new Uint8Array(b);
  }
  get f32(): Float32Array {
    if (this.f32View.length * 4 !== this.memory.buffer.byteLength) this.refreshViews();
    return this.f32View;
  }
  get i32(): Int32Array {
    if (this.i32View.length * 4 !== this.memory.buffer.byteLength) this.refreshViews();
    return this.i32View;
  }
  get u8(): Uint8Array {
    if (this.u8View.length !== this.memory.buffer.byteLength) this.refreshViews();
    return this.u8View;
  }
  /** True when `a` is a view of this runtime's memory (any of its buffers, before or after growth). */
  owns(a: ArrayBufferView): boolean {
    return this.buffers.has(a.buffer);
  }

  // ------------------------------------------------------------------ argument blocks

  /** A 256-byte argument block, valid until `releaseArgs`; blocks nest like a stack. */
  args(): number {
    if (this.argTop >= 64) throw new Error('torchlet wasm backend: argument blocks exhausted');
    const p = this.argBase + this.argTop * 256;
    this.argTop++;
    return p;
  }
  releaseArgs(n = 1): void {
    this.argTop -= n;
  }
  setI(args: number, slot: number, v: number): void {
    this.i32[(args >> 2) + slot] = v;
  }
  setF(args: number, slot: number, v: number): void {
    this.f32[(args >> 2) + slot] = v;
  }

  // ------------------------------------------------------------------ threads

  get numThreads(): number {
    return this.wanted;
  }
  /** Threads that currently take part in tasks (the pool joins once its workers are up). */
  get activeThreads(): number {
    return this.pool() ? this.workers.length + 1 : 1;
  }
  get canThread(): boolean {
    return this.workerCtor !== undefined;
  }

  /** Sets the thread count (1 = the calling thread only); workers start asynchronously. */
  setNumThreads(n: number): void {
    n = Math.max(1, Math.min(T_MAX_THREADS, Math.floor(n)));
    if (!this.workerCtor) n = 1;
    if (n === this.wanted && this.workers.length === n - 1) return;
    this.stopWorkers();
    this.wanted = n;
    if (n === 1) return;
    const c = this.ctrl32View();
    const epoch = Atomics.add(c, T_EPOCH, 1) + 1;
    Atomics.store(c, T_EXIT, 0);
    Atomics.store(c, T_READY, 0);
    for (let t = 1; t < n; t++) {
      const data = { module: this.module, memory: this.memory, ctrl: this.ctrl, tid: t, spinMs: 2, epoch };
      const w = new this.workerCtor!(WORKER_SOURCE, { eval: true, workerData: data });
      (w as { unref?: () => void }).unref?.();
      this.workers.push(w);
    }
  }

  /** Resolves once every worker has started (or after `timeoutMs`). */
  async ready(timeoutMs = 10_000): Promise<boolean> {
    const t0 = Date.now();
    while (!this.pool()) {
      if (this.workers.length === 0) return true;
      if (Date.now() - t0 > timeoutMs) return false;
      await new Promise((r) => setTimeout(r, 2));
    }
    return true;
  }

  private ctrl32View(): Int32Array {
    if (this.ctrl32.buffer !== this.memory.buffer && this.ctrl32.byteLength === 0) this.ctrl32 = new Int32Array(this.memory.buffer, this.ctrl, T_BYTES >> 2);
    return this.ctrl32;
  }

  private pool(): boolean {
    if (this.workers.length === 0) return false;
    if (this.poolActive) return true;
    const c = this.ctrl32View();
    if (Atomics.load(c, T_READY) === this.workers.length) this.poolActive = true;
    return this.poolActive;
  }

  private stopWorkers(): void {
    if (this.workers.length === 0) return;
    const c = this.ctrl32View();
    Atomics.store(c, T_EXIT, 1);
    this.gen = (this.gen + 1) | 0;
    Atomics.store(c, T_CLAIM, (this.gen & 0xffff) << 16);
    Atomics.store(c, T_GEN, this.gen);
    Atomics.notify(c, T_GEN);
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.poolActive = false;
  }

  /** Runs `chunks` chunks of a task on every active thread; returns when all are done. */
  run(kind: number, args: number, chunks: number): void {
    if (chunks <= 0) return;
    const c = this.ctrl32View();
    const pool = this.pool();
    const g = (this.gen = (this.gen + 1) | 0);
    const d = T_DESC + 4 * (g & 1);
    c[d] = kind;
    c[d + 1] = args;
    c[d + 2] = chunks;
    Atomics.store(c, T_CDONE, 0);
    // a worker still waking up for an older task can no longer claim anything
    Atomics.store(c, T_CLAIM, (g & 0xffff) << 16);
    if (!pool || chunks === 1) {
      this.exports.runTask(this.ctrl, 0, g);
      return;
    }
    Atomics.store(c, T_GEN, g);
    Atomics.notify(c, T_GEN);
    const t0 = performance.now();
    this.exports.runTask(this.ctrl, 0, g);
    const t1 = performance.now();
    while (Atomics.load(c, T_CDONE) < chunks) {
      /* spin: workers finish their last chunks */
    }
    const t2 = performance.now();
    this.stats.tasks++;
    this.stats.ownMs += t1 - t0;
    this.stats.waitMs += t2 - t1;
  }

  /** Parallel tasks run, time the calling thread worked on chunks, and time it then waited for workers. */
  readonly stats = { tasks: 0, ownMs: 0, waitMs: 0 };
  private gen = 0;

  /** A good number of chunks for `units` independent work units. */
  chunksFor(units: number, minPerChunk = 1): number {
    const t = this.activeThreads;
    if (t === 1) return 1;
    return Math.max(1, Math.min(Math.ceil(units / minPerChunk), t * 4));
  }

  dispose(): void {
    this.stopWorkers();
  }

}

/** A browser Worker started from the pool source (the module and memory arrive by message). */
class BrowserWorker {
  private readonly w: Worker;
  constructor(src: string, opts: { workerData: unknown }) {
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    this.w = new Worker(url);
    this.w.postMessage(opts.workerData);
  }
  terminate(): void {
    this.w.terminate();
  }
}
