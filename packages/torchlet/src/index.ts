/**
 * torchlet: PyTorch's eager API for JavaScript. `import * as torch from 'torchlet'` gives
 * `torch.tensor`, every registry op as `torch.<name>` (PyTorch's names and argument order,
 * keyword arguments as a trailing plain object), `torch.nn` (modules, `torch.nn.functional`,
 * `torch.nn.init`), dtypes as values and the memory helpers.
 */
import { isTensor, manualSeed } from '@torchlet/core';
import { trace as jitTrace } from '@torchlet/jit';
import { registerTracer } from '@torchlet/onnx';
import * as wasmBackend from '@torchlet/backend-wasm';
import * as webgpuBackend from '@torchlet/backend-webgpu';

// torch.add, torch.sum, torch.matmul, ...: generated from the op registry (tree-shakable)
export * from '@torchlet/core/functions';

export { Tensor, tensor, tidy, keep, memory, setLeakTracking, leakedStorages, OpError, isTensor } from '@torchlet/core';
export type { DType, DeviceType, TensorData, TensorOptions, PublicArray, MemoryInfo } from '@torchlet/core';

/** torch.nn: Module, Parameter, layers, `nn.functional`, `nn.init`. */
export * as nn from '@torchlet/nn';
/** torch.nn.functional, also reachable as `torch.F`. */
export { functional as F } from '@torchlet/nn';

/**
 * torch.backends.wasm: the WebAssembly SIMD kernels of the CPU device. `await
 * torch.backends.wasm.init()` starts them (torch.jit.load / torch.onnx.load do it by default);
 * until then, and where WebAssembly SIMD is missing, ops run the reference TypeScript kernels.
 */
export const backends = {
  wasm: {
    init: wasmBackend.init,
    isAvailable: wasmBackend.isAvailable,
    isReady: wasmBackend.isReady,
    info: wasmBackend.info,
    shutdown: wasmBackend.shutdown,
    threadsReady: wasmBackend.threadsReady,
    withMemoryPlan: wasmBackend.withMemoryPlan,
  },
  /**
   * torch.backends.webgpu: the 'webgpu' device. `await torch.backends.webgpu.init()` finds a GPU
   * (navigator.gpu, a GPUDevice passed as `{ device }`, or in Node the npm `webgpu` package) and
   * registers it; then `t.to('webgpu')` / `module.to('webgpu')` move there and
   * `await t.to('cpu')` reads back. See docs/webgpu-backend.md.
   */
  webgpu: {
    init: webgpuBackend.init,
    isAvailable: webgpuBackend.isAvailable,
    backend: webgpuBackend.backend,
  },
};

/**
 * torch.set_num_threads / torch.setNumThreads: threads of the wasm kernels (the calling thread
 * included; workers share the WebAssembly memory). One thread where SharedArrayBuffer is missing.
 */
export const setNumThreads = wasmBackend.setNumThreads;
export const set_num_threads = wasmBackend.setNumThreads;
/** torch.get_num_threads / torch.getNumThreads */
export const getNumThreads = wasmBackend.getNumThreads;
export const get_num_threads = wasmBackend.getNumThreads;

/** torch.jit: load TorchScript archives and torchlet graph files (`await torch.jit.load(bytes | path)`), trace JS model code (`await torch.jit.trace(model, inputs)`), save (`await torch.jit.save(traced)`), compile TorchScript source. */
export * as jit from '@torchlet/jit';
/** torch.onnx: load and run ONNX models (`await torch.onnx.load(bytes | path)`), export traced models (`await torch.onnx.export(model, inputs)`). */
export * as onnx from '@torchlet/onnx';
// torch.onnx.export traces functions and modules with torch.jit.trace
registerTracer((target, inputs) => jitTrace(target, inputs));

// ---- dtypes as values: torch.float32 === 'float32'
export const float32 = 'float32' as const;
export const float64 = 'float64' as const;
export const float16 = 'float16' as const;
export const int8 = 'int8' as const;
export const int16 = 'int16' as const;
export const int32 = 'int32' as const;
export const int64 = 'int64' as const;
export const uint8 = 'uint8' as const;
export const bool = 'bool' as const;
export const float = float32;
export const double = float64;
export const half = float16;
export const short = int16;
export const int = int32;
export const long = int64;

/** torch.is_tensor */
export const is_tensor = isTensor;

/**
 * torch.manual_seed / torch.manualSeed: seeds the default generator; random ops and nn
 * initialisation then draw PyTorch's values for the same seed.
 */
export { manualSeed };
export const manual_seed = manualSeed;

/**
 * torch.no_grad: runs `fn` and returns its result. torchlet has no autograd, so every
 * computation is already gradient-free; this exists so ported code keeps its structure.
 */
export function no_grad<T>(fn: () => T): T {
  return fn();
}
/** torch.inference_mode: same as `no_grad` (no autograd in torchlet). */
export function inference_mode<T>(fn: () => T): T {
  return fn();
}
