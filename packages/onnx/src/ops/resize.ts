import { Tensor, type Args, type OpDecl } from '@torchlet/core';
import { ints, normAxis, onnxOp, op } from './define.js';

function floats(t: Tensor | null): number[] {
  return t ? Array.from(t.contiguousArray(), Number) : [];
}

/** Output sizes and per-axis scales of ONNX Resize (opsets 10..18). */
function resizePlan(x: Tensor, a: Args): { sizes: number[]; scales: number[]; roi: number[] } {
  const r = x.ndim;
  const axes = a.axes ? (a.axes as number[]).map((d) => normAxis(d, r)) : x.shape.map((_, i) => i);
  const sizesIn = ints(a.sizes), scalesIn = floats(a.scales), roiIn = floats(a.roi);
  const sizes = [...x.shape], scales = x.shape.map(() => 1);
  if (sizesIn.length) {
    if (scalesIn.length) throw new Error('only one of scales and sizes may be given');
    if (sizesIn.length !== axes.length) throw new Error(`sizes has ${sizesIn.length} entries, expected ${axes.length}`);
    const policy = a.keep_aspect_ratio_policy as string;
    if (policy === 'stretch') {
      axes.forEach((ax, i) => {
        sizes[ax] = sizesIn[i]!;
        scales[ax] = sizesIn[i]! / x.shape[ax]!;
      });
    } else {
      const ratios = axes.map((ax, i) => sizesIn[i]! / x.shape[ax]!);
      const s = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      axes.forEach((ax) => {
        scales[ax] = s;
        sizes[ax] = Math.round(s * x.shape[ax]!);
      });
    }
  } else if (scalesIn.length) {
    if (scalesIn.length !== axes.length) throw new Error(`scales has ${scalesIn.length} entries, expected ${axes.length}`);
    axes.forEach((ax, i) => {
      scales[ax] = scalesIn[i]!;
      sizes[ax] = Math.floor(x.shape[ax]! * scalesIn[i]!);
    });
  } else throw new Error('one of scales and sizes must be given');
  let roi: number[] = [];
  if (roiIn.length) {
    if (roiIn.length !== 2 * axes.length) throw new Error(`roi has ${roiIn.length} entries, expected ${2 * axes.length}`);
    roi = [...x.shape.map(() => 0), ...x.shape.map(() => 1)];
    axes.forEach((ax, i) => {
      roi[ax] = roiIn[i]!;
      roi[ax + r] = roiIn[i + axes.length]!;
    });
  }
  return { sizes, scales, roi };
}

export const resizeOps: OpDecl[] = [
  onnxOp(
    'Resize',
    'Tensor X, Tensor? roi=None, Tensor? scales=None, Tensor? sizes=None, *, int antialias=0, int[]? axes=None, str coordinate_transformation_mode="half_pixel", float cubic_coeff_a=-0.75, int exclude_outside=0, float extrapolation_value=0.0, str keep_aspect_ratio_policy="stretch", str mode="nearest", str nearest_mode="round_prefer_floor", int _opset=13',
    'Tensor',
    (a) => {
      const x = a.X as Tensor;
      if (a.antialias) throw new Error('antialias=1 is not supported');
      const p = resizePlan(x, a);
      // opset 10: no coordinate modes yet; it behaves as asymmetric with floor for nearest
      const old = a._opset < 11;
      return op('torchlet::onnx_resize', x, p.sizes, p.scales, p.roi, {
        mode: a.mode,
        coordinate_transformation_mode: old ? 'asymmetric' : a.coordinate_transformation_mode,
        nearest_mode: old ? 'floor' : a.nearest_mode,
        cubic_coeff_a: a.cubic_coeff_a,
        exclude_outside: a.exclude_outside === 1,
        extrapolation_value: a.extrapolation_value,
      });
    },
  ),
  // Upsample (opsets 7..9, deprecated since 10): Resize with asymmetric coordinates
  onnxOp('Upsample', 'Tensor X, Tensor? scales=None, *, str mode="nearest"', 'Tensor', (a) => {
    const x = a.X as Tensor;
    const scales = floats(a.scales);
    if (scales.length !== x.ndim) throw new Error(`scales has ${scales.length} entries, expected ${x.ndim}`);
    const sizes = x.shape.map((d, i) => Math.floor(d * scales[i]!));
    return op('torchlet::onnx_resize', x, sizes, scales, [], { mode: a.mode, coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  }),
];
