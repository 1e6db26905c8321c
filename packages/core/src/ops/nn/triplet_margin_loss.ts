import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { lossShape, tripletMargin } from '../../cpu/nn_loss.js';
import { pyLoss } from './loss_common.js';

/** torch/F.triplet_margin_loss: max(0, margin + d(anchor, positive) - d(anchor, negative)), pairwise p-norm distances. */
export const triplet_margin_loss = defineOp({
  name: 'triplet_margin_loss',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1., float p=2., float eps=9.9999999999999995e-07, bool swap=False, int reduction=1) -> Tensor',
      infer: (a) => {
        const [an, po, ne] = [a.anchor, a.positive, a.negative] as Tensor[];
        if (an!.ndim !== po!.ndim || po!.ndim !== ne!.ndim) {
          throw new RangeError(`The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ${an!.ndim}D, positive ${po!.ndim}D, and negative ${ne!.ndim}D inputs`);
        }
        const shape = broadcastShapes(an!.shape, po!.shape, ne!.shape).slice(0, -1);
        return { shape: lossShape(shape, a.reduction), dtype: toFloat(promote(an, po, ne)) };
      },
      cpu: (a, [out]) => tripletMargin(a.anchor, a.positive, a.negative, a.margin, a.p, a.eps, a.swap, a.reduction, out!),
    },
    pyLoss('torchlet::triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1., float p=2., float eps=1e-06, bool swap=False, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::triplet_margin_loss', ['anchor', 'positive', 'negative', 'margin', 'p', 'eps', 'swap', 'reduction']),
  ],
});
