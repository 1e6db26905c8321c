import { defineOp, type ViewSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { transposeSpec } from './transpose.js';

function reversed(self: Tensor): ViewSpec {
  return { shape: [...self.shape].reverse(), strides: [...self.strides].reverse(), offset: self.offset };
}

function matrixT(self: Tensor, what: string): ViewSpec {
  if (self.ndim === 0) return { shape: [], strides: [], offset: self.offset };
  if (self.ndim < 2) throw new RangeError(`tensor.${what} is only supported on matrices or batches of matrices. Got ${self.ndim}-D tensor.`);
  return transposeSpec(self, -2, -1);
}

/** Transposes a matrix; 0-d and 1-d tensors are returned as they are. */
export const t = defineOp({
  name: 't',
  overloads: [
    {
      schema: 'aten::t(Tensor(a) self) -> Tensor(a)',
      view: (a) => {
        const self = a.self as Tensor;
        if (self.ndim > 2) throw new RangeError(`t() expects a tensor with <= 2 dimensions, but self is ${self.ndim}D`);
        return self.ndim < 2 ? { shape: [...self.shape], strides: [...self.strides], offset: self.offset } : transposeSpec(self, 0, 1);
      },
    },
  ],
});

/** `x.T` (a method in torchlet): all dims reversed. */
export const T = defineOp({
  name: 'T',
  variants: ['method'],
  overloads: [
    { schema: 'aten::numpy_T(Tensor(a) self) -> Tensor(a)', view: (a) => reversed(a.self) },
    { schema: 'aten::numpy_T.a(Tensor(a) self) -> Tensor(a)', view: (a) => reversed(a.self) },
  ],
});

/** `x.mT`: the last two dims swapped. */
export const mT = defineOp({
  name: 'mT',
  variants: ['method'],
  overloads: [
    { schema: 'aten::mT(Tensor(a) self) -> Tensor(a)', view: (a) => matrixT(a.self, 'mT') },
    { schema: 'aten::mT.a(Tensor(a) self) -> Tensor(a)', view: (a) => matrixT(a.self, 'mT') },
  ],
});

/** `x.mH`: the conjugate of mT, which is mT for torchlet's real dtypes. */
export const mH = defineOp({
  name: 'mH',
  variants: ['method'],
  overloads: [
    { schema: 'aten::mH(Tensor(a) self) -> Tensor(a)', view: (a) => matrixT(a.self, 'mH') },
    { schema: 'aten::mH.a(Tensor(a) self) -> Tensor(a)', view: (a) => matrixT(a.self, 'mH') },
  ],
});

export const adjoint = defineOp({
  name: 'adjoint',
  overloads: [{ schema: 'aten::adjoint(Tensor(a) self) -> Tensor(a)', view: (a) => matrixT(a.self, 'adjoint()') }],
});

/**
 * `x.H`: the conjugate transpose of a matrix (0-d and 2-d tensors only). PyTorch has no ATen op
 * for the property, so this is a torchlet-namespace schema.
 */
export const H = defineOp({
  name: 'H',
  variants: ['method'],
  overloads: [
    {
      schema: 'torchlet::H(Tensor(a) self) -> Tensor(a)',
      view: (a) => {
        const self = a.self as Tensor;
        if (self.ndim !== 0 && self.ndim !== 2) throw new RangeError(`tensor.H is only supported on matrices (2-D tensors). Got ${self.ndim}-D tensor.${self.ndim > 2 ? ' For batches of matrices, consider using tensor.mH' : ''}`);
        return reversed(self);
      },
    },
  ],
});
