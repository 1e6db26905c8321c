export * from './dtype.js';
export * from './shape.js';
export * from './schema.js';
export * from './registry.js';
export { Storage, memory, setLeakTracking, leakedStorages, setCpuAllocator, DEVICE_TYPES, type DeviceType, type MemoryInfo, type BackendBuffer, type CpuAllocator } from './storage.js';
export { Tensor, isTensor, isContiguous, type PublicArray } from './tensor.js';
export { setTensorReadHook, nextTensorId, type TensorReadHook, type TensorReadKind } from './tensor.js';
export { tidy, keep } from './scope.js';
export { registerBackend, getBackend, hasBackend, onBackendsReady, backendsReady, type Backend } from './backend.js';
export {
  getRegistry, callOp, runOverload, resolveOverload, bindArgs, splitKwargs, wrapScalar, copyInto, toDevice,
  setDispatchObserver, dispatchDepth, OpError, describeValue, type DispatchObserver,
} from './dispatch.js';
export { callFunction, callMethod, pythonIndex, functionTable, type OpArg } from './api.js';
export { tensor, type TensorData, type TensorOptions } from './creation.js';
export { manualSeed, defaultGenerator, MT19937 } from './random.js';
export { allOps, type OpName } from './ops/index.js';
export { markConstant, isConstantTensor } from './ops/fused/constants.js';
export * as functions from './functions.generated.js';
export * as nnFunctional from './nn_functional.generated.js';
