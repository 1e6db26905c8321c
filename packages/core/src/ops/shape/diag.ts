import { callOp } from '../../dispatch.js';
import { resultType } from '../../dtype.js';
import { defineOp, type Args } from '../../registry.js';
import { contiguousStrides } from '../../shape.js';
import { castFn, stridedCopy, wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';
import { diagonalSpec } from './as_strided.js';

function diagShape(self: Tensor, k: number): number[] {
  if (self.ndim === 1) {
    const n = self.shape[0]! + Math.abs(k);
    return [n, n];
  }
  if (self.ndim === 2) {
    // PyTorch sizes the result min(rows, cols - k) (or min(rows + k, cols)) without clamping at 0
    const [r, c] = self.shape as [number, number];
    const n = k >= 0 ? Math.min(r, c - k) : Math.min(r + k, c);
    if (n < 0) throw new RangeError('numel: integer multiplication overflow');
    return [n];
  }
  throw new RangeError('matrix or a vector expected');
}

/** Writes `src` onto the diagonal (offset, dim1, dim2) of the zero-filled contiguous `out`. */
function embedDiagonal(out: Tensor, src: Tensor, offset: number, dim1: number, dim2: number): void {
  const spec = diagonalSpec({ shape: out.shape, strides: contiguousStrides(out.shape), offset: 0, ndim: out.ndim }, offset, dim1, dim2);
  stridedCopy(out.hostArray, spec.offset, spec.strides, src.hostArray, src.offset, src.strides, spec.shape, out.dtype === src.dtype ? undefined : castFn(out.dtype));
}

/** 1-d input: a square matrix with it on the k-th diagonal; 2-d input: its k-th diagonal. */
export const diag = defineOp({
  name: 'diag',
  overloads: [
    {
      schema: 'aten::diag(Tensor self, int diagonal=0) -> Tensor',
      infer: (a) => ({ shape: diagShape(a.self, a.diagonal), dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        if (self.ndim === 1) embedDiagonal(out!, self, a.diagonal, 0, 1);
        else {
          const s = diagonalSpec(self, a.diagonal, 0, 1);
          stridedCopy(out!.hostArray, 0, [1], self.hostArray, s.offset, s.strides, s.shape);
        }
      },
    },
  ],
});

function embedDims(self: Tensor, offset: number, dim1: number, dim2: number): { shape: number[]; d1: number; d2: number } {
  const n = self.ndim + 1;
  const d1 = wrapDim(dim1, n, 'dim1'), d2 = wrapDim(dim2, n, 'dim2');
  if (d1 === d2) throw new RangeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const last = self.ndim === 0 ? 1 : self.shape[self.ndim - 1]!;
  const size = last + Math.abs(offset);
  const rest = self.shape.slice(0, -1);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) shape.push(i === d1 || i === d2 ? size : rest[k++]!);
  return { shape, d1, d2 };
}

/** Puts the last dim of the input on the diagonal of the new dims dim1/dim2. */
export const diag_embed = defineOp({
  name: 'diag_embed',
  overloads: [
    {
      schema: 'aten::diag_embed(Tensor self, int offset=0, int dim1=-2, int dim2=-1) -> Tensor',
      infer: (a) => ({ shape: embedDims(a.self, a.offset, a.dim1, a.dim2).shape, dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        const g = embedDims(a.self, a.offset, a.dim1, a.dim2);
        embedDiagonal(out!, a.self, a.offset, g.d1, g.d2);
      },
    },
  ],
});

export const diagflat = defineOp({
  name: 'diagflat',
  overloads: [
    {
      schema: 'aten::diagflat(Tensor self, int offset=0) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const flat = callOp('aten::reshape', [a.self, [-1]]) as Tensor;
        const r = callOp('aten::diag', [flat, a.offset]);
        flat.dispose();
        return r;
      },
    },
  ],
});

function blockDiag(a: Args, out?: Tensor): number[] {
  const ts = a.tensors as Tensor[];
  let rows = 0, cols = 0;
  ts.forEach((t, i) => {
    if (t.ndim > 2) throw new RangeError(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`);
    const [r, c] = t.ndim === 2 ? [t.shape[0]!, t.shape[1]!] : t.ndim === 1 ? [1, t.shape[0]!] : [1, 1];
    if (out) {
      const cast = out.dtype === t.dtype ? undefined : castFn(out.dtype);
      const st = t.ndim === 2 ? t.strides : t.ndim === 1 ? [0, t.strides[0]!] : [0, 0];
      stridedCopy(out.hostArray, rows * out.shape[1]! + cols, [out.shape[1]!, 1], t.hostArray, t.offset, st, [r, c], cast);
    }
    rows += r;
    cols += c;
  });
  return [rows, cols];
}

/** Block-diagonal matrix from 0-, 1- and 2-d tensors (dtypes promote). */
export const block_diag = defineOp({
  name: 'block_diag',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::block_diag(Tensor[] tensors) -> Tensor',
      infer: (a) => {
        const ts = a.tensors as Tensor[];
        const dtype = ts.length ? resultType(ts.map((t) => ({ dtype: t.dtype, dim: 1 }))) : 'float32';
        return { shape: blockDiag(a), dtype };
      },
      cpu: (a, [out]) => void blockDiag(a, out!),
    },
  ],
});
