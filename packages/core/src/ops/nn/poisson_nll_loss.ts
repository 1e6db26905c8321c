import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { lossShape, poissonNll } from '../../cpu/nn_loss.js';
import { pyLoss } from './loss_common.js';

/** torch/F.poisson_nll_loss: exp(x) - t x (log_input) or x - t log(x + eps), with Stirling's term when full. */
export const poisson_nll_loss = defineOp({
  name: 'poisson_nll_loss',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::poisson_nll_loss(Tensor input, Tensor target, bool log_input, bool full, float eps, int reduction) -> Tensor',
      infer: (a) => ({ shape: lossShape(broadcastShapes(a.input.shape, a.target.shape), a.reduction), dtype: toFloat(promote(a.input, a.target)) }),
      cpu: (a, [out]) => poissonNll(a.input, a.target, a.log_input, a.full, a.eps, a.reduction, out!),
    },
    pyLoss('torchlet::poisson_nll_loss(Tensor input, Tensor target, bool log_input=True, bool full=False, bool? size_average=None, float eps=1e-08, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::poisson_nll_loss', ['input', 'target', 'log_input', 'full', 'eps', 'reduction']),
  ],
});
