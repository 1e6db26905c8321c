import { defineOp, type Args } from '../../registry.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { toFloat, promote } from '../../cpu/pointwise.js';
import { gaussianNll, lossShape } from '../../cpu/nn_loss.js';
import { reductionEnum } from '../../cpu/nn_util.js';

/** var as F.gaussian_nll_loss reshapes it: [*, D] or [*] (one dim short: unsqueezed) or [*, 1]; its shape. */
function varShape(x: Tensor, v: Tensor): number[] {
  if (v.shape.join() === x.shape.join()) return [...v.shape];
  const lead = x.shape.slice(0, -1).join();
  if (v.shape.join() === lead && x.ndim > 0) return [...v.shape, 1];
  if (v.ndim > 0 && v.shape.slice(0, -1).join() === lead && v.shape[v.ndim - 1] === 1) return [...v.shape];
  throw new RangeError('var is of incorrect size');
}

function shape(a: Args): number[] {
  const x = a.input as Tensor, t = a.target as Tensor;
  return broadcastShapes(x.shape, t.shape, varShape(x, a.var));
}

/** F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean'): var is clamped at eps. */
export const gaussian_nll_loss = defineOp({
  name: 'gaussian_nll_loss',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::gaussian_nll_loss(Tensor input, Tensor target, Tensor var, bool full=False, float eps=9.9999999999999995e-07, str reduction="mean") -> Tensor',
      infer: (a) => {
        const red = a.reduction as string;
        if (red !== 'none' && red !== 'mean' && red !== 'sum') throw new RangeError(`${red} is not valid`);
        const s = shape(a);
        return { shape: lossShape(s, reductionEnum(red)), dtype: toFloat(promote(a.input, a.target, a.var)) };
      },
      cpu: (a, [out]) => {
        const v = a.var as Tensor;
        if (Array.from(v.contiguousArray()).some((e) => e < 0)) throw new RangeError('var has negative entry/entries');
        const x = a.input as Tensor;
        const vs = varShape(x, v);
        const vv = vs.length === v.ndim ? v : (v.reshape(vs) as Tensor);
        gaussianNll(x, a.target, vv, a.full, a.eps, reductionEnum(a.reduction), out!);
        if (vv !== v) vv.dispose();
      },
    },
  ],
});
