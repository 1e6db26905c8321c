import { defineOp } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { convCpu, convDecompose, convInfer, type ConvCall } from '../conv/conv_common.js';
import { applyEpilogue, epilogueByOps, epilogueInPlace, epilogueInto, epilogueSpec } from './common.js';

const read = (a: Record<string, unknown>): ConvCall => ({
  input: a.input as Tensor, weight: a.weight as Tensor, bias: a.bias as Tensor | null,
  stride: a.stride as number[], padding: a.padding as number[], dilation: a.dilation as number[],
  transposed: false, outputPadding: [0], groups: a.groups as number, wrapper: { name: 'conv2d', dims: 2 },
});

/**
 * A 2-d convolution with its elementwise epilogue: clamp(conv2d(input, weight, bias) + residual,
 * clamp_min, clamp_max), with add's broadcasting and type promotion for the residual. Graph
 * passes (packages/ir/src/passes/fuse_epilogue.ts) rewrite conv -> (batch_norm folded into the
 * weights) -> add -> relu/relu6/hardtanh/clamp chains into it; the wasm backend runs the chain
 * as one GEMM with the epilogue applied to each tile in registers. The reference kernel computes
 * the unfused ops one after the other.
 */
export const conv2d_fused = defineOp({
  name: 'conv2d_fused',
  variants: [],
  overloads: [
    {
      schema: 'torchlet::conv2d_fused(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] dilation=1, int groups=1, Tensor? residual=None, float? clamp_min=None, float? clamp_max=None) -> Tensor',
      infer: (a) => epilogueSpec(convInfer(read(a)), a.residual as Tensor | null),
      cpu: (a, [out]) => {
        const c = read(a), r = a.residual as Tensor | null, lo = a.clamp_min as number | null, hi = a.clamp_max as number | null;
        const spec = convInfer(c);
        if (epilogueInPlace(spec, out!, r)) {
          convCpu(c, out!);
          applyEpilogue(out!, r, lo, hi);
          return;
        }
        const y = Tensor.empty(spec.shape, spec.dtype);
        convCpu(c, y);
        epilogueInto(y, out!, r, lo, hi);
      },
      decompose: (a) => epilogueByOps(convDecompose(read(a)), a.residual as Tensor | null, a.clamp_min as number | null, a.clamp_max as number | null),
    },
  ],
});
