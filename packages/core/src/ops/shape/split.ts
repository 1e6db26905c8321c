import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

const narrow = (t: Tensor, dim: number, start: number, length: number): Tensor => callOp('aten::narrow', [t, dim, start, length]) as Tensor;
const slice = (t: Tensor, dim: number, start: number, end: number): Tensor => callOp('aten::slice', [t, dim, start, end, 1]) as Tensor;

/** Views of `self` of `splitSize` along `dim` (the last one may be smaller). */
export function splitBySize(self: Tensor, splitSize: number, dim: number): Tensor[] {
  if (self.ndim === 0) throw new RangeError('split expects at least a 1-dimensional tensor');
  if (splitSize < 0) throw new RangeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
  const d = wrapDim(dim, self.ndim);
  const dimSize = self.shape[d]!;
  if (splitSize === 0 && dimSize !== 0) throw new RangeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${dimSize}`);
  const n = splitSize === 0 ? 1 : Math.max(Math.ceil(dimSize / splitSize), 1);
  const lastSize = splitSize - (splitSize * n - dimSize);
  const out: Tensor[] = [];
  for (let i = 0; i < n; i++) out.push(narrow(self, d, i * splitSize, i < n - 1 ? splitSize : lastSize));
  return out;
}

export function splitWithSizes(self: Tensor, sizes: number[], dim: number): Tensor[] {
  if (self.ndim === 0) throw new RangeError('split expects at least a 1-dimensional tensor');
  const d = wrapDim(dim, self.ndim);
  const dimSize = self.shape[d]!;
  if (sizes.some((s) => s < 0)) throw new RangeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[${sizes.join(', ')}]`);
  const total = sizes.reduce((x, y) => x + y, 0);
  if (total !== dimSize) {
    throw new RangeError(`split_with_sizes expects split_sizes to sum exactly to ${dimSize} (input tensor's size at dimension ${dim}), but got split_sizes=[${sizes.join(', ')}]`);
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(narrow(self, d, start, s));
    start += s;
  }
  return out;
}

/**
 * torch.split / Tensor.split: an int splits into equal chunks of that size, a list into chunks of
 * those sizes (Python's `torch.split(t, [1, 3, 1])`). Returns views.
 */
export const split = defineOp({
  name: 'split',
  overloads: [
    { schema: 'aten::split.Tensor(Tensor(a -> *) self, int split_size, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => splitBySize(a.self, a.split_size, a.dim) },
    { schema: 'aten::split.sizes(Tensor(a -> *) self, int[] split_size, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => splitWithSizes(a.self, a.split_size, a.dim) },
    { schema: 'aten::split(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => splitWithSizes(a.self, a.split_sizes, a.dim) },
  ],
});

export const split_with_sizes = defineOp({
  name: 'split_with_sizes',
  overloads: [
    { schema: 'aten::split_with_sizes(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => splitWithSizes(a.self, a.split_sizes, a.dim) },
  ],
});

export const unsafe_split = defineOp({
  name: 'unsafe_split',
  overloads: [{ schema: 'aten::unsafe_split.Tensor(Tensor self, int split_size, int dim=0) -> Tensor[]', tags: ['composite'], decompose: (a) => splitBySize(a.self, a.split_size, a.dim) }],
});

function chunkImpl(self: Tensor, chunks: number, dim: number): Tensor[] {
  if (self.ndim === 0) throw new RangeError('chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = wrapDim(dim, self.ndim);
  const dimSize = self.shape[d]!;
  const splitSize = Math.ceil(dimSize / chunks);
  if (splitSize === 0 && dimSize === 0) {
    const sizes = new Array<number>(chunks).fill(0);
    return splitWithSizes(self, sizes, d);
  }
  return splitBySize(self, splitSize, d);
}

export const chunk = defineOp({
  name: 'chunk',
  overloads: [{ schema: 'aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => chunkImpl(a.self, a.chunks, a.dim) }],
});

export const unsafe_chunk = defineOp({
  name: 'unsafe_chunk',
  overloads: [{ schema: 'aten::unsafe_chunk(Tensor self, int chunks, int dim=0) -> Tensor[]', tags: ['composite'], decompose: (a) => chunkImpl(a.self, a.chunks, a.dim) }],
});

function tensorSplitSections(self: Tensor, sections: number, dim: number): Tensor[] {
  if (self.ndim === 0) throw new RangeError(`tensor_split expected at least a 1-dimensional tensor, but got a tensor with ${self.ndim} dims`);
  if (sections <= 0) throw new RangeError(`number of sections must be larger than 0, got ${sections}`);
  const d = wrapDim(dim, self.ndim);
  const size = self.shape[d]!;
  const min = Math.floor(size / sections), extra = size % sections;
  const out: Tensor[] = [];
  let start = 0;
  for (let i = 0; i < sections; i++) {
    const end = start + (i < extra ? min + 1 : min);
    out.push(slice(self, d, start, end));
    start = end;
  }
  return out;
}

function tensorSplitIndices(self: Tensor, indices: number[], dim: number): Tensor[] {
  if (self.ndim === 0) throw new RangeError(`tensor_split expected at least a 1-dimensional tensor, but got a tensor with ${self.ndim} dims`);
  const d = wrapDim(dim, self.ndim);
  const out: Tensor[] = [];
  let start = 0;
  for (const end of indices) {
    out.push(slice(self, d, start, end));
    start = end;
  }
  out.push(slice(self, d, start, self.shape[d]!));
  return out;
}

function tensorSplitTensor(a: Args): Tensor[] {
  const self = a.self as Tensor, t = a.tensor_indices_or_sections as Tensor;
  if (t.dtype !== 'int64') throw new TypeError(`tensor_split expected tensor_indices_or_sections to have dtype of long, but got ${t.dtype}`);
  if (t.ndim > 1) throw new RangeError(`tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with ${t.ndim} dims`);
  const v = Array.from(t.contiguousArray());
  return t.ndim === 0 ? tensorSplitSections(self, v[0]!, a.dim) : tensorSplitIndices(self, v, a.dim);
}

/** Splits into `sections` nearly equal parts, or at the given indices. Returns views. */
export const tensor_split = defineOp({
  name: 'tensor_split',
  overloads: [
    { schema: 'aten::tensor_split.sections(Tensor(a -> *) self, int sections, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => tensorSplitSections(a.self, a.sections, a.dim) },
    { schema: 'aten::tensor_split.indices(Tensor(a -> *) self, int[] indices, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: (a) => tensorSplitIndices(a.self, a.indices, a.dim) },
    { schema: 'aten::tensor_split.tensor_indices_or_sections(Tensor(a -> *) self, Tensor tensor_indices_or_sections, int dim=0) -> Tensor(a)[]', tags: ['composite'], decompose: tensorSplitTensor },
  ],
});

function dirSplit(name: 'hsplit' | 'vsplit' | 'dsplit') {
  const minDim = name === 'hsplit' ? 1 : name === 'vsplit' ? 2 : 3;
  const dimOf = (t: Tensor): number => (name === 'hsplit' ? (t.ndim === 1 ? 0 : 1) : name === 'vsplit' ? 0 : 2);
  const check = (t: Tensor): void => {
    if (t.ndim < minDim) throw new RangeError(`torch.${name} requires a tensor with at least ${minDim} dimension, but got a tensor with ${t.ndim} dimensions!`);
  };
  return defineOp({
    name,
    overloads: [
      {
        schema: `aten::${name}.int(Tensor(a -> *) self, int sections) -> Tensor(a)[]`,
        tags: ['composite'],
        decompose: (a: Args) => {
          const self = a.self as Tensor;
          check(self);
          const dim = dimOf(self), n = a.sections as number;
          if (n === 0 || self.shape[dim]! % n !== 0) {
            throw new RangeError(`torch.${name} attempted to split along dimension ${dim}, but the size of the dimension ${self.shape[dim]} is not divisible by the split_size ${n}!`);
          }
          return tensorSplitSections(self, n, dim);
        },
      },
      {
        schema: `aten::${name}.array(Tensor(a -> *) self, int[] indices) -> Tensor(a)[]`,
        tags: ['composite'],
        decompose: (a: Args) => {
          const self = a.self as Tensor;
          check(self);
          return tensorSplitIndices(self, a.indices, dimOf(self));
        },
      },
    ],
  });
}
export const hsplit = dirSplit('hsplit');
export const vsplit = dirSplit('vsplit');
export const dsplit = dirSplit('dsplit');

/** Views of each slice along `dim`. */
export const unbind = defineOp({
  name: 'unbind',
  overloads: [
    {
      schema: 'aten::unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor;
        if (self.ndim === 0) throw new RangeError('Dimension specified as 0 but tensor has no dimensions');
        const d = wrapDim(a.dim, self.ndim);
        const out: Tensor[] = [];
        for (let i = 0; i < self.shape[d]!; i++) out.push(callOp('aten::select', [self, d, i]) as Tensor);
        return out;
      },
    },
  ],
});
