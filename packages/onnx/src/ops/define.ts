import { callOp, tidy, Tensor, type Args, type DType, type OpDecl, defineOp } from '@torchlet/core';
import { ONNX_DTYPE_NAMES, ONNX_DTYPES } from '../proto.js';

/**
 * ONNX operators are registry ops in the `onnx::` namespace. Inputs come first (Tensor, Tensor?
 * for optional inputs, Tensor[] for variadic ones); attributes are keyword-only arguments named
 * as in the ONNX spec. Each is a decomposition into ATen registry ops: ONNX never gets kernels
 * of its own.
 */
export function onnxOp(opType: string, signature: string, returns: string, impl: (a: Args) => unknown): OpDecl {
  return defineOp({
    name: `onnx_${opType}`,
    variants: [],
    overloads: [{ schema: `onnx::${opType}(${signature}) -> ${returns}`, tags: ['composite'], decompose: (a) => tidy(() => impl(a)) }],
  });
}

/** callOp with a trailing kwargs object, like the eager API. */
export function op<T = Tensor>(name: string, ...args: unknown[]): T {
  const last = args[args.length - 1];
  if (args.length && last && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype) {
    return callOp(name, args.slice(0, -1), last as Record<string, unknown>) as T;
  }
  return callOp(name, args) as T;
}

/** Reads a small integer tensor (shapes, axes, pads) into numbers. */
export function ints(t: Tensor | null | undefined): number[] {
  if (!t) return [];
  return Array.from(t.contiguousArray(), Number);
}
export function scalar(t: Tensor): number {
  return Number(t.contiguousArray()[0]);
}

export function onnxDType(code: number, what: string): DType {
  const d = ONNX_DTYPES[code];
  if (!d) throw new Error(`${what}: ONNX data type ${ONNX_DTYPE_NAMES[code] ?? code} is not supported by torchlet`);
  return d;
}

export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export function cast(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : op('aten::_to_copy', t, { dtype });
}
