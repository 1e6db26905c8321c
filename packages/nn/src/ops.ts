import { Tensor, callOp, defaultGenerator, isFloating, type DType } from '@torchlet/core';
import { Parameter } from './parameter.js';

/** Runs a registry op by qualified name (`aten::linear`, `F::interpolate`) with positional args. */
export function op(name: string, ...args: unknown[]): Tensor {
  return callOp(name, args) as Tensor;
}
/** Same, with keyword arguments. */
export function opKw(name: string, args: unknown[], kwargs: Record<string, unknown>): Tensor {
  return callOp(name, args, kwargs) as Tensor;
}
/** An op returning a tuple. */
export function opTuple(name: string, ...args: unknown[]): Tensor[] {
  return callOp(name, args) as Tensor[];
}

/** A new uninitialised CPU parameter tensor (as `torch.empty`); the module's init fills it. */
export function emptyParam(shape: readonly number[], dtype: DType | string | null | undefined): Parameter {
  const dt = (dtype ?? 'float32') as DType;
  if (!isFloating(dt)) throw new TypeError(`only floating point parameters are supported, got dtype ${dt}`);
  return Parameter.adopt(Tensor.empty([...shape], dt));
}

/** A CPU tensor filled with `value` (buffers: running_var = ones, num_batches_tracked = 0). */
export function filled(shape: readonly number[], dtype: DType, value: number): Tensor {
  const t = Tensor.empty([...shape], dtype);
  t.hostArray.fill(value);
  return t;
}

export { defaultGenerator };
