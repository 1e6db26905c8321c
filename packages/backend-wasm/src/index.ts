/**
 * @torchlet/backend-wasm: WebAssembly SIMD kernels for torchlet's CPU device.
 *
 * `await init()` compiles the kernels (relaxed SIMD where the runtime accepts it, else plain
 * SIMD), places float32 CPU storages in the WebAssembly memory (when it is shared), attaches the
 * kernels to the registry's 'cpu' overloads and starts the worker pool. Ops called before
 * `init` resolves, and every op or dtype without a wasm kernel, run the reference TypeScript
 * kernels. Loaders await `init` through core's `backendsReady()`.
 */
import { onBackendsReady } from '@torchlet/core';
import { runtime, setRuntime, markConstant, isConstant } from './context.js';
import { WasmRuntime, relaxedSimdSupported, sharedMemorySupported, simdSupported, type Variant } from './runtime.js';
import { installAllocator, uninstallAllocator } from './storage.js';
import { registerAll } from './kernels/index.js';
import { withMemoryPlan as withMemoryPlanOn, lastMemoryPlan } from './arena.js';

export { markConstant, isConstant };
export { setKernelsEnabled, kernelsEnabled, kernelCalls, resetKernelCalls, setMinWork, minWork, wasmKernelKeys, setProfiling, kernelTimes } from './kernels/registry.js';
export { simdSupported, relaxedSimdSupported, sharedMemorySupported, WasmRuntime, type Variant } from './runtime.js';

export interface InitOptions {
  /** 'relaxed' (fused multiply-add) or 'simd'; default: relaxed where WebAssembly.validate accepts it */
  variant?: Variant;
  /** worker threads in total, the calling thread included (default: setNumThreads' value, else min(4, cores)) */
  threads?: number;
  /** use a shared memory (needed for threads and in-place storages); default where SharedArrayBuffer exists */
  shared?: boolean;
  /** place float32 CPU storages in the wasm memory (default true with a shared memory) */
  residentStorage?: boolean;
  /** maximum wasm memory in MiB (default 2048) */
  maxMemoryMB?: number;
}

let pending: Promise<void> | undefined;
let wantedThreads: number | undefined;
let registered = false;

function defaultThreads(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number } };
  const n = g.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, n));
}

/** True when this runtime has WebAssembly SIMD (the backend can start). */
export function isAvailable(): boolean {
  return simdSupported();
}

/** Whether `init` has finished and the wasm kernels are active. */
export function isReady(): boolean {
  return runtime() !== undefined;
}

/**
 * Starts the backend (once; later calls resolve at once unless options change the build).
 * Without WebAssembly SIMD it resolves and the reference kernels stay in use.
 */
export function init(opts: InitOptions = {}): Promise<void> {
  const rt = runtime();
  const rebuild = rt && ((opts.variant && opts.variant !== rt.variant) || (opts.shared !== undefined && opts.shared !== rt.shared));
  if (pending && !rebuild) {
    if (opts.threads !== undefined) setNumThreads(opts.threads);
    return pending.then(() => (opts.threads !== undefined ? runtime()?.ready().then(() => undefined) : undefined));
  }
  pending = start(opts);
  return pending;
}

async function start(opts: InitOptions): Promise<void> {
  if (!simdSupported()) return;
  const old = runtime();
  const rt = await WasmRuntime.create({
    ...(opts.variant ? { variant: opts.variant } : {}),
    ...(opts.shared !== undefined ? { shared: opts.shared } : {}),
    maxPages: Math.ceil(((opts.maxMemoryMB ?? 2048) * 1024 * 1024) / 65536),
  });
  if (old) {
    old.dispose();
    uninstallAllocator();
  }
  if (!registered) {
    registerAll();
    registered = true;
  }
  if (opts.residentStorage !== false) installAllocator(rt);
  setRuntime(rt);
  rt.setNumThreads(opts.threads ?? wantedThreads ?? defaultThreads());
  await rt.ready();
}

/** Stops the backend: the reference kernels run again, workers exit. */
export function shutdown(): void {
  const rt = runtime();
  if (!rt) return;
  uninstallAllocator();
  rt.dispose();
  setRuntime(undefined);
  pending = undefined;
}

/**
 * torch.setNumThreads: threads used by the wasm kernels, the calling thread included. Workers
 * start in the background; tasks use them once they are up. Without shared memory, 1.
 */
export function setNumThreads(n: number): void {
  wantedThreads = Math.max(1, Math.floor(n));
  runtime()?.setNumThreads(wantedThreads);
}

/** torch.getNumThreads */
export function getNumThreads(): number {
  return runtime()?.numThreads ?? wantedThreads ?? 1;
}

/** Resolves once the worker pool of the current thread count is running. */
export async function threadsReady(): Promise<void> {
  await runtime()?.ready();
}

/** Facts about the running backend (for benchmarks and bug reports). */
export function info(): { ready: boolean; variant?: Variant; shared?: boolean; threads: number; heapBytes?: number; heapPeakBytes?: number; memoryBytes?: number } {
  const rt = runtime();
  if (!rt) return { ready: false, threads: 1 };
  return { ready: true, variant: rt.variant, shared: rt.shared, threads: rt.activeThreads, heapBytes: rt.heap.used, heapPeakBytes: rt.heap.peak, memoryBytes: rt.memory.buffer.byteLength };
}

/**
 * Runs `run` (one inference) with a static memory plan kept under `key` (e.g. the model): the
 * first call records its allocations, later calls take them from one planned arena where
 * buffers alive at the same time never overlap (packages/ir/src/passes/memory_plan.ts).
 */
export function withMemoryPlan<T>(key: object, run: () => Promise<T> | T): Promise<T> {
  const rt = runtime();
  if (!rt) return Promise.resolve().then(run);
  return withMemoryPlanOn(rt, key, run);
}
export { lastMemoryPlan };

/** Resets the heap's peak counter (benchmarks measure peak memory per model). */
export function resetPeakMemory(): void {
  runtime()?.heap.resetPeak();
}

export { relaxedSimdSupported as hasRelaxedSimd, sharedMemorySupported as hasSharedMemory };

// loaders (jit.load, onnx.load) await backendsReady(): start the backend by default
onBackendsReady(() => init());
