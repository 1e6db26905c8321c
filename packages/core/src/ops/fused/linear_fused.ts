import { callOp, getRegistry } from '../../dispatch.js';
import { defineOp, type OutSpec } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { applyEpilogue, epilogueByOps, epilogueInPlace, epilogueInto, epilogueSpec } from './common.js';

const linearDecl = () => getRegistry().overload('aten::linear')!.decl;
const linearSpec = (a: Record<string, unknown>): OutSpec => {
  const s = linearDecl().infer!(a);
  return Array.isArray(s) ? s[0]! : s;
};

/**
 * aten::linear with its elementwise epilogue: clamp(linear(input, weight, bias) + residual,
 * clamp_min, clamp_max), the residual broadcasting and promoting as in add. Made by the fusion
 * pass from linear / addmm / matmul -> add -> relu/clamp chains; the wasm backend applies the
 * epilogue inside its GEMM tiles.
 */
export const linear_fused = defineOp({
  name: 'linear_fused',
  variants: [],
  overloads: [
    {
      schema: 'torchlet::linear_fused(Tensor input, Tensor weight, Tensor? bias=None, Tensor? residual=None, float? clamp_min=None, float? clamp_max=None) -> Tensor',
      infer: (a) => epilogueSpec(linearSpec(a), a.residual as Tensor | null),
      cpu: (a, [out]) => {
        const r = a.residual as Tensor | null, lo = a.clamp_min as number | null, hi = a.clamp_max as number | null;
        const spec = linearSpec(a);
        if (epilogueInPlace(spec, out!, r)) {
          linearDecl().cpu!(a, [out!]);
          applyEpilogue(out!, r, lo, hi);
          return;
        }
        const y = Tensor.empty(spec.shape, spec.dtype);
        linearDecl().cpu!(a, [y]);
        epilogueInto(y, out!, r, lo, hi);
      },
      decompose: (a) => epilogueByOps(callOp('aten::linear', [a.input, a.weight, a.bias]) as Tensor, a.residual as Tensor | null, a.clamp_min as number | null, a.clamp_max as number | null),
    },
  ],
});
