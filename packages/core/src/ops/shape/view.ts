import { defineOp, type ViewSpec } from '../../registry.js';
import { inferSize, numel } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

/**
 * Strides for viewing `t` as `shape` without copying, or undefined when the memory layout does
 * not allow it (PyTorch's computeStride).
 */
export function viewStrides(t: Pick<Tensor, 'shape' | 'strides'>, shape: readonly number[]): number[] | undefined {
  const oldShape = t.shape.length ? t.shape : [1], oldStrides = t.strides.length ? t.strides : [1];
  const n = numel(oldShape);
  const newStrides = new Array<number>(shape.length).fill(1);
  if (n === 0) {
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      newStrides[i] = s;
      s *= Math.max(shape[i]!, 1);
    }
    return newStrides;
  }
  let viewD = shape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorNumel = 1, viewNumel = 1;
  for (let tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldShape[tensorD]!;
    if (tensorD === 0 || (oldShape[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= shape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return undefined;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return undefined;
  return newStrides;
}

export function viewSpec(self: Tensor, size: readonly number[], op = 'view'): ViewSpec {
  const shape = inferSize(size, self.numel(), op);
  const strides = viewStrides(self, shape);
  if (!strides) {
    throw new Error(`view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.`);
  }
  return { shape, strides, offset: self.offset };
}

export const view = defineOp({
  name: 'view',
  variants: ['method'],
  overloads: [{ schema: 'aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a)', view: (a) => viewSpec(a.self, a.size) }],
});
