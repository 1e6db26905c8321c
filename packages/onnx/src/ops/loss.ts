import { Tensor, type Args, type OpDecl } from '@torchlet/core';
import { cast, onnxOp, op } from './define.js';

/**
 * ONNX NegativeLogLikelihoodLoss: loss[n, d...] = -input[n, target[n, d...], d...] * w, where w is
 * weight[target] (1 without weights) and 0 where target == ignore_index; 'mean' divides the sum
 * by the sum of w (the ONNX reference implementation's rule).
 */
function nll(input: Tensor, target: Tensor, weight: Tensor | null, reduction: string, ignoreIndex: number | null): Tensor {
  const C = input.shape[1]!;
  const t = cast(target, 'int64');
  const ignored = ignoreIndex === null ? null : op('aten::eq', t, ignoreIndex);
  const safe = ignored ? op('aten::where', ignored, 0, t) : t;
  const clipped = op('aten::clamp', safe, 0, C - 1);
  const picked = op('aten::squeeze', op('aten::gather', input, 1, op('aten::unsqueeze', clipped, 1)), 1);
  let w: Tensor | null = weight ? op('aten::reshape', op('aten::index_select', weight, 0, op('aten::reshape', clipped, [-1])), t.shape) : null;
  if (ignored) w = op('aten::where', ignored, 0, w ?? op('aten::ones_like', picked));
  if (w) w = cast(w, input.dtype);
  let loss = op('aten::neg', picked);
  if (w) loss = op('aten::mul', loss, w);
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return op('aten::sum', loss);
  if (reduction !== 'mean') throw new Error(`reduction '${reduction}' is not one of none, sum, mean`);
  return w ? op('aten::div', op('aten::sum', loss), op('aten::sum', w)) : op('aten::mean', loss);
}

export const lossOps: OpDecl[] = [
  onnxOp('NegativeLogLikelihoodLoss', 'Tensor input, Tensor target, Tensor? weight=None, *, int? ignore_index=None, str reduction="mean"', 'Tensor', (a: Args) =>
    nll(a.input, a.target, a.weight, a.reduction, a.ignore_index),
  ),
  onnxOp('SoftmaxCrossEntropyLoss', 'Tensor scores, Tensor labels, Tensor? weights=None, *, int? ignore_index=None, str reduction="mean"', '(Tensor, Tensor)', (a: Args) => {
    const logp = op('aten::log_softmax', a.scores, 1);
    return [nll(logp, a.labels, a.weights, a.reduction, a.ignore_index), logp];
  }),
];
