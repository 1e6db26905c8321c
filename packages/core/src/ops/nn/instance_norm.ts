import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { instanceNorm } from '../../cpu/nn_norm.js';
import { requireFloat, shapeStr } from '../../cpu/nn_util.js';
import type { Tensor } from '../../tensor.js';
import { callOp } from '../../dispatch.js';
import { instanceNormDecompose } from './norm_decompose.js';

function infer(a: Args): OutSpec {
  const x = a.input as Tensor;
  if (!a.use_input_stats && (!a.running_mean || !a.running_var)) throw new Error('Expected running_mean and running_var to be defined when use_input_stats is false');
  if (x.ndim < 2) throw new RangeError(`Dimension out of range (expected to be in range of [-1, 0], but got 1)`);
  requireFloat(x, 'batch_norm');
  const c = x.shape[1]!;
  for (const k of ['weight', 'bias', 'running_mean', 'running_var']) {
    const t = a[k] as Tensor | null;
    if (t && t.numel() !== c) throw new RangeError(`${k} should contain ${c} elements not ${t.numel()}`);
  }
  return { shape: [...x.shape], dtype: x.dtype };
}

/** F.instance_norm refuses to compute input statistics over a single spatial element. */
function fInfer(a: Args): OutSpec {
  const x = a.input as Tensor;
  if (a.use_input_stats) {
    let prod = 1;
    for (let i = 2; i < x.ndim; i++) prod *= x.shape[i]!;
    if (prod === 1) throw new Error(`Expected more than 1 spatial element when training, got input size torch.Size(${shapeStr(x.shape)})`);
  }
  return infer(a);
}

const cpu = (a: Args, [out]: Tensor[]): void =>
  instanceNorm(a.input, a.weight, a.bias, a.running_mean, a.running_var, a.use_input_stats, a.momentum, a.eps, out!);

/**
 * Instance normalization: batch norm of each (sample, channel) plane. torch.instance_norm is the
 * ATen op; F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
 * use_input_stats=True, momentum=0.1, eps=1e-5) the Python one.
 */
export const instance_norm = defineOp({
  name: 'instance_norm',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::instance_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool use_input_stats, float momentum, float eps, bool cudnn_enabled) -> Tensor',
      infer,
      cpu,
      decompose: (a) => {
        infer(a);
        return instanceNormDecompose(a);
      },
    },
    {
      schema: 'torchlet::instance_norm(Tensor input, Tensor? running_mean=None, Tensor? running_var=None, Tensor? weight=None, Tensor? bias=None, bool use_input_stats=True, float momentum=0.1, float eps=1e-05) -> Tensor',
      infer: fInfer,
      cpu,
      decompose: (a) => {
        fInfer(a);
        return callOp('aten::instance_norm', [a.input, a.weight, a.bias, a.running_mean, a.running_var, a.use_input_stats, a.momentum, a.eps, false]);
      },
    },
  ],
});
