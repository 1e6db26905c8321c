import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import { shapeStr } from '../../cpu/nn_util.js';
import type { Tensor } from '../../tensor.js';

function batchNorm(a: Args): Tensor {
  const x = a.input as Tensor;
  // an empty input gives an empty copy before any shape checks (ATen's _batch_norm_impl_index)
  if (x.numel() === 0) return callOp('aten::clone', [x]) as Tensor;
  const [out, mean, invstd] = callOp('aten::native_batch_norm', [x, a.weight, a.bias, a.running_mean, a.running_var, a.training, a.momentum, a.eps]) as Tensor[];
  mean!.dispose();
  invstd!.dispose();
  return out!;
}

/**
 * torch.batch_norm (the ATen op TorchScript calls) and F.batch_norm(input, running_mean,
 * running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5).
 */
export const batch_norm = defineOp({
  name: 'batch_norm',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor',
      tags: ['composite'],
      decompose: batchNorm,
    },
    {
      schema: 'torchlet::batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight=None, Tensor? bias=None, bool training=False, float momentum=0.1, float eps=1e-05) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const x = a.input as Tensor;
        if (a.training) {
          let prod = x.shape[0] ?? 1;
          for (let i = 2; i < x.ndim; i++) prod *= x.shape[i]!;
          if (prod === 1) throw new Error(`Expected more than 1 value per channel when training, got input size torch.Size(${shapeStr(x.shape)})`);
        }
        // through aten::batch_norm, so traces record (and passes fold) the ATen op PyTorch records
        return callOp('aten::batch_norm', [x, a.weight, a.bias, a.running_mean, a.running_var, a.training, a.momentum, a.eps, false]);
      },
    },
  ],
});
