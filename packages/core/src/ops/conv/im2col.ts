import { callOp } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

interface Geometry { n: number; c: number; h: number; w: number; kh: number; kw: number; dh: number; dw: number; ph: number; pw: number; sh: number; sw: number; oh: number; ow: number }

function geometry(op: string, shape: readonly number[], hw: readonly number[], a: Args, batched: boolean): Geometry {
  const [kh, kw] = a.kernel_size as number[], [dh, dw] = a.dilation as number[];
  const [ph, pw] = a.padding as number[], [sh, sw] = a.stride as number[];
  if ([kh, kw, dh, dw, sh, sw].some((v) => !(v! > 0)) || ph! < 0 || pw! < 0) {
    throw new RangeError(`${op}: kernel_size, dilation and stride must be positive and padding non-negative`);
  }
  const [h, w] = hw as [number, number];
  const oh = Math.floor((h + 2 * ph! - dh! * (kh! - 1) - 1) / sh!) + 1;
  const ow = Math.floor((w + 2 * pw! - dw! * (kw! - 1) - 1) / sw!) + 1;
  if (oh < 1 || ow < 1) throw new RangeError(`${op}: given input with spatial size (${h}, ${w}), kernel_size=(${kh}, ${kw}), dilation=(${dh}, ${dw}), padding=(${ph}, ${pw}), calculated shape of the array of sliding blocks as (${oh}, ${ow}), which is too small (non-positive)`);
  return { n: batched ? shape[0]! : 1, c: shape[batched ? 1 : 0]!, h, w, kh: kh!, kw: kw!, dh: dh!, dw: dw!, ph: ph!, pw: pw!, sh: sh!, sw: sw!, oh, ow };
}

function im2colGeometry(a: Args): Geometry {
  const x = a.self as Tensor;
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`im2col: expected a 3D or 4D input, got shape [${x.shape}]`);
  return geometry('im2col', x.shape, x.shape.slice(-2), a, x.ndim === 4);
}

/** F.unfold: every kernel-sized block of the input as a column, [N, C*kh*kw, L]. */
export const im2col = defineOp({
  name: 'im2col',
  variants: [],
  overloads: [
    {
      schema: 'aten::im2col(Tensor self, int[2] kernel_size, int[2] dilation, int[2] padding, int[2] stride) -> Tensor',
      infer: (a) => {
        const g = im2colGeometry(a);
        const rows = g.c * g.kh * g.kw, cols = g.oh * g.ow;
        return { shape: (a.self as Tensor).ndim === 4 ? [g.n, rows, cols] : [rows, cols], dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const g = im2colGeometry(a);
        const x = (a.self as Tensor).contiguousArray(), o = out!.hostArray;
        let p = 0;
        for (let n = 0; n < g.n; n++) for (let c = 0; c < g.c; c++) for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) {
          const base = (n * g.c + c) * g.h * g.w;
          for (let y = 0; y < g.oh; y++) {
            const iy = y * g.sh - g.ph + i * g.dh;
            for (let xw = 0; xw < g.ow; xw++) {
              const ix = xw * g.sw - g.pw + j * g.dw;
              o[p++] = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? x[base + iy * g.w + ix]! : 0;
            }
          }
        }
      },
    },
  ],
});

function col2imGeometry(a: Args): Geometry {
  const x = a.self as Tensor;
  if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`col2im: expected a 2D or 3D input, got shape [${x.shape}]`);
  const [kh, kw] = a.kernel_size as number[];
  const rows = x.shape[x.ndim - 2]!;
  if (rows % (kh! * kw!) !== 0) throw new RangeError(`col2im: expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${rows} and kernel_size=(${kh}, ${kw})`);
  const shape = x.ndim === 3 ? [x.shape[0]!, rows / (kh! * kw!)] : [rows / (kh! * kw!)];
  const g = geometry('col2im', shape, a.output_size as number[], a, x.ndim === 3);
  if (g.oh * g.ow !== x.shape[x.ndim - 1]) throw new RangeError(`col2im: given output_size=(${g.h}, ${g.w}), kernel_size=(${kh}, ${kw}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${g.oh} * ${g.ow} = ${g.oh * g.ow}, but got input.size(2)=${x.shape[x.ndim - 1]}`);
  return g;
}

/** F.fold: sums the columns back into an image (the adjoint of im2col). */
export const col2im = defineOp({
  name: 'col2im',
  variants: [],
  overloads: [
    {
      schema: 'aten::col2im(Tensor self, SymInt[2] output_size, int[2] kernel_size, int[2] dilation, int[2] padding, int[2] stride) -> Tensor',
      infer: (a) => {
        const g = col2imGeometry(a);
        return { shape: (a.self as Tensor).ndim === 3 ? [g.n, g.c, g.h, g.w] : [g.c, g.h, g.w], dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const g = col2imGeometry(a);
        const x = (a.self as Tensor).contiguousArray(), o = out!.hostArray;
        o.fill(0);
        let p = 0;
        for (let n = 0; n < g.n; n++) for (let c = 0; c < g.c; c++) for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) {
          const base = (n * g.c + c) * g.h * g.w;
          for (let y = 0; y < g.oh; y++) {
            const iy = y * g.sh - g.ph + i * g.dh;
            for (let xw = 0; xw < g.ow; xw++, p++) {
              const ix = xw * g.sw - g.pw + j * g.dw;
              if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) o[base + iy * g.w + ix]! += x[p]!;
            }
          }
        }
      },
    },
  ],
});

/** torch.nn.functional.unfold / fold: Python signatures over im2col / col2im. */
export const unfoldF = defineOp({
  name: 'unfold',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::unfold(Tensor input, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, int[2] stride=1) -> Tensor',
      tags: ['composite'],
      decompose: (a) => callOp('aten::im2col', [a.input, a.kernel_size, a.dilation, a.padding, a.stride]),
    },
  ],
});
export const foldF = defineOp({
  name: 'fold',
  variants: ['F'],
  overloads: [
    {
      schema: 'torchlet::fold(Tensor input, int[2] output_size, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, int[2] stride=1) -> Tensor',
      tags: ['composite'],
      decompose: (a) => callOp('aten::col2im', [a.input, a.output_size, a.kernel_size, a.dilation, a.padding, a.stride]),
    },
  ],
});
