import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { binaryCrossEntropy, lossShape } from '../../cpu/nn_loss.js';
import { reductionEnum, shapeStr } from '../../cpu/nn_util.js';
import { floatDtype } from './loss_common.js';

/** F.binary_cross_entropy: -w (t log x + (1 - t) log(1 - x)) with the logs clamped at -100. */
export const binary_cross_entropy = defineOp({
  name: 'binary_cross_entropy',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::binary_cross_entropy(Tensor self, Tensor target, Tensor? weight=None, int reduction=1) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, t = a.target as Tensor;
        if (x.shape.join() !== t.shape.join()) throw new RangeError(`input and target should have the same shape, got ${shapeStr(x.shape)} and ${shapeStr(t.shape)}`);
        return { shape: lossShape(x.shape, a.reduction), dtype: floatDtype('binary_cross_entropy', x) };
      },
      cpu: (a, [out]) => binaryCrossEntropy(a.self, a.target, a.weight, a.reduction, out!),
    },
    {
      schema: 'torchlet::binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const x = a.input as Tensor, t = a.target as Tensor;
        if (x.shape.join() !== t.shape.join()) {
          throw new RangeError(`Using a target size (torch.Size(${shapeStr(t.shape)})) that is different to the input size (torch.Size(${shapeStr(x.shape)})) is deprecated. Please ensure they have the same size.`);
        }
        return callOp('aten::binary_cross_entropy', [x, t, a.weight, reductionEnum(a.reduction, a.size_average, a.reduce)]);
      },
    },
  ],
});
