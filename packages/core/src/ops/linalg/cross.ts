import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { normalizeDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { checkSameDtype, notImplemented } from './common.js';
import { broadcastBatch } from './matmul.js';

function crossInfer(x: Tensor, y: Tensor, dim: number): OutSpec {
  if (x.ndim !== y.ndim) throw new Error('linalg.cross: inputs must have the same number of dimensions.');
  const d = normalizeDim(dim, x.ndim);
  if (x.shape[d] !== 3 || y.shape[d] !== 3) throw new Error(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${x.shape[d]} and ${y.shape[d]}`);
  const shape = broadcastBatch(x.shape, y.shape);
  checkSameDtype(x.dtype, y.dtype);
  if (x.dtype === 'bool') notImplemented('cross', x.dtype);
  return { shape, dtype: x.dtype };
}

function crossKernel(x: Tensor, y: Tensor, dim: number, out: Tensor): void {
  const shape = out.shape, r = shape.length;
  const d = normalizeDim(dim, r);
  const bs = (t: Tensor): number[] => t.shape.map((s, i) => (s === 1 && shape[i] !== 1 ? 0 : t.strides[i]!));
  const sx = bs(x), sy = bs(y);
  const X = x.hostArray, Y = y.hostArray, O = out.hostArray;
  const ost = new Array<number>(r);
  for (let i = r - 1, s = 1; i >= 0; i--) {
    ost[i] = s;
    s *= shape[i]!;
  }
  const outer = shape.filter((_, i) => i !== d);
  const dims = shape.map((_, i) => i).filter((i) => i !== d);
  let n = 1;
  for (const s of outer) n *= s;
  const idx = new Array<number>(dims.length).fill(0);
  const xd = sx[d]!, yd = sy[d]!, od = ost[d]!;
  for (let k = 0; k < n; k++) {
    let px = x.offset, py = y.offset, po = 0;
    for (let q = 0; q < dims.length; q++) {
      px += idx[q]! * sx[dims[q]!]!;
      py += idx[q]! * sy[dims[q]!]!;
      po += idx[q]! * ost[dims[q]!]!;
    }
    const a0 = X[px]!, a1 = X[px + xd]!, a2 = X[px + 2 * xd]!;
    const b0 = Y[py]!, b1 = Y[py + yd]!, b2 = Y[py + 2 * yd]!;
    O[po] = a1 * b2 - a2 * b1;
    O[po + od] = a2 * b0 - a0 * b2;
    O[po + 2 * od] = a0 * b1 - a1 * b0;
    for (let q = dims.length - 1; q >= 0; q--) {
      if (++idx[q]! < outer[q]!) break;
      idx[q] = 0;
    }
  }
}

function defaultDim(a: Args): number {
  if (a.dim !== null && a.dim !== undefined) return a.dim as number;
  const x = a.self as Tensor;
  const i = x.shape.indexOf(3);
  if (i < 0) throw new Error('no dimension of size 3 in input');
  return i;
}

/** torch.cross: dim=None picks the first dim of size 3 (deprecated PyTorch behaviour). */
export const cross = defineOp({
  name: 'cross',
  overloads: [
    {
      schema: 'aten::cross(Tensor self, Tensor other, int? dim=None) -> Tensor',
      infer: (a) => crossInfer(a.self, a.other, defaultDim(a)),
      cpu: (a, [out]) => crossKernel(a.self, a.other, defaultDim(a), out!),
    },
  ],
});

/** torch.linalg.cross (reachable by its ATen name; torchlet has no torch.linalg namespace yet). */
export const linalg_cross = defineOp({
  name: 'linalg_cross',
  variants: [],
  overloads: [
    {
      schema: 'aten::linalg_cross(Tensor self, Tensor other, *, int dim=-1) -> Tensor',
      infer: (a) => crossInfer(a.self, a.other, a.dim),
      cpu: (a, [out]) => crossKernel(a.self, a.other, a.dim, out!),
    },
  ],
});
