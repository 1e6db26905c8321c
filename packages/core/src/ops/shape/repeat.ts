import { callOp } from '../../dispatch.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { separableGather, wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

function repeatShape(self: Tensor, repeats: number[]): number[] {
  if (repeats.length < self.ndim) throw new RangeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const pad = repeats.length - self.ndim;
  const shape = repeats.map((r, i) => (i < pad ? 1 : self.shape[i - pad]!) * r);
  if (shape.some((s) => s < 0)) throw new RangeError(`Trying to create tensor with negative dimension ${shape.find((s) => s < 0)}: [${shape.join(', ')}]`);
  return shape;
}

function repeatKernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const shape = out!.shape;
  const pad = shape.length - self.ndim;
  const strides = [...new Array<number>(pad).fill(0), ...self.strides];
  const maps = shape.map((s, d) => {
    const inSize = d < pad ? 1 : self.shape[d - pad]!;
    const m = new Int32Array(s);
    for (let i = 0; i < s; i++) m[i] = i % inSize;
    return m;
  });
  separableGather(out!.hostArray, shape, self.hostArray, self.offset, strides, maps);
}

/** Tiles the tensor `repeats[d]` times along each dim (extra leading repeats add dims). */
export const repeat = defineOp({
  name: 'repeat',
  variants: ['method'],
  overloads: [
    {
      schema: 'aten::repeat(Tensor self, SymInt[] repeats) -> Tensor',
      infer: (a) => ({ shape: repeatShape(a.self, a.repeats), dtype: (a.self as Tensor).dtype }),
      cpu: repeatKernel,
    },
  ],
});

/** numpy.tile: like repeat, but fewer dims than the tensor are padded with leading 1s. */
export const tile = defineOp({
  name: 'tile',
  overloads: [
    {
      schema: 'aten::tile(Tensor self, int[] dims) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor;
        const dims = a.dims as number[];
        const full = dims.length < self.ndim ? [...new Array<number>(self.ndim - dims.length).fill(1), ...dims] : dims;
        return callOp('aten::repeat', [self, full]);
      },
    },
  ],
});

/** The index tensor [0 x r0, 1 x r1, ...] of torch.repeat_interleave(repeats). */
function repeatsIndex(repeats: Tensor, outputSize: number | null): { shape: number[]; values: number[] } {
  if (repeats.ndim !== 1) throw new RangeError('repeat_interleave only accept 1D vector as repeat');
  if (repeats.dtype !== 'int64' && repeats.dtype !== 'int32') throw new TypeError(`repeats has to be Long or Int tensor`);
  const r = repeats.contiguousArray();
  const values: number[] = [];
  for (let i = 0; i < r.length; i++) {
    if (r[i]! < 0) throw new RangeError('repeats can not be negative');
    for (let k = 0; k < r[i]!; k++) values.push(i);
  }
  if (outputSize !== null && outputSize !== values.length) throw new RangeError(`allocated size does not match required size`);
  return { shape: [values.length], values };
}

function interleaveIndex(self: Tensor, repeats: Tensor | number, dim: number | null, outputSize: number | null): { input: Tensor; dim: number; index: number[] } {
  const input = dim === null ? (callOp('aten::reshape', [self, [-1]]) as Tensor) : self;
  const d = dim === null ? 0 : wrapDim(dim, self.ndim);
  const size = input.ndim === 0 ? 1 : input.shape[d]!;
  let reps: number[];
  if (typeof repeats === 'number') {
    if (repeats < 0) throw new RangeError('repeats can not be negative');
    reps = new Array<number>(size).fill(repeats);
  } else {
    if (repeats.ndim > 1) throw new RangeError('repeats must be 0-dim or 1-dim tensor');
    if (repeats.isFloatingPoint || repeats.dtype === 'bool') throw new TypeError('repeats has to be Long or Int tensor');
    const r = Array.from(repeats.contiguousArray());
    if (r.length === 1) reps = new Array<number>(size).fill(r[0]!);
    else if (r.length !== size) throw new RangeError('repeats must have the same size as input along dim');
    else reps = r;
  }
  const index: number[] = [];
  reps.forEach((n, i) => {
    if (n < 0) throw new RangeError('repeats can not be negative');
    for (let k = 0; k < n; k++) index.push(i);
  });
  if (outputSize !== null && outputSize !== index.length) throw new RangeError('allocated size does not match required size');
  return { input, dim: d, index };
}

function interleaveInfer(a: Args): OutSpec {
  const self = a.self as Tensor;
  const g = interleaveIndex(self, a.repeats, a.dim, a.output_size);
  const shape = g.input.ndim === 0 ? [g.index.length] : [...g.input.shape];
  shape[g.dim] = g.index.length;
  if (g.input !== self) g.input.dispose();
  return { shape, dtype: self.dtype };
}

function interleaveKernel(a: Args, [out]: Tensor[]): void {
  const self = a.self as Tensor;
  const g = interleaveIndex(self, a.repeats, a.dim, a.output_size);
  const x = g.input;
  const shape = out!.shape;
  const srcStrides = x.ndim === 0 ? [0] : x.strides;
  const maps = shape.map((s, d) => (d === g.dim ? g.index : Int32Array.from({ length: s }, (_, i) => i)));
  separableGather(out!.hostArray, shape, x.hostArray, x.offset, srcStrides, maps);
  if (x !== self) x.dispose();
}

/** Repeats each element (or each slice along `dim`) `repeats` times, in place of interleaving. */
export const repeat_interleave = defineOp({
  name: 'repeat_interleave',
  overloads: [
    { schema: 'aten::repeat_interleave.self_Tensor(Tensor self, Tensor repeats, int? dim=None, *, int? output_size=None) -> Tensor', infer: interleaveInfer, cpu: interleaveKernel },
    { schema: 'aten::repeat_interleave.self_int(Tensor self, int repeats, int? dim=None, *, int? output_size=None) -> Tensor', infer: interleaveInfer, cpu: interleaveKernel },
    {
      schema: 'aten::repeat_interleave.Tensor(Tensor repeats, *, int? output_size=None) -> Tensor',
      infer: (a) => ({ shape: repeatsIndex(a.repeats, a.output_size).shape, dtype: (a.repeats as Tensor).dtype }),
      cpu: (a, [out]) => out!.hostArray.set(repeatsIndex(a.repeats, a.output_size).values),
    },
  ],
});
