import { defineOp } from '../../registry.js';
import { smoothL1 } from '../../cpu/nn_loss.js';
import { atenPointwiseLoss, pyLoss } from './loss_common.js';

/** F.smooth_l1_loss: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (l1 when beta = 0). */
export const smooth_l1_loss = defineOp({
  name: 'smooth_l1_loss',
  variants: ['F'],
  overloads: [
    atenPointwiseLoss('aten::smooth_l1_loss(Tensor self, Tensor target, int reduction=1, float beta=1.) -> Tensor', 'smooth_l1_cpu', (a) => {
      if (a.beta < 0) throw new RangeError('smooth_l1_loss does not support negative values for beta.');
      return smoothL1(a.beta);
    }),
    pyLoss('torchlet::smooth_l1_loss(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean", float beta=1.) -> Tensor', 'aten::smooth_l1_loss', ['input', 'target', 'reduction', 'beta']),
  ],
});
