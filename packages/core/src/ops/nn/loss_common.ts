/** Shared pieces of the loss op declarations: ATen's int reduction and the Python-level wrappers. */
import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import type { Args, OutSpec, OverloadDecl } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { promote } from '../../cpu/pointwise.js';
import { lossShape, pointwiseLoss, type PointwiseLoss } from '../../cpu/nn_loss.js';
import { dtypeName, reductionEnum } from '../../cpu/nn_util.js';

export function floatDtype(op: string, ...ts: (Tensor | null | undefined)[]): Tensor['dtype'] {
  const d = promote(...ts);
  if (!isFloating(d)) throw new Error(`"${op}" not implemented for '${dtypeName(d)}'`);
  return d;
}

/** An ATen pointwise loss `aten::<name>(Tensor self, Tensor target, int reduction=1, <extra>) -> Tensor`. */
export function atenPointwiseLoss(schema: string, op: string, f: (a: Args) => PointwiseLoss): OverloadDecl {
  return {
    schema,
    infer: (a): OutSpec => ({
      shape: lossShape(broadcastShapes((a.self as Tensor).shape, (a.target as Tensor).shape), a.reduction),
      dtype: floatDtype(op, a.self, a.target),
    }),
    cpu: (a, [out]) => pointwiseLoss(a.self, a.target, a.reduction, f(a), out!),
  };
}

/**
 * The torch.nn.functional signature of a loss (`reduction` a string, legacy size_average/reduce):
 * calls the ATen op with the enum, the positional args picked by name.
 */
export function pyLoss(schema: string, aten: string, forward: readonly string[], after?: (a: Args, r: Tensor) => Tensor): OverloadDecl {
  return {
    schema,
    tags: ['composite'],
    decompose: (a) => {
      const red = reductionEnum(a.reduction, a.size_average, a.reduce);
      const r = callOp(aten, forward.map((n) => (n === 'reduction' ? red : a[n]))) as Tensor;
      return after ? after(a, r) : r;
    },
  };
}
