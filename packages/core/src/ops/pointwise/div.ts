import { defineOp, type Args, type CpuKernel, type OutSpec } from '../../registry.js';
import { binary, checkIntDivisor, rounder, type Binary, type BinarySpec, type FastLoops, type Operand } from '../../cpu/pointwise_kernels.js';
import { divFloor, intDivFloor } from '../../cpu/pointwise_math.js';
import { isFloating, type DType } from '../../dtype.js';

/** x / y with rounding_mode None (true division), 'trunc' or 'floor', in the computation dtype. */
export function divFn(c: DType, mode: string | null): Binary {
  if (mode === null) return (x, y) => x / y;
  const r = rounder(c);
  if (mode === 'trunc') return isFloating(c) ? (x, y) => Math.trunc(r(x / y)) : (x, y) => Math.trunc(x / y);
  return isFloating(c) ? (x, y) => divFloor(x, y, r) : intDivFloor;
}

const DIV: FastLoops = {
  same: (A, ao, B, bo, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! / B[bo + i]!;
  },
  scalar: (A, ao, v, o, n) => {
    for (let i = 0; i < n; i++) o[i] = A[ao + i]! / v;
  },
};

function checkMode(mode: unknown): void {
  if (mode !== null && mode !== 'trunc' && mode !== 'floor') {
    throw new Error(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
  }
}

/** A division overload; `fixedMode` for floor_divide ('floor') and true_divide (null). */
export function divKernel(fixedMode?: string | null): { infer: (a: Args) => OutSpec; cpu: CpuKernel } {
  const modeOf = (a: Args): string | null => (fixedMode !== undefined ? fixedMode : ((a.rounding_mode as string | null | undefined) ?? null));
  const specFor = (mode: string | null): BinarySpec => ({
    kernel: mode === 'trunc' ? 'div_trunc_cpu' : 'div_floor_cpu',
    compute: mode === null ? 'float' : 'promote',
    noBool: mode !== null,
    f: (c) => divFn(c, mode),
    fast: () => (mode === null ? DIV : undefined),
  });
  const kernels = new Map<string | null, ReturnType<typeof binary>>();
  for (const m of [null, 'trunc', 'floor']) kernels.set(m, binary(specFor(m)));
  return {
    infer: (a) => {
      const mode = modeOf(a);
      checkMode(mode);
      return kernels.get(mode)!.infer(a);
    },
    cpu: (a, outs) => {
      const mode = modeOf(a);
      if (mode !== null) checkIntDivisor(a.other as Operand, outs[0]!.dtype);
      kernels.get(mode)!.cpu(a, outs);
    },
  };
}

const plain = divKernel(null);
const withMode = divKernel();

export const div = defineOp({
  name: 'div',
  aliases: ['divide'],
  inplace: true,
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::div.Tensor(Tensor self, Tensor other) -> Tensor', ...plain },
    { schema: 'aten::div.Scalar(Tensor self, Scalar other) -> Tensor', ...plain },
    { schema: 'aten::div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor', ...withMode },
    { schema: 'aten::div.Scalar_mode(Tensor self, Scalar other, *, str? rounding_mode) -> Tensor', ...withMode },
  ],
});
