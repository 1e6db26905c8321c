import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { cosineEmbedding, lossShape } from '../../cpu/nn_loss.js';
import { shapeStr } from '../../cpu/nn_util.js';
import { pyLoss } from './loss_common.js';

/** torch/F.cosine_embedding_loss: 1 - cos(x1, x2) where target is 1, max(0, cos - margin) where it is -1. */
export const cosine_embedding_loss = defineOp({
  name: 'cosine_embedding_loss',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0., int reduction=1) -> Tensor',
      infer: (a) => {
        const [x1, x2, t] = [a.input1, a.input2, a.target] as Tensor[];
        if (t!.ndim !== 0 && t!.ndim !== 1) throw new RangeError('0D or 1D target tensor expected, multi-target not supported');
        const want = t!.ndim === 1 ? 2 : 1;
        if (x1!.ndim !== want || x2!.ndim !== want) {
          throw new RangeError(`${t!.ndim}D target tensor expects ${want}D input tensors, but found inputs with sizes ${shapeStr(x1!.shape)} and ${shapeStr(x2!.shape)}.`);
        }
        if (x1!.shape.join() !== x2!.shape.join() || (t!.ndim === 1 && t!.shape[0] !== x1!.shape[0])) {
          throw new RangeError(`cosine_embedding_loss: inputs ${shapeStr(x1!.shape)}, ${shapeStr(x2!.shape)} and target ${shapeStr(t!.shape)} do not match`);
        }
        return { shape: lossShape(t!.ndim === 1 ? [t!.shape[0]!] : [], a.reduction), dtype: toFloat(promote(x1, x2)) };
      },
      cpu: (a, [out]) => cosineEmbedding(a.input1, a.input2, a.target, a.margin, a.reduction, out!),
    },
    pyLoss('torchlet::cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0., bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::cosine_embedding_loss', ['input1', 'input2', 'target', 'margin', 'reduction']),
  ],
});
