import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { multiMargin } from '../../cpu/nn_loss.js';
import { dtypeName, shapeStr } from '../../cpu/nn_util.js';
import { floatDtype, pyLoss } from './loss_common.js';

const py = pyLoss(
  'torchlet::multi_margin_loss(Tensor input, Tensor target, int p=1, float margin=1., Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean") -> Tensor',
  'aten::multi_margin_loss', ['input', 'target', 'p', 'margin', 'weight', 'reduction'],
);

/** F.multi_margin_loss: multi-class hinge loss, sum over j != y of max(0, margin - x[y] + x[j])^p / C. */
export const multi_margin_loss = defineOp({
  name: 'multi_margin_loss',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::multi_margin_loss(Tensor self, Tensor target, Scalar p=1, Scalar margin=1, Tensor? weight=None, int reduction=1) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, t = a.target as Tensor, w = a.weight as Tensor | null;
        const dtype = floatDtype('multi_margin_loss_cpu', x);
        if (!((x.ndim === 2 && x.shape[1] !== 0) || (x.ndim === 1 && x.shape[0] !== 0) || x.ndim === 0)) {
          throw new RangeError(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${shapeStr(x.shape)}`);
        }
        const [N, C] = x.ndim <= 1 ? [1, x.ndim === 0 ? 1 : x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
        if (t.ndim > 1 || t.numel() !== N) throw new RangeError(`inconsistent target size, expected ${N} but got ${shapeStr(t.shape)}`);
        if (t.dtype !== 'int64') throw new TypeError(`expected scalar type Long but found ${dtypeName(t.dtype)}`);
        if (a.p !== 1 && a.p !== 2) throw new RangeError('only p == 1 and p == 2 supported');
        if (w && w.numel() !== C) throw new RangeError(`inconsistent weight size, expected ${C} but got ${shapeStr(w.shape)}`);
        return { shape: a.reduction === 0 && t.ndim > 0 ? [N] : [], dtype };
      },
      cpu: (a, [out]) => multiMargin(a.self, a.target, Number(a.p), Number(a.margin), a.weight, a.reduction, out!),
    },
    {
      ...py,
      decompose: (a) => {
        if (a.p !== 1 && a.p !== 2) throw new RangeError('only p == 1 and p == 2 supported');
        if (a.weight && (a.weight as Tensor).ndim !== 1) throw new RangeError('weight must be one-dimensional');
        return py.decompose!(a);
      },
    },
  ],
});
