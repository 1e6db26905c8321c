import { defineOp } from '../../registry.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import { itemSize } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** A view with explicit sizes/strides/offset into self's storage (offsets count from the storage start). */
export const as_strided = defineOp({
  name: 'as_strided',
  overloads: [
    {
      schema: 'aten::as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a)',
      view: (a) => {
        const self = a.self as Tensor;
        const size = a.size as number[], stride = a.stride as number[];
        const offset = (a.storage_offset as number | null) ?? self.offset;
        if (size.length !== stride.length) throw new RangeError(`mismatch in length of strides and shape`);
        if (size.some((s) => s < 0)) throw new RangeError(`Trying to create tensor with negative dimension: [${size.join(', ')}]`);
        if (stride.some((s) => s < 0)) throw new RangeError(`as_strided: Negative strides are not supported at the moment, got strides: [${stride.join(', ')}]`);
        if (offset < 0) throw new RangeError(`Tensor: invalid storage offset ${offset}`);
        let need = 1;
        if (size.some((s) => s === 0)) need = 0;
        else for (let i = 0; i < size.length; i++) need += (size[i]! - 1) * stride[i]!;
        if (need > 0 && offset + need > self.storage.size) {
          const b = itemSize[self.dtype];
          throw new RangeError(
            `setStorage: sizes [${size.join(', ')}], strides [${stride.join(', ')}], storage offset ${offset}, and itemsize ${b} requiring a storage size of ${(offset + need) * b} are out of bounds for storage of size ${self.storage.size * b}`,
          );
        }
        return { shape: [...size], strides: [...stride], offset };
      },
    },
  ],
});

/** The diagonal (offset above/below the main one) of dims dim1/dim2, appended as the last dim. */
export const diagonal = defineOp({
  name: 'diagonal',
  overloads: [
    {
      schema: 'aten::diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)',
      view: (a) => diagonalSpec(a.self, a.offset, a.dim1, a.dim2),
    },
  ],
});

export function diagonalSpec(self: Pick<Tensor, 'shape' | 'strides' | 'offset' | 'ndim'>, offset: number, dim1: number, dim2: number) {
  const d1 = wrapDim(dim1, self.ndim, 'dim1'), d2 = wrapDim(dim2, self.ndim, 'dim2');
  if (d1 === d2) throw new RangeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const s1 = self.shape[d1]!, s2 = self.shape[d2]!;
  const n = Math.max(offset >= 0 ? Math.min(s1, s2 - offset) : Math.min(s1 + offset, s2), 0);
  let off = self.offset;
  if (n > 0) off += offset >= 0 ? offset * self.strides[d2]! : -offset * self.strides[d1]!;
  const shape: number[] = [], strides: number[] = [];
  for (let i = 0; i < self.ndim; i++) {
    if (i === d1 || i === d2) continue;
    shape.push(self.shape[i]!);
    strides.push(self.strides[i]!);
  }
  shape.push(n);
  strides.push(self.strides[d1]! + self.strides[d2]!);
  return { shape, strides, offset: off };
}

/** Tensor.unfold: sliding windows of `size` every `step` along `dimension`, as a new last dim. */
export const unfold = defineOp({
  name: 'unfold',
  variants: ['method'],
  overloads: [
    {
      schema: 'aten::unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)',
      view: (a) => {
        const self = a.self as Tensor;
        const d = wrapDim(a.dimension, self.ndim, 'dimension');
        const size = a.size as number, step = a.step as number;
        const max = self.ndim === 0 ? 1 : self.shape[d]!;
        if (size > max) throw new RangeError(`maximum size for tensor at dimension ${d} is ${max} but size is ${size}`);
        if (step <= 0) throw new RangeError(`step is ${step} but must be > 0`);
        if (size < 0) throw new RangeError(`size is ${size} but must be >= 0`);
        const shape: number[] = [], strides: number[] = [];
        for (let i = 0; i < self.ndim; i++) {
          if (i === d) {
            shape.push(Math.floor((self.shape[i]! - size) / step) + 1);
            strides.push(step * self.strides[i]!);
          } else {
            shape.push(self.shape[i]!);
            strides.push(self.strides[i]!);
          }
        }
        shape.push(size);
        strides.push(self.ndim === 0 ? 1 : self.strides[d]!);
        return { shape, strides, offset: self.offset };
      },
    },
  ],
});
