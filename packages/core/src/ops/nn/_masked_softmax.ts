import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import { defineOp } from '../../registry.js';
import { normalizeDim } from '../../shape.js';
import { tidy } from '../../scope.js';
import type { Tensor } from '../../tensor.js';
import { checkMaskedSoftmax, maskedSoftmax } from '../../cpu/nn_attention.js';
import { dtypeName } from '../../cpu/nn_util.js';

/**
 * torch._masked_softmax(input, mask, dim=None, mask_type=None): softmax that gives masked (true)
 * elements 0; a fully masked row is NaN. In PyTorch 1.13 on CPU the bool mask has the input's
 * shape, mask_type must be given, 1 and 2 behave alike and 0 is not supported.
 */
export const _masked_softmax = defineOp({
  name: '_masked_softmax',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::_masked_softmax(Tensor self, Tensor mask, int? dim=None, int? mask_type=None) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor;
        if (!isFloating(x.dtype)) throw new Error(`"masked_softmax" not implemented for '${dtypeName(x.dtype)}'`);
        checkMaskedSoftmax(x, a.mask, a.mask_type);
        if (a.dim !== null) normalizeDim(a.dim, x.ndim);
        return { shape: [...x.shape], dtype: x.dtype };
      },
      cpu: (a, [out]) => {
        const x = a.self as Tensor;
        const dim = a.dim === null ? Math.max(x.ndim - 1, 0) : normalizeDim(a.dim, x.ndim);
        maskedSoftmax(x, a.mask, dim, out!);
      },
      decompose: (a) => {
        const x = a.self as Tensor;
        checkMaskedSoftmax(x, a.mask, a.mask_type);
        const dim = a.dim === null ? Math.max(x.ndim - 1, 0) : normalizeDim(a.dim, x.ndim);
        return tidy(() => {
          // a fully masked row: softmax over all -inf gives NaN, as the fused kernel does
          const filled = callOp('aten::masked_fill', [x, a.mask, -Infinity]) as Tensor;
          return callOp('aten::softmax', [filled, dim]) as Tensor;
        });
      },
    },
  ],
});
