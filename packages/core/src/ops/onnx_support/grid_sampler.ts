import { isFloating } from '../../dtype.js';
import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/**
 * grid_sampler_2d as PyTorch's CPU kernel (aten/src/ATen/native/GridSampler.cpp): input [N, C, H, W],
 * grid [N, Ho, Wo, 2] of (x, y) in [-1, 1]; interpolation 0 bilinear, 1 nearest, 2 bicubic;
 * padding 0 zeros, 1 border, 2 reflection. ONNX GridSample (opset 16) is defined to match it.
 */
function unnormalize(coord: number, size: number, align: boolean): number {
  return align ? ((coord + 1) / 2) * (size - 1) : ((coord + 1) * size - 1) / 2;
}

function reflect(x: number, twiceLow: number, twiceHigh: number): number {
  if (twiceLow === twiceHigh) return 0;
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  x = Math.abs(x - min);
  const extra = x % span;
  const flips = Math.floor(x / span);
  return flips % 2 === 0 ? extra + min : span - extra + min;
}

function applyPadding(c: number, size: number, padding: number, align: boolean): number {
  if (padding === 1) return Math.min(size - 1, Math.max(c, 0));
  if (padding === 2) {
    c = align ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
    return Math.min(size - 1, Math.max(c, 0));
  }
  return c;
}

/** round half to even (C's nearbyint) */
function nearbyint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function cubicCoeffs(t: number): [number, number, number, number] {
  const A = -0.75;
  const c1 = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
  const c2 = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  return [c2(t + 1), c1(t), c1(1 - t), c2(2 - t)];
}

function check(a: Args): void {
  const x = a.input as Tensor, g = a.grid as Tensor;
  if (x.ndim !== 4 || g.ndim !== 4) throw new Error(`grid_sampler(): expected 4D input and grid, but got input with sizes [${x.shape}] and grid with sizes [${g.shape}]`);
  if (g.shape[3] !== 2) throw new Error(`grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes [${g.shape}]`);
  if (x.shape[0] !== g.shape[0]) throw new Error(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes [${x.shape}] and grid with sizes [${g.shape}]`);
  if (!isFloating(x.dtype)) throw new Error(`"grid_sampler_2d_cpu" not implemented for '${x.dtype}'`);
  if (![0, 1, 2].includes(a.interpolation_mode)) throw new Error(`grid_sampler(): unknown interpolation mode ${a.interpolation_mode}`);
  if (![0, 1, 2].includes(a.padding_mode)) throw new Error(`grid_sampler(): unknown padding mode ${a.padding_mode}`);
}

function kernel(a: Args, out: Tensor): void {
  const x = a.input as Tensor, g = a.grid as Tensor;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, Ho, Wo] = g.shape as [number, number, number, number];
  const src = x.contiguousArray(), grid = g.contiguousArray(), o = out.hostArray;
  const mode = a.interpolation_mode as number, pad = a.padding_mode as number, align = a.align_corners as boolean;
  const plane = H * W;
  const at = (base: number, yy: number, xx: number): number => (yy >= 0 && yy < H && xx >= 0 && xx < W ? src[base + yy * W + xx]! : 0);
  for (let n = 0; n < N; n++) {
    for (let h = 0; h < Ho; h++) {
      for (let w = 0; w < Wo; w++) {
        const gi = ((n * Ho + h) * Wo + w) * 2;
        const gx = grid[gi]!, gy = grid[gi + 1]!;
        for (let c = 0; c < C; c++) {
          const base = (n * C + c) * plane;
          let v: number;
          if (mode === 2) {
            const ix = unnormalize(gx, W, align), iy = unnormalize(gy, H, align);
            const x0 = Math.floor(ix), y0 = Math.floor(iy);
            const cx = cubicCoeffs(ix - x0), cy = cubicCoeffs(iy - y0);
            v = 0;
            for (let j = 0; j < 4; j++) {
              let row = 0;
              for (let i = 0; i < 4; i++) {
                // each tap is padded on its own (get_value_bounded)
                const px = applyPadding(x0 - 1 + i, W, pad, align), py = applyPadding(y0 - 1 + j, H, pad, align);
                row += cx[i]! * at(base, Math.trunc(py), Math.trunc(px));
              }
              v += cy[j]! * row;
            }
          } else {
            const ix = applyPadding(unnormalize(gx, W, align), W, pad, align);
            const iy = applyPadding(unnormalize(gy, H, align), H, pad, align);
            if (mode === 1) v = at(base, nearbyint(iy), nearbyint(ix));
            else {
              const x0 = Math.floor(ix), y0 = Math.floor(iy);
              const tx = ix - x0, ty = iy - y0;
              v = at(base, y0, x0) * (1 - tx) * (1 - ty) + at(base, y0, x0 + 1) * tx * (1 - ty) + at(base, y0 + 1, x0) * (1 - tx) * ty + at(base, y0 + 1, x0 + 1) * tx * ty;
            }
          }
          o[((n * C + c) * Ho + h) * Wo + w] = v;
        }
      }
    }
  }
}

export const grid_sampler_2d = defineOp({
  name: 'grid_sampler_2d',
  variants: [],
  overloads: [
    {
      schema: 'aten::grid_sampler_2d(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor',
      infer: (a) => {
        check(a);
        const x = a.input as Tensor, g = a.grid as Tensor;
        return { shape: [x.shape[0]!, x.shape[1]!, g.shape[1]!, g.shape[2]!], dtype: x.dtype };
      },
      cpu: (a, [out]) => kernel(a, out!),
    },
  ],
});

export const grid_sampler = defineOp({
  name: 'grid_sampler',
  variants: [],
  overloads: [
    {
      schema: 'aten::grid_sampler(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        if ((a.input as Tensor).ndim === 5) throw new Error('grid_sampler(): 5-D (volumetric) inputs are not supported');
        return callOp('aten::grid_sampler_2d', [a.input, a.grid, a.interpolation_mode, a.padding_mode, a.align_corners]);
      },
    },
  ],
});

const MODES: Record<string, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
const PADDINGS: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };

/** F.grid_sample(input, grid, mode='bilinear', padding_mode='zeros', align_corners=None) */
export const grid_sample = defineOp({
  name: 'grid_sample',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::grid_sample(Tensor input, Tensor grid, str mode="bilinear", str padding_mode="zeros", bool? align_corners=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const m = MODES[a.mode], p = PADDINGS[a.padding_mode];
        if (m === undefined) throw new Error(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${a.mode}'`);
        if (p === undefined) throw new Error(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${a.padding_mode}'`);
        return callOp('aten::grid_sampler', [a.input, a.grid, m, p, a.align_corners ?? false]);
      },
    },
  ],
});
