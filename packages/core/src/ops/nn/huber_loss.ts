import { defineOp } from '../../registry.js';
import { huber } from '../../cpu/nn_loss.js';
import { atenPointwiseLoss, pyLoss } from './loss_common.js';

/** F.huber_loss: 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta). */
export const huber_loss = defineOp({
  name: 'huber_loss',
  variants: ['F'],
  overloads: [
    atenPointwiseLoss('aten::huber_loss(Tensor self, Tensor target, int reduction=1, float delta=1.) -> Tensor', 'huber_cpu', (a) => {
      if (!(a.delta > 0)) throw new RangeError('huber_loss does not support non-positive values for delta.');
      return huber(a.delta);
    }),
    pyLoss('torchlet::huber_loss(Tensor input, Tensor target, str reduction="mean", float delta=1.) -> Tensor', 'aten::huber_loss', ['input', 'target', 'reduction', 'delta']),
  ],
});
