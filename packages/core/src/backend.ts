import type { DType, StorageArray } from './dtype.js';
import type { Storage, DeviceType } from './storage.js';
import type { Tensor } from './tensor.js';

/**
 * What a non-CPU device provides. Kernels are attached per op overload with `registerKernel`;
 * shapes and dtypes always come from the registry's `infer`, never from the backend.
 */
export interface Backend {
  readonly device: DeviceType;
  allocate(dtype: DType, size: number): Storage;
  /** row-major host copy of a tensor on this device */
  read(t: Tensor): Promise<StorageArray>;
  /** moves a CPU tensor's elements onto this device */
  upload(t: Tensor): Tensor;
}

const backends = new Map<DeviceType, Backend>();

export function registerBackend(b: Backend): void {
  backends.set(b.device, b);
}

export function getBackend(device: DeviceType): Backend {
  const b = backends.get(device);
  if (!b) throw new Error(`device '${device}' is not available: load its backend first (e.g. await torch.backends.${device}.init())`);
  return b;
}

export function hasBackend(device: DeviceType): boolean {
  return device === 'cpu' || backends.has(device);
}

const readyHooks: (() => Promise<void>)[] = [];

/**
 * Registers an asynchronous backend initialisation (e.g. compiling the WebAssembly kernels) that
 * `backendsReady()` awaits. Loaders await `backendsReady()` before running models.
 */
export function onBackendsReady(hook: () => Promise<void>): void {
  readyHooks.push(hook);
}

/** Resolves when every registered backend initialisation has finished (at once when there are none). */
export async function backendsReady(): Promise<void> {
  if (readyHooks.length) await Promise.all(readyHooks.map((h) => h()));
}
