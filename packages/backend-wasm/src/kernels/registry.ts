/**
 * Attaching wasm kernels to registry overloads (device 'cpu'). Each kernel may decline a call
 * (a dtype, layout or size it does not cover, or the backend being off) by returning false; the
 * op's reference kernel then runs. Kernels never compute shapes: outputs come from `infer`.
 */
import { getRegistry, type Args, type Tensor } from '@torchlet/core';
import { runtime, Scratch } from '../context.js';
import type { WasmRuntime } from '../runtime.js';

export type WasmKernel = (rt: WasmRuntime, s: Scratch, args: Args, outs: Tensor[]) => boolean;

const state = {
  enabled: true,
  /** problems smaller than this many multiply-adds (or elements) run the reference kernel */
  minWork: 2048,
};
const calls = new Map<string, number>();
const times = new Map<string, number>();
let profiling = false;

/** Records the time spent in each overload's wasm kernel (see `kernelTimes`). */
export function setProfiling(on: boolean): void {
  profiling = on;
  times.clear();
}
/** Milliseconds spent per overload since `setProfiling(true)`. */
export function kernelTimes(): ReadonlyMap<string, number> {
  return times;
}
const registered = new Set<string>();

/** Turns the wasm kernels on or off (off: every op runs its reference kernel). */
export function setKernelsEnabled(on: boolean): void {
  state.enabled = on;
}
export function kernelsEnabled(): boolean {
  return state.enabled;
}
/** Work below which the reference kernels run (tests set 0 to exercise the wasm kernels on tiny shapes). */
export function setMinWork(n: number): void {
  state.minWork = n;
}
export function minWork(): number {
  return state.minWork;
}

/** How often each overload ran on the wasm kernels (for tests and benchmarks). */
export function kernelCalls(): ReadonlyMap<string, number> {
  return calls;
}
export function resetKernelCalls(): void {
  calls.clear();
}
/** Overload keys with a wasm kernel. */
export function wasmKernelKeys(): string[] {
  return [...registered];
}

export function register(key: string, k: WasmKernel): void {
  const reg = getRegistry();
  const ov = reg.overload(key);
  if (!ov) return;
  const ref = ov.decl.cpu;
  if (!ref) throw new Error(`wasm backend: ${key} has no reference kernel to fall back to`);
  registered.add(key);
  // outputs arrive uninitialised (writesOutputs): every wasm kernel writes all of them, and the
  // reference kernels get zero-filled ones
  reg.registerKernel(key, 'cpu', (args, outs) => {
    const rt = runtime();
    if (rt && state.enabled) {
      const t0 = profiling ? performance.now() : 0;
      const s = new Scratch(rt);
      let ok = false;
      try {
        ok = k(rt, s, args, outs);
        if (ok) s.finish();
      } finally {
        if (!ok) s.free();
      }
      if (ok) {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        if (profiling) times.set(key, (times.get(key) ?? 0) + performance.now() - t0);
        return;
      }
    }
    for (const o of outs) if (rt?.owns(o.hostArray)) o.hostArray.fill(0);
    ref(args, outs);
  }, { writesOutputs: true });
}

export function isF32(...ts: (Tensor | null | undefined)[]): boolean {
  for (const t of ts) if (t && t.dtype !== 'float32') return false;
  return true;
}
