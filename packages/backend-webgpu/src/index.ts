/// <reference types="@webgpu/types" />
/**
 * @torchlet/backend-webgpu: the 'webgpu' device. `await init()` finds a GPU (a given GPUDevice,
 * `navigator.gpu`, or in Node the npm `webgpu` package), registers the backend with core and
 * attaches the GPU kernels to the op registry. Then `t.to('webgpu')` uploads, ops on webgpu
 * tensors record GPU work, and `await t.data()` / `await t.to('cpu')` read back.
 */
import { registerBackend } from '@torchlet/core';
import { WebGPUBackend, type WebGPUBackendOptions } from './backend.js';
import { registerKernels, registeredKeys } from './kernels/register.js';

export { WebGPUBackend, GpuBuffer, gpuBufferOf, type WebGPUBackendOptions } from './backend.js';
export { BufferPool, bucketSize, type PoolStats } from './pool.js';
export { ShaderHelper, UniformLayout, coalesce, broadcastView, storageType, type Program, type ProgramBinding, type UniformEntry, type View, type WgslType } from './program.js';
export { registeredKeys };

export interface WebGPUInitOptions extends WebGPUBackendOptions {
  /** use this device instead of requesting one */
  device?: GPUDevice;
  /** a GPU object to request the adapter from (default: navigator.gpu, or the npm `webgpu` package in Node) */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
}

let current: WebGPUBackend | undefined;
let pending: Promise<WebGPUBackend> | undefined;
// the npm `webgpu` GPU object: it must stay referenced for the device's lifetime (Dawn crashes
// when it is garbage-collected while a device is alive)
let nodeGpu: GPU | undefined;

/** The initialised backend, if any. */
export function backend(): WebGPUBackend | undefined {
  return current;
}

async function findGpu(): Promise<GPU | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (nodeGpu) return nodeGpu;
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  if (!isNode) return undefined;
  try {
    const name = 'webgpu';
    const mod = (await import(/* @vite-ignore */ name)) as { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    nodeGpu = mod.create([]);
    return nodeGpu;
  } catch {
    return undefined;
  }
}

/** Requests a device with the adapter's larger buffer and workgroup limits. */
async function requestDevice(gpu: GPU, options: WebGPUInitOptions): Promise<GPUDevice | undefined> {
  const adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined);
  if (!adapter) return undefined;
  const l = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
  };
  return adapter.requestDevice({ requiredLimits });
}

/** Whether a WebGPU adapter can be found here (without initialising the backend). */
export async function isAvailable(): Promise<boolean> {
  if (current) return true;
  const gpu = await findGpu();
  if (!gpu) return false;
  return (await gpu.requestAdapter()) !== null;
}

/**
 * Initialises the webgpu device (once; later calls return the same backend unless a new
 * `device` is passed). Throws when no WebGPU adapter is available.
 */
export function init(options: WebGPUInitOptions = {}): Promise<WebGPUBackend> {
  if (current && !options.device) return Promise.resolve(current);
  if (pending && !options.device) return pending;
  const p = (async () => {
    let device = options.device;
    if (!device) {
      const gpu = options.gpu ?? (await findGpu());
      if (!gpu) throw new Error('WebGPU is not available: no navigator.gpu, and the npm package `webgpu` could not be loaded');
      device = await requestDevice(gpu, options);
      if (!device) throw new Error('WebGPU is not available: requestAdapter() returned null (no usable GPU or driver)');
    }
    const be = new WebGPUBackend(device, options);
    registerKernels(be);
    registerBackend(be);
    current = be;
    return be;
  })();
  pending = p;
  p.catch(() => {
    if (pending === p) pending = undefined;
  });
  return p;
}
