import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { classLayout, crossEntropy, lossShape } from '../../cpu/nn_loss.js';
import { reductionEnum, shapeStr } from '../../cpu/nn_util.js';
import { floatDtype } from './loss_common.js';
import { checkClassTarget } from './nll_loss.js';

/**
 * aten::cross_entropy_loss (torch._C._nn.cross_entropy_loss): log_softmax over the class dim and
 * nll_loss, with class-index targets (int64, optionally label-smoothed) or class probabilities
 * (a float target of the input's shape).
 */
export const cross_entropy_loss = defineOp({
  name: 'cross_entropy_loss',
  variants: [],
  overloads: [
    {
      schema: 'aten::cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100, float label_smoothing=0.) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, t = a.target as Tensor;
        const dtype = floatDtype('log_softmax', x);
        const ls = a.label_smoothing as number;
        if (ls < 0 || ls > 1) throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
        if (t.isFloatingPoint) {
          if (x.shape.join() !== t.shape.join()) throw new RangeError(`Expected input batch_size and target batch_size to match, or target of the input's shape for class probabilities; got input ${shapeStr(x.shape)} and target ${shapeStr(t.shape)}`);
          if (a.ignore_index !== -100) throw new Error('ignore_index is not supported for floating point target');
          const c = x.ndim === 1 ? x.shape[0]! : x.shape[1]!;
          const w = a.weight as Tensor | null;
          if (w && (w.ndim !== 1 || w.numel() !== c)) throw new RangeError(`cross_entropy: weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${shapeStr(w.shape)}`);
          const rows = x.ndim === 1 ? [] : [x.shape[0]!, ...x.shape.slice(2)];
          return { shape: lossShape(rows, a.reduction), dtype };
        }
        checkClassTarget(x, t, a.weight);
        return { shape: lossShape(classLayout(x, t, 'cross_entropy').outShape, a.reduction), dtype };
      },
      cpu: (a, [out]) => crossEntropy(a.self, a.target, a.weight, a.reduction, a.ignore_index, a.label_smoothing, out!),
    },
  ],
});

/** F.cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0) */
export const cross_entropy = defineOp({
  name: 'cross_entropy',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::cross_entropy(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction="mean", float label_smoothing=0.) -> Tensor',
      tags: ['composite'],
      decompose: (a) => callOp('aten::cross_entropy_loss', [a.input, a.target, a.weight, reductionEnum(a.reduction, a.size_average, a.reduce), a.ignore_index, a.label_smoothing]),
    },
  ],
});
