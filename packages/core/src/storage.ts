import type { DType, StorageArray } from './dtype.js';
import { storageArrayCtor } from './dtype.js';

export type DeviceType = 'cpu' | 'wasm' | 'webgpu';
export const DEVICE_TYPES: readonly DeviceType[] = ['cpu', 'wasm', 'webgpu'];

/**
 * A backend's memory. CPU storages hold a typed array; the wasm and WebGPU backends keep buffers
 * that the garbage collector cannot free, so every storage is refcounted and released explicitly.
 */
export interface BackendBuffer {
  /** called once when the last reference goes */
  release(): void;
}

/**
 * Where new CPU storages live: by default fresh typed arrays. A backend may place them elsewhere
 * (the wasm backend puts float32 storages inside its WebAssembly memory so its kernels read and
 * write them in place): it returns an array of `size` elements (zero-filled unless `zeroed` is
 * false: the caller then writes every element) and a buffer whose `release()` frees it, or
 * undefined to use a plain array.
 */
export type CpuAllocator = (dtype: DType, size: number, zeroed: boolean) => { array: StorageArray; buffer: BackendBuffer } | undefined;
let cpuAllocator: CpuAllocator | undefined;

/** Installs (or with `undefined` removes) the CPU storage allocator; returns the previous one. */
export function setCpuAllocator(a: CpuAllocator | undefined): CpuAllocator | undefined {
  const prev = cpuAllocator;
  cpuAllocator = a;
  return prev;
}

let liveStorages = 0;
let liveBytes = 0;
const liveSet = new Set<Storage>();
let trackLeaks = false;

export class Storage {
  private refs = 1;
  constructor(
    readonly device: DeviceType,
    readonly dtype: DType,
    /** elements */
    readonly size: number,
    /** host array for CPU storages (and host mirrors) */
    public array: StorageArray | undefined,
    public buffer: BackendBuffer | undefined = undefined,
  ) {
    liveStorages++;
    liveBytes += size * (array ? array.BYTES_PER_ELEMENT : 4);
    if (trackLeaks) liveSet.add(this);
  }

  /** A new CPU storage; `zeroed: false` allows uninitialised memory (the caller writes every element). */
  static cpu(dtype: DType, size: number, zeroed = true): Storage {
    const placed = cpuAllocator?.(dtype, size, zeroed);
    if (placed) return new Storage('cpu', dtype, size, placed.array, placed.buffer);
    return new Storage('cpu', dtype, size, new storageArrayCtor[dtype](size));
  }

  get released(): boolean {
    return this.refs <= 0;
  }

  retain(): this {
    if (this.refs <= 0) throw new Error('use of a disposed tensor storage');
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) {
      liveStorages--;
      liveBytes -= this.size * (this.array ? this.array.BYTES_PER_ELEMENT : 4);
      liveSet.delete(this);
      this.buffer?.release();
      this.array = undefined;
      this.buffer = undefined;
    }
  }
}

export interface MemoryInfo {
  storages: number;
  bytes: number;
}

/** Live (not yet released) storages on every device. */
export function memory(): MemoryInfo {
  return { storages: liveStorages, bytes: liveBytes };
}

/** Debug leak check: records storages created while enabled so `leakedStorages()` can list them. */
export function setLeakTracking(on: boolean): void {
  trackLeaks = on;
  if (!on) liveSet.clear();
}
export function leakedStorages(): Storage[] {
  return [...liveSet];
}
