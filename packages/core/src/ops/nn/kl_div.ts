import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { klDiv } from '../../cpu/nn_loss.js';
import { reductionEnum } from '../../cpu/nn_util.js';
import { atenPointwiseLoss } from './loss_common.js';

/**
 * torch.kl_div / F.kl_div: target (log target - input), or exp(target) (target - input) with
 * log_target; F's reduction='batchmean' is the sum divided by the batch size.
 */
export const kl_div = defineOp({
  name: 'kl_div',
  variants: ['function', 'F'],
  overloads: [
    atenPointwiseLoss('aten::kl_div(Tensor self, Tensor target, int reduction=1, *, bool log_target=False) -> Tensor', 'kl_div', (a) => klDiv(a.log_target)),
    {
      schema: 'torchlet::kl_div(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean", bool log_target=False) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const legacy = a.size_average !== null || a.reduce !== null;
        const red = legacy ? reductionEnum('mean', a.size_average, a.reduce) : a.reduction === 'batchmean' ? 2 : reductionEnum(a.reduction);
        const r = callOp('aten::kl_div', [a.input, a.target, red], { log_target: a.log_target }) as Tensor;
        const x = a.input as Tensor;
        if (!legacy && a.reduction === 'batchmean' && x.ndim !== 0) {
          const d = callOp('aten::div', [r, x.shape[0]!]) as Tensor;
          r.dispose();
          return d;
        }
        return r;
      },
    },
  ],
});
