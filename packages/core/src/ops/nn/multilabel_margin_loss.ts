import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { multilabelMargin } from '../../cpu/nn_loss.js';
import { dtypeName, shapeStr } from '../../cpu/nn_util.js';
import { floatDtype, pyLoss } from './loss_common.js';

/** F.multilabel_margin_loss: targets are class indices ending at the first -1. */
export const multilabel_margin_loss = defineOp({
  name: 'multilabel_margin_loss',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::multilabel_margin_loss(Tensor self, Tensor target, int reduction=1) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, t = a.target as Tensor;
        const dtype = floatDtype('multilabel_margin_loss_forward_out_frame', x);
        if (!((x.ndim === 2 && x.shape[1] !== 0) || (x.ndim === 1 && x.shape[0] !== 0) || x.ndim === 0)) {
          throw new RangeError(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${shapeStr(x.shape)}`);
        }
        if (t.ndim !== x.ndim || t.shape.some((s, i) => s !== x.shape[i])) throw new RangeError(`inconsistent target size: ${shapeStr(t.shape)} for input of size: ${shapeStr(x.shape)}`);
        if (t.dtype !== 'int64') throw new TypeError(`expected scalar type Long but found ${dtypeName(t.dtype)}`);
        return { shape: a.reduction === 0 && t.ndim > 1 ? [x.shape[0]!] : [], dtype };
      },
      cpu: (a, [out]) => multilabelMargin(a.self, a.target, a.reduction, out!),
    },
    pyLoss('torchlet::multilabel_margin_loss(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
      'aten::multilabel_margin_loss', ['input', 'target', 'reduction']),
  ],
});
