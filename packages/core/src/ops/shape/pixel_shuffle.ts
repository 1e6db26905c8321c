import { defineOp, type Args } from '../../registry.js';
import { stridedCopy } from '../../cpu/shape_copy.js';
import { contiguousStrides } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

function shuffleShape(self: Tensor, r: number, up: boolean): number[] {
  const name = up ? 'pixel_shuffle' : 'pixel_unshuffle';
  if (self.ndim < 3) throw new RangeError(`${name} expects input to have at least 3 dimensions, but got input with ${self.ndim} dimension(s)`);
  if (r <= 0) throw new RangeError(`${name} expects a positive ${up ? 'upscale' : 'downscale'}_factor, but got ${r}`);
  const n = self.ndim;
  const [c, h, w] = [self.shape[n - 3]!, self.shape[n - 2]!, self.shape[n - 1]!];
  const batch = self.shape.slice(0, n - 3);
  if (up) {
    if (c % (r * r) !== 0) {
      throw new RangeError(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
    }
    return [...batch, c / (r * r), h * r, w * r];
  }
  if (h % r !== 0) throw new RangeError(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new RangeError(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  return [...batch, c * r * r, h / r, w / r];
}

function shuffleKernel(up: boolean) {
  return (a: Args, [out]: Tensor[]): void => {
    const self = a.self as Tensor;
    const r = (up ? a.upscale_factor : a.downscale_factor) as number;
    const n = self.ndim;
    const batch = self.shape.slice(0, n - 3), bStr = self.strides.slice(0, n - 3);
    const [sc, sh, sw] = self.strides.slice(n - 3) as [number, number, number];
    let shape: number[], srcStrides: number[];
    if (up) {
      // input [..., C, r, r, H, W] read in output order [..., C, H, r, W, r]
      const [oc, oh, ow] = out!.shape.slice(n - 3) as [number, number, number];
      shape = [...batch, oc, oh / r, r, ow / r, r];
      srcStrides = [...bStr, sc * r * r, sh, sc * r, sw, sc];
    } else {
      // input [..., C, H, r, W, r] read in output order [..., C, r, r, H, W]
      const [oc, oh, ow] = out!.shape.slice(n - 3) as [number, number, number];
      shape = [...batch, oc / (r * r), r, r, oh, ow];
      srcStrides = [...bStr, sc, sh, sw, sh * r, sw * r];
    }
    stridedCopy(out!.hostArray, 0, contiguousStrides(shape), self.hostArray, self.offset, srcStrides, shape);
  };
}

/** (*, C*r*r, H, W) -> (*, C, H*r, W*r) */
export const pixel_shuffle = defineOp({
  name: 'pixel_shuffle',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::pixel_shuffle(Tensor self, int upscale_factor) -> Tensor',
      infer: (a) => ({ shape: shuffleShape(a.self, a.upscale_factor, true), dtype: (a.self as Tensor).dtype }),
      cpu: shuffleKernel(true),
    },
  ],
});

/** (*, C, H*r, W*r) -> (*, C*r*r, H, W) */
export const pixel_unshuffle = defineOp({
  name: 'pixel_unshuffle',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::pixel_unshuffle(Tensor self, int downscale_factor) -> Tensor',
      infer: (a) => ({ shape: shuffleShape(a.self, a.downscale_factor, false), dtype: (a.self as Tensor).dtype }),
      cpu: shuffleKernel(false),
    },
  ],
});
