import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { hingeEmbedding, lossShape } from '../../cpu/nn_loss.js';
import { pyLoss } from './loss_common.js';

/** torch/F.hinge_embedding_loss: x where target is 1, max(0, margin - x) where target is -1. */
export const hinge_embedding_loss = defineOp({
  name: 'hinge_embedding_loss',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::hinge_embedding_loss(Tensor self, Tensor target, float margin=1., int reduction=1) -> Tensor',
      infer: (a) => ({ shape: lossShape(broadcastShapes(a.self.shape, a.target.shape), a.reduction), dtype: toFloat(promote(a.self, a.target)) }),
      cpu: (a, [out]) => hingeEmbedding(a.self, a.target, a.margin, a.reduction, out!),
    },
    pyLoss('torchlet::hinge_embedding_loss(Tensor input, Tensor target, float margin=1., bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::hinge_embedding_loss', ['input', 'target', 'margin', 'reduction']),
  ],
});
