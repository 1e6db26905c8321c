import { callOp } from '../../dispatch.js';
import { getRegistry } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { applyEpilogue, checkResidual, epilogueByOps } from './common.js';

const linearOverload = () => getRegistry().overload('aten::linear')!.decl;

/**
 * aten::linear with its elementwise epilogue: clamp(linear(input, weight, bias) + residual,
 * clamp_min, clamp_max). Made by the fusion pass from linear/addmm -> add -> relu chains; the
 * wasm backend applies the epilogue inside its GEMM tiles.
 */
export const linear_fused = defineOp({
  name: 'linear_fused',
  variants: [],
  overloads: [
    {
      schema: 'torchlet::linear_fused(Tensor input, Tensor weight, Tensor? bias=None, Tensor? residual=None, float? clamp_min=None, float? clamp_max=None) -> Tensor',
      infer: (a) => {
        const spec = linearOverload().infer!(a);
        const s = Array.isArray(spec) ? spec[0]! : spec;
        checkResidual(a.residual as Tensor | null, s.shape, s.dtype, 'linear_fused');
        return s;
      },
      cpu: (a, outs) => {
        linearOverload().cpu!(a, outs);
        applyEpilogue(outs[0]!, a.residual as Tensor | null, a.clamp_min as number | null, a.clamp_max as number | null);
      },
      decompose: (a) => epilogueByOps(callOp('aten::linear', [a.input, a.weight, a.bias]) as Tensor, a.residual as Tensor | null, a.clamp_min as number | null, a.clamp_max as number | null),
    },
  ],
});
