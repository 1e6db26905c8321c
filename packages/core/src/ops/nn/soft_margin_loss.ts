import { defineOp } from '../../registry.js';
import { atenPointwiseLoss, pyLoss } from './loss_common.js';

/** F.soft_margin_loss: log(1 + exp(-target * input)). */
export const soft_margin_loss = defineOp({
  name: 'soft_margin_loss',
  variants: ['F'],
  overloads: [
    atenPointwiseLoss('aten::soft_margin_loss(Tensor self, Tensor target, int reduction=1) -> Tensor', 'soft_margin_loss', () => (x, y) => Math.log1p(Math.exp(-x * y))),
    pyLoss('torchlet::soft_margin_loss(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::soft_margin_loss', ['input', 'target', 'reduction']),
  ],
});
