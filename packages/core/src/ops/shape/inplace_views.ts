import { defineOp, type ViewSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { transposeSpec } from './transpose.js';
import { unsqueezeSpec } from './squeeze.js';
import { wrapDim } from '../../cpu/shape_copy.js';

/** In-place view ops change self's sizes/strides (the storage and offset stay). */
function restride(self: Tensor, v: ViewSpec): Tensor {
  self.shape.splice(0, self.shape.length, ...v.shape);
  self.strides.splice(0, self.strides.length, ...v.strides);
  return self;
}

function squeezed(self: Tensor, dim: number | null): ViewSpec {
  if (dim !== null) wrapDim(dim, self.ndim);
  const keep = self.shape.map((s, i) => (dim === null ? s !== 1 : i !== wrapDim(dim, self.ndim) || s !== 1));
  if (self.ndim === 0) return { shape: [], strides: [], offset: self.offset };
  return { shape: self.shape.filter((_, i) => keep[i]), strides: self.strides.filter((_, i) => keep[i]), offset: self.offset };
}

export const squeeze_ = defineOp({
  name: 'squeeze_',
  variants: ['method'],
  tags: ['inplace'],
  overloads: [
    { schema: 'aten::squeeze_(Tensor(a!) self) -> Tensor(a!)', cpuDynamic: (a) => restride(a.self, squeezed(a.self, null)) },
    { schema: 'aten::squeeze_.dim(Tensor(a!) self, int dim) -> Tensor(a!)', cpuDynamic: (a) => restride(a.self, squeezed(a.self, a.dim)) },
  ],
});

export const unsqueeze_ = defineOp({
  name: 'unsqueeze_',
  variants: ['method'],
  tags: ['inplace'],
  overloads: [{ schema: 'aten::unsqueeze_(Tensor(a!) self, int dim) -> Tensor(a!)', cpuDynamic: (a) => restride(a.self, unsqueezeSpec(a.self, a.dim)) }],
});

export const transpose_ = defineOp({
  name: 'transpose_',
  variants: ['method'],
  tags: ['inplace'],
  overloads: [{ schema: 'aten::transpose_(Tensor(a!) self, int dim0, int dim1) -> Tensor(a!)', cpuDynamic: (a) => restride(a.self, transposeSpec(a.self, a.dim0, a.dim1)) }],
});

export const t_ = defineOp({
  name: 't_',
  variants: ['method'],
  tags: ['inplace'],
  overloads: [
    {
      schema: 'aten::t_(Tensor(a!) self) -> Tensor(a!)',
      cpuDynamic: (a) => {
        const self = a.self as Tensor;
        if (self.ndim > 2) throw new RangeError(`t_() expects a tensor with <= 2 dimensions, but self is ${self.ndim}D`);
        return self.ndim < 2 ? self : restride(self, transposeSpec(self, 0, 1));
      },
    },
  ],
});

/** A view with the given sizes and strides at self's offset (what reshape lowers to in 1.13 graphs). */
export const _reshape_alias = defineOp({
  name: '_reshape_alias',
  variants: [],
  overloads: [
    {
      schema: 'aten::_reshape_alias(Tensor(a) self, SymInt[] size, SymInt[] stride) -> Tensor(a)',
      view: (a) => ({ shape: [...(a.size as number[])], strides: [...(a.stride as number[])], offset: (a.self as Tensor).offset }),
    },
  ],
});
