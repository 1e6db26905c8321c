import { callOp } from '../../dispatch.js';
import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { castFn, reduceDims, reduceLayout, scalarTypeName } from '../../cpu/reduce_core.js';
import { softmaxLanes } from '../../cpu/reduce_softmax.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

type Kind = 'softmax' | 'log_softmax' | 'softmin';

/** The dim that torch.nn.functional picks when `dim=None` (_get_softmax_dim, with its deprecation). */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

function outDtype(kind: Kind, self: Tensor, dim: number, dtype: DType | null): DType {
  const d = dtype ?? self.dtype;
  if (!isFloating(d)) {
    // ATen's kernel names: (log_)softmax_lastdim_kernel_impl, and softmax_kernel_impl for other dims
    const last = self.ndim === 0 || dim === -1 || dim === self.ndim - 1;
    const k = last ? `${kind === 'log_softmax' ? 'log_softmax' : 'softmax'}_lastdim` : 'softmax';
    throw new TypeError(`"${k}_kernel_impl" not implemented for '${scalarTypeName(d)}'`);
  }
  return d;
}

/** Kernel for (self, dim[, dtype]) with an optional conversion of the input to `dtype` first. */
export function softmaxKernel(kind: Kind) {
  return (a: Args, [out]: Tensor[]): void => {
    const self = a.self as Tensor;
    const dim = (a.dim as number | null) ?? implicitSoftmaxDim(self.ndim);
    const L = reduceLayout(self, reduceDims(self, dim), castFn(self.dtype, (a.dtype as DType | null) ?? null));
    softmaxLanes(L, out!.hostArray, kind === 'log_softmax', kind === 'softmin');
  };
}

export function softmaxInfer(kind: Kind) {
  return (a: Args) => {
    const self = a.self as Tensor;
    const dim = (a.dim as number | null) ?? implicitSoftmaxDim(self.ndim);
    reduceDims(self, dim);
    return { shape: [...self.shape], dtype: outDtype(kind, self, dim, (a.dtype as DType | null) ?? null) };
  };
}

/**
 * softmax.int / log_softmax.int, the internal _softmax / _log_softmax, and the Python-level
 * torch.nn.functional form (input, dim=None, _stacklevel=3, dtype=None), declared last so that
 * TorchScript calls always bind the ATen schemas.
 */
export function softmaxOverloads(kind: 'softmax' | 'log_softmax'): OverloadDecl[] {
  return [
    {
      schema: `aten::${kind}.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor`,
      infer: softmaxInfer(kind),
      cpu: softmaxKernel(kind),
    },
    {
      schema: `torchlet::${kind}(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None) -> Tensor`,
      tags: ['composite'],
      decompose: (a) => {
        const self = a.input as Tensor;
        const dim = (a.dim as number | null) ?? implicitSoftmaxDim(self.ndim);
        return callOp(`aten::${kind}`, [self, dim], { dtype: a.dtype });
      },
    },
  ];
}

/** _softmax(self, dim, half_to_float): half_to_float turns float16 input into a float32 result. */
export function internalSoftmax(kind: 'softmax' | 'log_softmax'): OverloadDecl {
  return {
    schema: `aten::_${kind}(Tensor self, int dim, bool half_to_float) -> Tensor`,
    infer: (a) => {
      const self = a.self as Tensor;
      if (a.half_to_float && self.dtype !== 'float16') throw new TypeError('conversion is supported for Half type only');
      const spec = softmaxInfer(kind)({ self, dim: a.dim, dtype: null });
      return a.half_to_float ? { ...spec, dtype: 'float32' as DType } : spec;
    },
    cpu: (a, outs) => softmaxKernel(kind)({ self: a.self, dim: a.dim, dtype: null }, outs),
  };
}

export const softmax = defineOp({
  name: 'softmax',
  variants: ['function', 'method', 'F'],
  overloads: softmaxOverloads('softmax'),
});

export const _softmax = defineOp({ name: '_softmax', overloads: [internalSoftmax('softmax')] });

/** torch.special.softmax (TorchScript's aten::special_softmax): softmax.int under another name. */
export const special_softmax = defineOp({
  name: 'special_softmax',
  variants: [],
  overloads: [{ schema: 'aten::special_softmax(Tensor self, int dim, ScalarType? dtype=None) -> Tensor', infer: softmaxInfer('softmax'), cpu: softmaxKernel('softmax') }],
});
