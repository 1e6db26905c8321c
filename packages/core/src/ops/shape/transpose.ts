import { defineOp, type ViewSpec } from '../../registry.js';
import { normalizeDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

export function transposeSpec(self: Tensor, d0: number, d1: number): ViewSpec {
  const a = normalizeDim(d0, self.ndim), b = normalizeDim(d1, self.ndim);
  const shape = [...self.shape], strides = [...self.strides];
  if (self.ndim > 0) {
    [shape[a], shape[b]] = [shape[b]!, shape[a]!];
    [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  }
  return { shape, strides, offset: self.offset };
}

export const transpose = defineOp({
  name: 'transpose',
  overloads: [{ schema: 'aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)', view: (a) => transposeSpec(a.self, a.dim0, a.dim1) }],
});
