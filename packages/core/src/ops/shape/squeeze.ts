import { defineOp, type ViewSpec } from '../../registry.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

function squeezeSpec(self: Tensor, dims: number[] | null): ViewSpec {
  const shape: number[] = [], strides: number[] = [];
  const drop = new Set(dims === null ? self.shape.flatMap((s, i) => (s === 1 ? [i] : [])) : dims.map((d) => wrapDim(d, self.ndim)).filter((d) => self.ndim > 0 && self.shape[d] === 1));
  for (let i = 0; i < self.ndim; i++) {
    if (drop.has(i)) continue;
    shape.push(self.shape[i]!);
    strides.push(self.strides[i]!);
  }
  return { shape, strides, offset: self.offset };
}

/** Removes size-1 dims: all of them, or `dim` only when its size is 1. */
export const squeeze = defineOp({
  name: 'squeeze',
  overloads: [
    { schema: 'aten::squeeze(Tensor(a) self) -> Tensor(a)', view: (a) => squeezeSpec(a.self, null) },
    { schema: 'aten::squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)', view: (a) => squeezeSpec(a.self, [a.dim]) },
  ],
});

export function unsqueezeSpec(self: Pick<Tensor, 'shape' | 'strides' | 'offset' | 'ndim'>, dim: number): ViewSpec {
  const d = wrapDim(dim, self.ndim + 1);
  const shape = [...self.shape], strides = [...self.strides];
  const st = d >= self.ndim ? 1 : self.shape[d]! * self.strides[d]!;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, st);
  return { shape, strides, offset: self.offset };
}

export const unsqueeze = defineOp({
  name: 'unsqueeze',
  overloads: [{ schema: 'aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a)', view: (a) => unsqueezeSpec(a.self, a.dim) }],
});
