import { defineOp } from '../../registry.js';
import { checkBatchNormArgs, nativeBatchNorm } from '../../cpu/nn_norm.js';
import { requireFloat } from '../../cpu/nn_util.js';
import type { Tensor } from '../../tensor.js';
import { nativeBatchNormDecompose } from './norm_decompose.js';

/** Batch normalization over dim 1: (out, save_mean, save_invstd); the saved stats are empty in eval mode. */
export const native_batch_norm = defineOp({
  name: 'native_batch_norm',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)',
      infer: (a) => {
        const x = a.input as Tensor;
        requireFloat(x, 'batch_norm');
        checkBatchNormArgs(x, a.weight, a.bias, a.running_mean, a.running_var, a.training);
        const stat = a.training ? [x.shape[1]!] : [0];
        return [
          { shape: [...x.shape], dtype: x.dtype },
          { shape: stat, dtype: x.dtype },
          { shape: [...stat], dtype: x.dtype },
        ];
      },
      decompose: (a) => {
        native_batch_norm.overloads[0]!.infer!(a);
        return nativeBatchNormDecompose(a);
      },
      cpu: (a, outs) => nativeBatchNorm(a.input, a.weight, a.bias, a.running_mean, a.running_var, a.training, a.momentum, a.eps, outs),
    },
  ],
});
