import { defineOp, type Args, type OutSpec, type OverloadDecl } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { classLayout, lossShape, nllLoss } from '../../cpu/nn_loss.js';
import { dtypeName } from '../../cpu/nn_util.js';
import { floatDtype, pyLoss } from './loss_common.js';

export function checkClassTarget(input: Tensor, target: Tensor, weight: Tensor | null): void {
  if (target.dtype !== 'int64') throw new TypeError(`expected scalar type Long but found ${dtypeName(target.dtype)}`);
  const c = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  if (weight && weight.numel() !== c) throw new RangeError(`weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
}

function infer(a: Args): OutSpec {
  const x = a.self as Tensor, t = a.target as Tensor;
  const dtype = floatDtype('nll_loss', x);
  checkClassTarget(x, t, a.weight);
  return { shape: lossShape(classLayout(x, t, 'nll_loss').outShape, a.reduction), dtype };
}

const atenNll = (name: string): OverloadDecl => ({
  schema: `aten::${name}(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) -> Tensor`,
  infer,
  cpu: (a, [out]) => nllLoss(a.self, a.target, a.weight, a.reduction, a.ignore_index, out!),
});

/**
 * F.nll_loss: -weight[t] * input[n, t] over log-probabilities [N, C, *d] (or [C]); targets equal
 * to ignore_index count for nothing; 'mean' divides by the summed weights of the counted targets.
 * aten::nll_loss takes the N-d layouts too (PyTorch reserves those for nll_loss_nd / nll_loss2d).
 */
export const nll_loss = defineOp({
  name: 'nll_loss',
  variants: ['F'],
  overloads: [
    atenNll('nll_loss'),
    pyLoss('torchlet::nll_loss(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::nll_loss_nd', ['input', 'target', 'weight', 'reduction', 'ignore_index']),
  ],
});

export const nll_loss_nd = defineOp({ name: 'nll_loss_nd', variants: [], overloads: [atenNll('nll_loss_nd')] });
export const nll_loss2d = defineOp({ name: 'nll_loss2d', variants: [], overloads: [atenNll('nll_loss2d')] });
