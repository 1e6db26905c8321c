import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { lossShape, multilabelSoftMargin } from '../../cpu/nn_loss.js';
import { reductionEnum } from '../../cpu/nn_util.js';

/** F.multilabel_soft_margin_loss: per sample, the class mean of the binary cross entropy with logits. */
export const multilabel_soft_margin_loss = defineOp({
  name: 'multilabel_soft_margin_loss',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::multilabel_soft_margin_loss(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      infer: (a) => {
        const x = a.input as Tensor, t = a.target as Tensor, w = a.weight as Tensor | null;
        const s = broadcastShapes(x.shape, t.shape, ...(w ? [w.shape] : []));
        return { shape: lossShape(s.slice(0, -1), reductionEnum(a.reduction, a.size_average, a.reduce)), dtype: toFloat(promote(x, t, w)) };
      },
      cpu: (a, [out]) => multilabelSoftMargin(a.input, a.target, a.weight, reductionEnum(a.reduction, a.size_average, a.reduce), out!),
    },
  ],
});
