import { defineOp } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { lossShape, marginRanking } from '../../cpu/nn_loss.js';
import { shapeStr } from '../../cpu/nn_util.js';
import { pyLoss } from './loss_common.js';

const py = pyLoss(
  'torchlet::margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0., bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
  'aten::margin_ranking_loss', ['input1', 'input2', 'target', 'margin', 'reduction'],
);

/** torch/F.margin_ranking_loss: max(0, -target * (input1 - input2) + margin). */
export const margin_ranking_loss = defineOp({
  name: 'margin_ranking_loss',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0., int reduction=1) -> Tensor',
      infer: (a) => ({
        shape: lossShape(broadcastShapes(a.input1.shape, a.input2.shape, a.target.shape), a.reduction),
        dtype: toFloat(promote(a.input1, a.input2, a.target)),
      }),
      cpu: (a, [out]) => marginRanking(a.input1, a.input2, a.target, a.margin, a.reduction, out!),
    },
    {
      ...py,
      decompose: (a) => {
        const [x1, x2, t] = [a.input1, a.input2, a.target] as Tensor[];
        if (x1!.ndim !== x2!.ndim || x1!.ndim !== t!.ndim) {
          throw new Error(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size(${shapeStr(x1!.shape)}), input2: torch.Size(${shapeStr(x2!.shape)}), target: torch.Size(${shapeStr(t!.shape)}) `);
        }
        return py.decompose!(a);
      },
    },
  ],
});
