import { bindArgs, callOp, getRegistry, runOverload } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import { shapeStr } from '../../cpu/nn_util.js';
import type { Tensor } from '../../tensor.js';

/** Runs one exact overload (`aten::upsample_nearest2d.vec`) rather than resolving among all of them. */
function callOverload(key: string, positional: unknown[]): Tensor {
  const ov = getRegistry().overload(key);
  if (!ov) throw new Error(`unknown op overload ${key}`);
  const args = bindArgs(ov, positional, undefined, true);
  if (typeof args === 'string') throw new Error(`${key}: ${args}`);
  return runOverload(ov, args) as Tensor;
}

const MODES = 'nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact';

/** torch.nn.functional.interpolate, step for step as PyTorch 1.13's Python code does it. */
export function interpolateImpl(
  input: Tensor, size: number[] | null, scaleFactor: number[] | null, mode: string, alignCorners: boolean | null,
  recomputeScaleFactor: boolean | null, antialias: boolean,
): Tensor {
  let ac = alignCorners;
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (ac !== null) throw new Error('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  } else if (ac === null) ac = false;
  const dim = input.ndim - 2;
  let outputSize: number[] | null = null;
  let scales: number[] | null = null;
  if (size && scaleFactor) throw new Error('only one of size or scale_factor should be defined');
  if (size) {
    // a JS number arrives here as a one-element list: broadcast it like a Python int
    outputSize = size.length === 1 && dim > 1 ? new Array<number>(dim).fill(size[0]!) : size;
    if (outputSize.length !== dim) {
      throw new RangeError(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${shapeStr(input.shape.slice(2))} and output size of ${shapeStr(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
  } else if (scaleFactor) {
    scales = scaleFactor.length === 1 && dim > 1 ? new Array<number>(dim).fill(scaleFactor[0]!) : scaleFactor;
    if (scales.length !== dim) {
      throw new RangeError(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${shapeStr(input.shape.slice(2))} and scale_factor of shape ${shapeStr(scaleFactor)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
    }
  } else throw new Error('either size or scale_factor should be defined');
  let recompute = recomputeScaleFactor;
  if (recompute && size) throw new Error('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && outputSize === null) recompute = true;
  if (recompute) {
    outputSize = scales!.map((s, i) => Math.floor(input.shape[i + 2]! * s));
    scales = null;
  }
  if (antialias && !((mode === 'bilinear' || mode === 'bicubic') && input.ndim === 4)) throw new Error('Anti-alias option is only supported for bilinear and bicubic modes');
  const nd = input.ndim;
  const table: Record<string, Record<number, string>> = {
    nearest: { 3: 'upsample_nearest1d', 4: 'upsample_nearest2d', 5: 'upsample_nearest3d' },
    'nearest-exact': { 3: '_upsample_nearest_exact1d', 4: '_upsample_nearest_exact2d', 5: '_upsample_nearest_exact3d' },
    linear: { 3: 'upsample_linear1d' },
    bilinear: { 4: antialias ? '_upsample_bilinear2d_aa' : 'upsample_bilinear2d' },
    trilinear: { 5: 'upsample_trilinear3d' },
    bicubic: { 4: antialias ? '_upsample_bicubic2d_aa' : 'upsample_bicubic2d' },
  };
  if (mode === 'area' && nd >= 3 && nd <= 5) return callOp(`aten::adaptive_avg_pool${nd - 2}d`, [input, outputSize]) as Tensor;
  const op = table[mode]?.[nd];
  if (op) {
    const withAc = mode !== 'nearest' && mode !== 'nearest-exact';
    return callOverload(`aten::${op}.vec`, withAc ? [input, outputSize, ac, scales] : [input, outputSize, scales]);
  }
  const need: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5, bicubic: 4 };
  if (need[mode] && nd >= 3 && nd <= 5) throw new Error(`Got ${nd}D input, but ${mode} mode needs ${need[mode]}D input`);
  throw new Error(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: ${MODES} (got ${mode})`);
}

const run = (a: Args, mode?: string, ac?: boolean | null): Tensor =>
  interpolateImpl(a.input, a.size, a.scale_factor, mode ?? a.mode, ac === undefined ? a.align_corners ?? null : ac, a.recompute_scale_factor ?? null, a.antialias ?? false);

/** F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False) */
export const interpolate = defineOp({
  name: 'interpolate',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::interpolate(Tensor input, int[]? size=None, float[]? scale_factor=None, str mode="nearest", bool? align_corners=None, bool? recompute_scale_factor=None, bool antialias=False) -> Tensor',
      tags: ['composite'],
      decompose: (a) => run(a),
    },
  ],
});

/** F.upsample(input, size=None, scale_factor=None, mode='nearest', align_corners=None): deprecated interpolate. */
export const upsample = defineOp({
  name: 'upsample',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::upsample(Tensor input, int[]? size=None, float[]? scale_factor=None, str mode="nearest", bool? align_corners=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => run(a),
    },
  ],
});

/** F.upsample_nearest(input, size=None, scale_factor=None) */
export const upsample_nearest = defineOp({
  name: 'upsample_nearest',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::upsample_nearest(Tensor input, int[]? size=None, float[]? scale_factor=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => run(a, 'nearest', null),
    },
  ],
});

/** F.upsample_bilinear(input, size=None, scale_factor=None): bilinear with align_corners=True. */
export const upsample_bilinear = defineOp({
  name: 'upsample_bilinear',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::upsample_bilinear(Tensor input, int[]? size=None, float[]? scale_factor=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => run(a, 'bilinear', true),
    },
  ],
});

/** TorchScript's builtins for the deprecated F.upsample* functions (aten::__upsample*). */
export const __upsample = defineOp({
  name: '__upsample',
  variants: [],
  overloads: [
    {
      schema: 'aten::__upsample(Tensor input, int? size=None, int? scale_factor=None, str mode="nearest", bool? align_corners=None) -> Tensor',
      decompose: (a) => interpolateImpl(a.input, a.size === null ? null : [a.size], a.scale_factor === null ? null : [a.scale_factor], a.mode, a.align_corners, null, false),
    },
    {
      schema: 'aten::__upsample.size_list(Tensor input, int[]? size=None, int? scale_factor=None, str mode="nearest", bool? align_corners=None) -> Tensor',
      decompose: (a) => interpolateImpl(a.input, a.size, a.scale_factor === null ? null : [a.scale_factor], a.mode, a.align_corners, null, false),
    },
  ],
});

const asList = (v: number | number[] | null): number[] | null => (v === null ? null : Array.isArray(v) ? v : [v]);

export const __upsample_nearest = defineOp({
  name: '__upsample_nearest',
  variants: [],
  overloads: ['', '.size_list'].map((ov) => ({
    schema: `aten::__upsample_nearest${ov}(Tensor input, ${ov ? 'int[]?' : 'int?'} size=None, int? scale_factor=None) -> Tensor`,
    decompose: (a: Args) => interpolateImpl(a.input, asList(a.size), asList(a.scale_factor), 'nearest', null, null, false),
  })),
});

export const __upsample_bilinear = defineOp({
  name: '__upsample_bilinear',
  variants: [],
  overloads: [
    ['', 'int?', 'int?'],
    ['.size_list', 'int[]?', 'int?'],
    ['.scale_list', 'int?', 'int[]?'],
    ['.size_list_scale_list', 'int[]?', 'int[]?'],
  ].map(([ov, st, sft]) => ({
    schema: `aten::__upsample_bilinear${ov}(Tensor input, ${st} size=None, ${sft} scale_factor=None) -> Tensor`,
    decompose: (a: Args) => interpolateImpl(a.input, asList(a.size), asList(a.scale_factor), 'bilinear', true, null, false),
  })),
});

/** TorchScript's aten::__interpolate builtins (F.interpolate with int or list size/scale). */
export const __interpolate = defineOp({
  name: '__interpolate',
  variants: [],
  overloads: [
    ['', 'int?', 'float?'],
    ['.size_list', 'int[]?', 'float?'],
    ['.scale_list', 'int?', 'float[]?'],
    ['.size_list_scale_list', 'int[]?', 'float[]?'],
  ].map(([ov, st, sft]) => ({
    schema: `aten::__interpolate${ov}(Tensor input, ${st} size=None, ${sft} scale_factor=None, str mode="nearest", bool? align_corners=None, bool? recompute_scale_factor=None, bool antialias=False) -> Tensor`,
    decompose: (a: Args) => interpolateImpl(a.input, asList(a.size), asList(a.scale_factor), a.mode, a.align_corners, a.recompute_scale_factor, a.antialias),
  })),
});
