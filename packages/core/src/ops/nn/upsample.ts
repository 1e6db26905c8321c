import { callOp, toDevice } from '../../dispatch.js';
import { defineOp, type Args, type OpDecl, type OutSpec } from '../../registry.js';
import { tidy } from '../../scope.js';
import { Tensor } from '../../tensor.js';
import { checkUpsample, computeTaps, isChannelsLastContiguous, upsampleKernel, upsampleOutputSize, type InterpMode } from '../../cpu/nn_interp.js';

/**
 * The resampling from registry ops, one spatial dim at a time: index_select of each tap's source
 * positions, scaled by its weights and summed (what backends without an upsample kernel run).
 */
export function upsampleDecompose(x: Tensor, outSize: readonly number[], mode: InterpMode, alignCorners: boolean, scales: readonly (number | null)[]): Tensor {
  const nsp = outSize.length;
  const guarded = mode === 'nearest' && nsp >= 2 && isChannelsLastContiguous(x);
  return tidy(() => {
    let y = x;
    for (let s = 0; s < nsp; s++) {
      const dim = 2 + s;
      const taps = computeTaps(mode, x.shape[dim]!, outSize[s]!, alignCorners, scales[s], guarded);
      const n = outSize[s]!;
      let acc: Tensor | null = null;
      for (let t = 0; t < taps.taps; t++) {
        const idx = new Float64Array(n), w = new Float64Array(n);
        for (let o = 0; o < n; o++) {
          idx[o] = taps.index[o * taps.taps + t]!;
          w[o] = taps.weight[o * taps.taps + t]!;
        }
        const sel = callOp('aten::index_select', [y, dim, toDevice(Tensor.fromArray(idx, [n], 'int64'), x.device)]) as Tensor;
        if (taps.taps === 1 && w.every((v) => v === 1)) {
          acc = sel;
          continue;
        }
        const wt = Tensor.empty([n, ...new Array<number>(nsp - s - 1).fill(1)], x.dtype);
        wt.hostArray.set(w);
        const term = callOp('aten::mul', [sel, toDevice(wt, x.device)]) as Tensor;
        acc = acc ? (callOp('aten::add', [acc, term]) as Tensor) : term;
      }
      y = acc!;
    }
    return y === x ? (callOp('aten::clone', [x]) as Tensor) : y;
  });
}

const SCALE_NAMES = [['scales'], ['scales_h', 'scales_w'], ['scales_d', 'scales_h', 'scales_w']] as const;

/**
 * One upsample_* op with its two ATen overloads: the sized one (output_size plus optional
 * per-dim scales, which PyTorch uses for the source index when given) and `.vec` (output_size or
 * scale_factors, as F.interpolate calls it).
 */
function upsampleOp<const N extends string>(name: N, nsp: 1 | 2 | 3, mode: InterpMode): OpDecl<N> {
  const linear = mode !== 'nearest' && mode !== 'nearest-exact';
  const ac = linear ? ' bool align_corners,' : '';
  const scaleNames = SCALE_NAMES[nsp - 1]!;
  const scaleArgs = scaleNames.map((s) => `float? ${s}=None`).join(', ');
  const sized = `aten::${name}(Tensor self, SymInt[${nsp}] output_size,${ac} ${scaleArgs}) -> Tensor`;
  const vec = `aten::${name}.vec(Tensor input, SymInt[]? output_size,${ac} float[]? scale_factors) -> Tensor`;
  const opName = name.replace(/^_/, '');
  const sizedSpec = (a: Args): OutSpec => {
    const x = a.self as Tensor;
    checkUpsample(opName, x, a.output_size, linear);
    return { shape: [...x.shape.slice(0, 2), ...a.output_size], dtype: x.dtype };
  };
  const vecSpec = (a: Args): OutSpec => {
    const x = a.input as Tensor;
    if (x.ndim !== nsp + 2) throw new RangeError(`Expected ${nsp + 2}D input (got ${x.ndim}D input of shape [${x.shape.join(', ')}])`);
    const size = upsampleOutputSize(x, nsp, a.output_size, a.scale_factors);
    checkUpsample(opName, x, size, linear);
    return { shape: [...x.shape.slice(0, 2), ...size], dtype: x.dtype };
  };
  return defineOp({
    name,
    variants: [],
    overloads: [
      {
        schema: sized,
        infer: sizedSpec,
        cpu: (a, [out]) => upsampleKernel(a.self, out!, mode, !!a.align_corners, scaleNames.map((s) => a[s] as number | null)),
        decompose: (a) => {
          sizedSpec(a);
          return upsampleDecompose(a.self, a.output_size, mode, !!a.align_corners, scaleNames.map((s) => a[s] as number | null));
        },
      },
      {
        schema: vec,
        infer: vecSpec,
        cpu: (a, [out]) => {
          const sf = a.scale_factors as number[] | null;
          upsampleKernel(a.input, out!, mode, !!a.align_corners, scaleNames.map((_, i) => (sf ? sf[i]! : null)));
        },
        decompose: (a) => {
          const spec = vecSpec(a);
          const sf = a.scale_factors as number[] | null;
          return upsampleDecompose(a.input, spec.shape.slice(2), mode, !!a.align_corners, scaleNames.map((_, i) => (sf ? sf[i]! : null)));
        },
      },
    ],
  });
}

export const upsample_nearest1d = upsampleOp('upsample_nearest1d', 1, 'nearest');
export const upsample_nearest2d = upsampleOp('upsample_nearest2d', 2, 'nearest');
export const upsample_nearest3d = upsampleOp('upsample_nearest3d', 3, 'nearest');
export const _upsample_nearest_exact1d = upsampleOp('_upsample_nearest_exact1d', 1, 'nearest-exact');
export const _upsample_nearest_exact2d = upsampleOp('_upsample_nearest_exact2d', 2, 'nearest-exact');
export const _upsample_nearest_exact3d = upsampleOp('_upsample_nearest_exact3d', 3, 'nearest-exact');
export const upsample_linear1d = upsampleOp('upsample_linear1d', 1, 'linear');
export const upsample_bilinear2d = upsampleOp('upsample_bilinear2d', 2, 'linear');
export const upsample_trilinear3d = upsampleOp('upsample_trilinear3d', 3, 'linear');
export const upsample_bicubic2d = upsampleOp('upsample_bicubic2d', 2, 'cubic');

export const _upsample_bilinear2d_aa = upsampleOp('_upsample_bilinear2d_aa', 2, 'aa-linear');
export const _upsample_bicubic2d_aa = upsampleOp('_upsample_bicubic2d_aa', 2, 'aa-cubic');

export const upsampleOps = [
  upsample_nearest1d, upsample_nearest2d, upsample_nearest3d, _upsample_nearest_exact1d, _upsample_nearest_exact2d, _upsample_nearest_exact3d,
  upsample_linear1d, upsample_bilinear2d, upsample_trilinear3d, upsample_bicubic2d, _upsample_bilinear2d_aa, _upsample_bicubic2d_aa,
] as const;
