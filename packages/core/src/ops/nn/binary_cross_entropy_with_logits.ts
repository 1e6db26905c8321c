import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { bceWithLogits, lossShape } from '../../cpu/nn_loss.js';
import { shapeStr } from '../../cpu/nn_util.js';
import { floatDtype, pyLoss } from './loss_common.js';

const py = pyLoss(
  'torchlet::binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean", Tensor? pos_weight=None) -> Tensor',
  'aten::binary_cross_entropy_with_logits', ['input', 'target', 'weight', 'pos_weight', 'reduction'],
);

/** torch/F.binary_cross_entropy_with_logits: sigmoid + binary cross entropy in a stable form, with pos_weight. */
export const binary_cross_entropy_with_logits = defineOp({
  name: 'binary_cross_entropy_with_logits',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::binary_cross_entropy_with_logits(Tensor self, Tensor target, Tensor? weight=None, Tensor? pos_weight=None, int reduction=1) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, t = a.target as Tensor, pw = a.pos_weight as Tensor | null;
        const shape = broadcastShapes(x.shape, t.shape, ...(pw ? [pw.shape] : []));
        return { shape: lossShape(shape, a.reduction), dtype: floatDtype('binary_cross_entropy_with_logits', x, t) };
      },
      cpu: (a, [out]) => bceWithLogits(a.self, a.target, a.weight, a.pos_weight, a.reduction, out!),
    },
    {
      ...py,
      decompose: (a) => {
        const x = a.input as Tensor, t = a.target as Tensor;
        if (x.shape.join() !== t.shape.join()) throw new RangeError(`Target size (torch.Size(${shapeStr(t.shape)})) must be the same as input size (torch.Size(${shapeStr(x.shape)}))`);
        return py.decompose!(a);
      },
    },
  ],
});
