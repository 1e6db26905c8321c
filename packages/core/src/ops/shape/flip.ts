import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import { inferSameAsSelf } from '../../cpu/pointwise.js';
import { iota, separableGather, stridedCopy, wrapDim } from '../../cpu/shape_copy.js';
import { contiguousStrides } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

function flipDims(self: Tensor, dims: number[]): number[] {
  const ds = dims.map((d) => wrapDim(d, self.ndim));
  const seen = new Set<number>();
  for (const d of ds) {
    if (seen.has(d)) throw new RangeError(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return ds;
}

/** Reverses the order of elements along `dims` (a copy, as in PyTorch). */
export function flipInto(out: Tensor, self: Tensor, dims: number[]): void {
  let off = self.offset;
  const strides = [...self.strides];
  for (const d of dims) {
    if (self.ndim === 0) continue;
    off += (self.shape[d]! - 1) * strides[d]!;
    strides[d] = -strides[d]!;
  }
  if (self.numel() === 0) return;
  stridedCopy(out.hostArray, 0, contiguousStrides(self.shape), self.hostArray, off, strides, self.shape);
}

export const flip = defineOp({
  name: 'flip',
  overloads: [
    {
      schema: 'aten::flip(Tensor self, int[] dims) -> Tensor',
      infer: (a) => {
        flipDims(a.self, a.dims);
        return inferSameAsSelf(a);
      },
      cpu: (a, [out]) => flipInto(out!, a.self, flipDims(a.self, a.dims)),
    },
  ],
});

export const fliplr = defineOp({
  name: 'fliplr',
  overloads: [
    {
      schema: 'aten::fliplr(Tensor self) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        if ((a.self as Tensor).ndim < 2) throw new RangeError('Input must be >= 2-d.');
        return callOp('aten::flip', [a.self, [1]]);
      },
    },
  ],
});

export const flipud = defineOp({
  name: 'flipud',
  overloads: [
    {
      schema: 'aten::flipud(Tensor self) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        if ((a.self as Tensor).ndim < 1) throw new RangeError('Input must be >= 1-d.');
        return callOp('aten::flip', [a.self, [0]]);
      },
    },
  ],
});

function rollKernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const shifts = a.shifts as number[], dims = a.dims as number[];
  if (self.numel() === 0) return;
  const maps: ArrayLike<number>[] = self.shape.map((s) => iota(s));
  if (dims.length === 0) {
    // roll the flattened tensor
    const n = self.numel();
    const src = self.contiguousArray();
    const o = out!.hostArray;
    const sh = ((shifts[0]! % n) + n) % n;
    for (let i = 0; i < n; i++) o[(i + sh) % n] = src[i]!;
    return;
  }
  dims.forEach((d0, k) => {
    const d = wrapDim(d0, self.ndim);
    if (self.ndim === 0) return;
    const size = self.shape[d]!;
    const sh = ((shifts[k]! % size) + size) % size;
    const m = new Int32Array(size);
    const prev = maps[d]!;
    for (let i = 0; i < size; i++) m[i] = prev[(i - sh + size) % size]!;
    maps[d] = m;
  });
  if (self.ndim === 0) {
    out!.hostArray[0] = self.hostArray[self.offset]!;
    return;
  }
  separableGather(out!.hostArray, self.shape, self.hostArray, self.offset, self.strides, maps);
}

/** Rolls elements along `dims` by `shifts` (wrapping around); no dims rolls the flattened tensor. */
export const roll = defineOp({
  name: 'roll',
  overloads: [
    {
      schema: 'aten::roll(Tensor self, int[1] shifts, int[1] dims=[]) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor;
        const shifts = a.shifts as number[], dims = a.dims as number[];
        if (shifts.length === 0) throw new RangeError('`shifts` required');
        if (!(dims.length === 0 && shifts.length === 1) && shifts.length !== dims.length) {
          throw new RangeError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
        }
        for (const d of dims) wrapDim(d, self.ndim);
        return inferSameAsSelf(a);
      },
      cpu: rollKernel,
    },
  ],
});

/** Rotates by 90 degrees k times in the plane of `dims` (a flip plus a transposed view, as in PyTorch). */
export const rot90 = defineOp({
  name: 'rot90',
  overloads: [
    {
      schema: 'aten::rot90(Tensor self, int k=1, int[] dims=[0, 1]) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor;
        const dims = a.dims as number[];
        const n = self.ndim;
        if (dims.length !== 2) throw new RangeError(`expected total rotation dims == 2, but got dims = ${dims.length}`);
        if (n < 2) throw new RangeError(`expected total dims >= 2, but got total dims = ${n}`);
        if (dims[0] === dims[1] || Math.abs(dims[0]! - dims[1]!) === n) {
          throw new RangeError(`expected rotation dims to be different, but got dim0 = ${dims[0]} and dim1 = ${dims[1]}`);
        }
        if (dims[0]! >= n || dims[0]! < -n) throw new RangeError(`Rotation dim0 out of range, dim0 = ${dims[0]}`);
        if (dims[1]! >= n || dims[1]! < -n) throw new RangeError(`Rotation dim1 out of range, dim1 = ${dims[1]}`);
        const k = (4 + ((a.k as number) % 4)) % 4;
        if (k === 0) return callOp('aten::clone', [self]);
        if (k === 2) return callOp('aten::flip', [self, dims]);
        const f = callOp('aten::flip', [self, [k === 1 ? dims[1]! : dims[0]!]]) as Tensor;
        const r = callOp('aten::transpose', [f, dims[0], dims[1]]);
        f.dispose();
        return r;
      },
    },
  ],
});
