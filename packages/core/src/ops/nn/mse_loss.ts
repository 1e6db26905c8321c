import { defineOp } from '../../registry.js';
import { atenPointwiseLoss, pyLoss } from './loss_common.js';

/** F.mse_loss: mean/sum/none of (input - target)^2, broadcasting. */
export const mse_loss = defineOp({
  name: 'mse_loss',
  variants: ['F'],
  overloads: [
    atenPointwiseLoss('aten::mse_loss(Tensor self, Tensor target, int reduction=1) -> Tensor', 'mse_cpu', () => (x, y) => (x - y) * (x - y)),
    pyLoss('torchlet::mse_loss(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor', 'aten::mse_loss', ['input', 'target', 'reduction']),
  ],
});
