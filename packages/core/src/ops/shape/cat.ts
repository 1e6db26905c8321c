import { callOp } from '../../dispatch.js';
import { resultType } from '../../dtype.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { contiguousStrides } from '../../shape.js';
import { copyTensorInto, wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

/** PyTorch's legacy rule: 1-d tensors of size 0 are skipped whatever their shape. */
const skipped = (t: Tensor): boolean => t.ndim === 1 && t.shape[0] === 0;

function catGeometry(tensors: Tensor[], dim: number): { dim: number; shape: number[]; dtype: OutSpec['dtype']; inputs: Tensor[] } {
  if (tensors.length === 0) throw new RangeError('torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((t, i) => {
    if (t.ndim === 0) throw new RangeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const dtype = resultType(tensors.map((t) => ({ dtype: t.dtype, dim: t.ndim })));
  const inputs = tensors.filter((t) => !skipped(t));
  if (inputs.length === 0) return { dim: 0, shape: [0], dtype, inputs };
  const ref = inputs[0]!;
  const d = wrapDim(dim, ref.ndim);
  const shape = [...ref.shape];
  shape[d] = 0;
  tensors.forEach((t, i) => {
    if (skipped(t)) return;
    if (t.ndim !== ref.ndim) throw new RangeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RangeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`);
      }
    }
    shape[d] += t.shape[d]!;
  });
  return { dim: d, shape, dtype, inputs };
}

function catKernel(a: Args, [out]: Tensor[]): void {
  const g = catGeometry(a.tensors, a.dim);
  const strides = contiguousStrides(out!.shape);
  let start = 0;
  for (const t of g.inputs) {
    copyTensorInto(out!, start * (strides[g.dim] ?? 0), strides, t);
    start += t.shape[g.dim]!;
  }
}

const catInfer = (a: Args): OutSpec => {
  const g = catGeometry(a.tensors, a.dim);
  return { shape: g.shape, dtype: g.dtype };
};

/** Concatenates along `dim`, promoting dtypes across the inputs. */
export const cat = defineOp({
  name: 'cat',
  variants: ['function'],
  overloads: [{ schema: 'aten::cat(Tensor[] tensors, int dim=0) -> Tensor', infer: catInfer, cpu: catKernel }],
});

export const concat = defineOp({
  name: 'concat',
  variants: ['function'],
  overloads: [{ schema: 'aten::concat(Tensor[] tensors, int dim=0) -> Tensor', tags: ['composite'], decompose: (a) => callOp('aten::cat', [a.tensors, a.dim]) }],
});

export const concatenate = defineOp({
  name: 'concatenate',
  variants: ['function'],
  overloads: [{ schema: 'aten::concatenate(Tensor[] tensors, int dim=0) -> Tensor', tags: ['composite'], decompose: (a) => callOp('aten::cat', [a.tensors, a.dim]) }],
});

function withViews<T>(make: () => Tensor[], use: (ts: Tensor[]) => T): T {
  const ts = make();
  try {
    return use(ts);
  } finally {
    for (const t of ts) t.dispose();
  }
}

/** Joins same-shaped tensors along a new dim. */
export const stack = defineOp({
  name: 'stack',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::stack(Tensor[] tensors, int dim=0) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        if (ts.length === 0) throw new RangeError('stack expects a non-empty TensorList');
        const ref = ts[0]!;
        ts.forEach((t, i) => {
          if (t.ndim !== ref.ndim || t.shape.some((s, k) => s !== ref.shape[k])) {
            throw new RangeError(`stack expects each tensor to be equal size, but got [${ref.shape.join(', ')}] at entry 0 and [${t.shape.join(', ')}] at entry ${i}`);
          }
        });
        const d = wrapDim(a.dim, ref.ndim + 1);
        return withViews(
          () => ts.map((t) => callOp('aten::unsqueeze', [t, d]) as Tensor),
          (us) => callOp('aten::cat', [us, d]),
        );
      },
    },
  ],
});

function atleast(ts: Tensor[], n: 1 | 2 | 3): Tensor[] {
  return ts.map((t) => callOp(`aten::atleast_${n}d`, [t]) as Tensor);
}

export const hstack = defineOp({
  name: 'hstack',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::hstack(Tensor[] tensors) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        if (ts.length === 0) throw new RangeError('hstack expects a non-empty TensorList');
        return withViews(() => atleast(ts, 1), (xs) => callOp('aten::cat', [xs, xs[0]!.ndim === 1 ? 0 : 1]));
      },
    },
  ],
});

export const vstack = defineOp({
  name: 'vstack',
  variants: ['function'],
  aliases: ['row_stack'],
  overloads: [
    {
      schema: 'aten::vstack(Tensor[] tensors) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        if (ts.length === 0) throw new RangeError('vstack expects a non-empty TensorList');
        return withViews(() => atleast(ts, 2), (xs) => callOp('aten::cat', [xs, 0]));
      },
    },
  ],
});

export const dstack = defineOp({
  name: 'dstack',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::dstack(Tensor[] tensors) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        if (ts.length === 0) throw new RangeError('dstack expects a non-empty TensorList');
        return withViews(() => atleast(ts, 3), (xs) => callOp('aten::cat', [xs, 2]));
      },
    },
  ],
});

export const column_stack = defineOp({
  name: 'column_stack',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::column_stack(Tensor[] tensors) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        if (ts.length === 0) throw new RangeError('column_stack expects a non-empty TensorList');
        return withViews(
          () => ts.map((t) => (t.ndim <= 1 ? callOp('aten::reshape', [t, [t.numel(), 1]]) : callOp('aten::alias', [t])) as Tensor),
          (xs) => callOp('aten::hstack', [xs]),
        );
      },
    },
  ],
});
