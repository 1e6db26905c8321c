import { defineOp } from '../../registry.js';
import { nativeGroupNorm } from '../../cpu/nn_norm.js';
import { requireFloat } from '../../cpu/nn_util.js';
import type { Tensor } from '../../tensor.js';
import { nativeGroupNormDecompose } from './norm_decompose.js';

/** Group normalization of an input viewed as [N, C, HxW]: (out, mean [N, group], rstd [N, group]). */
export const native_group_norm = defineOp({
  name: 'native_group_norm',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::native_group_norm(Tensor input, Tensor? weight, Tensor? bias, SymInt N, SymInt C, SymInt HxW, int group, float eps) -> (Tensor, Tensor, Tensor)',
      infer: (a) => {
        const x = a.input as Tensor;
        requireFloat(x, 'GroupNormKernelImpl');
        const { N, C, HxW, group } = a as { N: number; C: number; HxW: number; group: number };
        if (N * C * HxW !== x.numel()) throw new RangeError(`Expected the input to have ${N * C * HxW} elements (N=${N}, C=${C}, HxW=${HxW}), but got ${x.numel()}`);
        if (group <= 0 || C % group !== 0) throw new RangeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${x.shape.join(', ')}] and num_groups=${group}`);
        for (const k of ['weight', 'bias']) {
          const t = a[k] as Tensor | null;
          if (t && (t.ndim !== 1 || t.numel() !== C)) throw new RangeError(`Expected ${k} to be a vector of size equal to the number of channels in input, but got ${k} of shape [${t.shape.join(', ')}] and input of shape [${x.shape.join(', ')}]`);
        }
        return [
          { shape: [...x.shape], dtype: x.dtype },
          { shape: [N, group], dtype: x.dtype },
          { shape: [N, group], dtype: x.dtype },
        ];
      },
      decompose: (a) => {
        native_group_norm.overloads[0]!.infer!(a);
        return nativeGroupNormDecompose(a);
      },
      cpu: (a, outs) => nativeGroupNorm(a.input, a.weight, a.bias, a.N, a.C, a.HxW, a.group, a.eps, outs),
    },
  ],
});
