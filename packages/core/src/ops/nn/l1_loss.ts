import { defineOp } from '../../registry.js';
import { atenPointwiseLoss, pyLoss } from './loss_common.js';

/** F.l1_loss: mean/sum/none of |input - target|, broadcasting. */
export const l1_loss = defineOp({
  name: 'l1_loss',
  variants: ['F'],
  overloads: [
    atenPointwiseLoss('aten::l1_loss(Tensor self, Tensor target, int reduction=1) -> Tensor', 'l1_loss', () => (x, y) => Math.abs(x - y)),
    pyLoss('torchlet::l1_loss(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor', 'aten::l1_loss', ['input', 'target', 'reduction']),
  ],
});
