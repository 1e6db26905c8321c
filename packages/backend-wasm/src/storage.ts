/**
 * Places float32 CPU storages inside the WebAssembly memory (through core's `setCpuAllocator`),
 * so wasm kernels read their inputs and write their outputs in place instead of copying them in
 * and out. Only with a shared memory: an unshared memory's buffer is detached when it grows,
 * which would invalidate the typed arrays over it.
 *
 * A placed storage is a Float32Array over the memory; `Storage.release()` (tensor.dispose(),
 * the IR interpreter's liveness) frees its block at once, and a storage that is never released
 * is freed when its array is garbage collected. Small storages (under 256 elements) stay plain
 * arrays: copying them costs less than managing blocks.
 */
import { setCpuAllocator, type BackendBuffer, type CpuAllocator, type DType } from '@torchlet/core';
import { arenaAlloc } from './arena.js';
import type { WasmRuntime } from './runtime.js';

const MIN_ELEMENTS = 256;

interface Block extends BackendBuffer {
  ptr: number;
  done: boolean;
  free: () => void;
}

export function installAllocator(rt: WasmRuntime): CpuAllocator | undefined {
  if (!rt.shared) return undefined;
  const registry = new FinalizationRegistry<Block>((b) => {
    if (!b.done) {
      b.done = true;
      b.free();
    }
  });
  const alloc: CpuAllocator = (dtype: DType, size: number, zeroed: boolean) => {
    if (dtype !== 'float32' || size < MIN_ELEMENTS) return undefined;
    // a planned run's arena, else the heap
    const placed = arenaAlloc(rt, size * 4 + 16);
    const ptr = placed ? placed.ptr : rt.heap.tryAlloc(size * 4 + 16);
    if (ptr === undefined) return undefined;
    const free = placed ? placed.release : (): void => rt.heap.release(ptr);
    const array = new Float32Array(rt.memory.buffer, ptr, size);
    if (zeroed) array.fill(0);
    const block: Block = {
      ptr,
      done: false,
      free,
      release() {
        if (this.done) return;
        this.done = true;
        registry.unregister(this);
        free();
      },
    };
    registry.register(array, block, block);
    return { array, buffer: block };
  };
  setCpuAllocator(alloc);
  return alloc;
}

export function uninstallAllocator(): void {
  setCpuAllocator(undefined);
}
