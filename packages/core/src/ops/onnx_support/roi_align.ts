import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/**
 * torchvision::roi_align (torchvision/csrc/ops/cpu/roi_align_kernel.cpp): average of bilinear
 * samples over each output bin; rois [K, 5] = (batch index, x1, y1, x2, y2). `aligned` shifts by
 * half a pixel (ONNX RoiAlign's half_pixel mode).
 */
function bilinear(src: ArrayLike<number>, base: number, H: number, W: number, y: number, x: number): number {
  if (y < -1 || y > H || x < -1 || x > W) return 0;
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let y0 = Math.floor(y), x0 = Math.floor(x), y1: number, x1: number;
  if (y0 >= H - 1) {
    y0 = y1 = H - 1;
    y = y0;
  } else y1 = y0 + 1;
  if (x0 >= W - 1) {
    x0 = x1 = W - 1;
    x = x0;
  } else x1 = x0 + 1;
  const ly = y - y0, lx = x - x0, hy = 1 - ly, hx = 1 - lx;
  return hy * hx * src[base + y0 * W + x0]! + hy * lx * src[base + y0 * W + x1]! + ly * hx * src[base + y1 * W + x0]! + ly * lx * src[base + y1 * W + x1]!;
}

function kernel(a: Args, out: Tensor): void {
  const x = a.input as Tensor, rois = a.rois as Tensor;
  const [, C, H, W] = x.shape as [number, number, number, number];
  const K = rois.shape[0]!;
  const PH = a.pooled_height as number, PW = a.pooled_width as number;
  const src = x.contiguousArray(), r = rois.contiguousArray(), o = out.hostArray;
  const off = a.aligned ? 0.5 : 0;
  const scale = a.spatial_scale as number;
  for (let k = 0; k < K; k++) {
    const b = r[k * 5]!;
    const x1 = r[k * 5 + 1]! * scale - off, y1 = r[k * 5 + 2]! * scale - off;
    const x2 = r[k * 5 + 3]! * scale - off, y2 = r[k * 5 + 4]! * scale - off;
    let rw = x2 - x1, rh = y2 - y1;
    if (!a.aligned) {
      rw = Math.max(rw, 1);
      rh = Math.max(rh, 1);
    }
    const bh = rh / PH, bw = rw / PW;
    const gh = a.sampling_ratio > 0 ? a.sampling_ratio : Math.ceil(rh / PH);
    const gw = a.sampling_ratio > 0 ? a.sampling_ratio : Math.ceil(rw / PW);
    const count = Math.max(gh * gw, 1);
    for (let c = 0; c < C; c++) {
      const base = (b * C + c) * H * W;
      for (let ph = 0; ph < PH; ph++) {
        for (let pw = 0; pw < PW; pw++) {
          let sum = 0;
          for (let iy = 0; iy < gh; iy++) {
            const yy = y1 + ph * bh + ((iy + 0.5) * bh) / gh;
            for (let ix = 0; ix < gw; ix++) sum += bilinear(src, base, H, W, yy, x1 + pw * bw + ((ix + 0.5) * bw) / gw);
          }
          o[((k * C + c) * PH + ph) * PW + pw] = sum / count;
        }
      }
    }
  }
}

export const roi_align = defineOp({
  name: 'roi_align',
  variants: [],
  overloads: [
    {
      schema: 'torchvision::roi_align(Tensor input, Tensor rois, float spatial_scale, int pooled_height, int pooled_width, int sampling_ratio, bool aligned) -> Tensor',
      infer: (a) => {
        const x = a.input as Tensor, rois = a.rois as Tensor;
        if (x.ndim !== 4) throw new Error(`input must be 4-D [N, C, H, W], got [${x.shape}]`);
        if (rois.ndim !== 2 || rois.shape[1] !== 5) throw new Error(`rois must have shape [K, 5], got [${rois.shape}]`);
        const bad = Array.from(rois.contiguousArray()).filter((_, i) => i % 5 === 0).find((b) => !(Number.isInteger(b) && b >= 0 && b < x.shape[0]!));
        if (bad !== undefined) throw new Error(`roi batch index ${bad} is out of range for a batch of ${x.shape[0]}`);
        return { shape: [rois.shape[0]!, x.shape[1]!, a.pooled_height, a.pooled_width], dtype: x.dtype };
      },
      cpu: (a, [out]) => kernel(a, out!),
    },
  ],
});
