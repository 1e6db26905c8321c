import { callOp, copyInto } from '../../dispatch.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { broadcastShapes, contiguousStrides } from '../../shape.js';
import { scalarAs, wrapDim } from '../../cpu/shape_copy.js';
import { checkLongIndex, dimsOf, reduceFn, reduceInit, toDType, walk, type Reduce } from '../../cpu/index_util.js';
import type { Tensor } from '../../tensor.js';

function gatherCheck(self: Tensor, dim: number, index: Tensor): number {
  const d = wrapDim(dim, self.ndim);
  checkLongIndex(index, 'gather');
  const s = dimsOf(self), i = dimsOf(index);
  if (s.shape.length !== i.shape.length) throw new RangeError('Index tensor must have the same number of dimensions as input tensor');
  for (let k = 0; k < s.shape.length; k++) {
    if (k !== d && i.shape[k]! > s.shape[k]!) {
      throw new RangeError(`Size does not match at dimension ${k} expected index [${index.shape.join(', ')}] to be smaller than self [${self.shape.join(', ')}] apart from dimension ${d}`);
    }
  }
  return d;
}

/** gather/scatter do not wrap negative indices. */
function inBounds(i: number, size: number, dim: number): number {
  if (i < 0 || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i;
}

/** out[i][j] = self[index[i][j]][j] (dim 0): values along `dim` picked by `index`. */
export function gatherInto(out: Tensor, self: Tensor, d: number, index: Tensor): void {
  const s = dimsOf(self), ix = dimsOf(index);
  const size = s.shape[d]!, dStride = s.strides[d]!;
  const selfStrides = s.strides.map((st, k) => (k === d ? 0 : st));
  const src = self.hostArray, iv = index.hostArray, o = out.hostArray;
  walk(ix.shape, [ix.strides, selfStrides], [index.offset, self.offset], (p, flat) => {
    o[flat] = src[p[1]! + inBounds(iv[p[0]!]!, size, d) * dStride]!;
  });
}

export const gather = defineOp({
  name: 'gather',
  overloads: [
    {
      schema: 'aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor',
      infer: (a) => {
        gatherCheck(a.self, a.dim, a.index);
        return { shape: [...(a.index as Tensor).shape], dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => gatherInto(out!, a.self, gatherCheck(a.self, a.dim, a.index), a.index),
    },
  ],
});

// ---------------------------------------------------------------- scatter

type ScatterMode = 'set' | 'add' | 'multiply';

function scatterCheck(self: Tensor, dim: number, index: Tensor, src: Tensor | null, op: string): number {
  const d = wrapDim(dim, self.ndim);
  checkLongIndex(index, op);
  if (src && src.dtype !== self.dtype) throw new TypeError(`${op}(): Expected self.dtype to be equal to src.dtype`);
  if (index.numel() === 0) return d;
  const s = dimsOf(self), ix = dimsOf(index);
  if (s.shape.length !== ix.shape.length) throw new RangeError('Index tensor must have the same number of dimensions as self tensor');
  let wrong = false;
  for (let k = 0; k < s.shape.length; k++) if (k !== d && ix.shape[k]! > s.shape[k]!) wrong = true;
  if (src && !wrong) {
    const sr = dimsOf(src);
    for (let k = 0; k < s.shape.length; k++) if (ix.shape[k]! > (sr.shape[k] ?? 1)) wrong = true;
  }
  if (wrong) {
    throw new RangeError(
      `Expected index [${index.shape.join(', ')}] to be smaller than self [${self.shape.join(', ')}] apart from dimension ${d}` + (src ? ` and to be smaller size than src [${src.shape.join(', ')}]` : ''),
    );
  }
  return d;
}

/**
 * Visits the scatter pairs (position in `out`, position in `src` or -1 for a scalar value):
 * out[index[i][j]][j] <- src[i][j] (dim 0). `out` is contiguous.
 */
function scatterVisit(out: Tensor, d: number, index: Tensor, src: Tensor | null, fn: (outPos: number, srcPos: number) => void): void {
  const os = dimsOf(out), ix = dimsOf(index);
  const oStrides = contiguousStrides(os.shape);
  const size = os.shape[d]!, dStride = oStrides[d]!;
  const outStrides = oStrides.map((st, k) => (k === d ? 0 : st));
  const srcStrides = src ? dimsOf(src).strides : ix.shape.map(() => 0);
  const iv = index.hostArray;
  walk(ix.shape, [ix.strides, outStrides, srcStrides], [index.offset, 0, src ? src.offset : 0], (p) => {
    fn(p[1]! + inBounds(iv[p[0]!]!, size, d) * dStride, src ? p[2]! : -1);
  });
}

function scatterKernel(mode: ScatterMode, withSrc: boolean, op: string) {
  return (a: Args, [out]: Tensor[]): void => {
    const self = a.self as Tensor, index = a.index as Tensor;
    const src = withSrc ? (a.src as Tensor) : null;
    const d = scatterCheck(self, a.dim, index, src, op);
    copyInto(out!, self);
    const o = out!.hostArray, dt = out!.dtype;
    const sv = src ? src.hostArray : null;
    const value = withSrc ? 0 : scalarAs(a.value, dt);
    scatterVisit(out!, d, index, src, (po, ps) => {
      const v = sv ? sv[ps]! : value;
      o[po] = mode === 'set' ? v : toDType(mode === 'add' ? o[po]! + v : o[po]! * v, dt);
    });
  };
}

function reduceMode(r: string): ScatterMode {
  if (r === 'add') return 'add';
  if (r === 'multiply') return 'multiply';
  throw new RangeError(`reduce argument must be either add or multiply.`);
}

const sameAsSelf = (a: Args): OutSpec => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype });

/** out = self with out[index[i][j]][j] = src[i][j] (dim 0); `reduce` 'add'/'multiply' accumulates. */
export const scatter = defineOp({
  name: 'scatter',
  inplace: true,
  overloads: [
    { schema: 'aten::scatter.value(Tensor self, int dim, Tensor index, Scalar value) -> Tensor', infer: sameAsSelf, cpu: scatterKernel('set', false, 'scatter') },
    { schema: 'aten::scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor', infer: sameAsSelf, cpu: scatterKernel('set', true, 'scatter') },
    {
      schema: 'aten::scatter.reduce(Tensor self, int dim, Tensor index, Tensor src, *, str reduce) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, outs) => scatterKernel(reduceMode(a.reduce), true, 'scatter')(a, outs),
    },
    {
      schema: 'aten::scatter.value_reduce(Tensor self, int dim, Tensor index, Scalar value, *, str reduce) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, outs) => scatterKernel(reduceMode(a.reduce), false, 'scatter')(a, outs),
    },
  ],
});

export const scatter_add = defineOp({
  name: 'scatter_add',
  inplace: true,
  overloads: [{ schema: 'aten::scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor', infer: sameAsSelf, cpu: scatterKernel('add', true, 'scatter_add') }],
});

const REDUCES = ['sum', 'prod', 'mean', 'amax', 'amin'];

/** Reduces src values into self at the scattered positions (include_self: self's value takes part). */
export const scatter_reduce = defineOp({
  name: 'scatter_reduce',
  inplace: true,
  overloads: [
    {
      schema: 'aten::scatter_reduce.two(Tensor self, int dim, Tensor index, Tensor src, str reduce, *, bool include_self=True) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => {
        const self = a.self as Tensor, index = a.index as Tensor, src = a.src as Tensor;
        const r = a.reduce as Reduce;
        if (!REDUCES.includes(r)) throw new RangeError('reduce argument must be either sum, prod, mean, amax or amin.');
        const d = scatterCheck(self, a.dim, index, src, 'scatter_reduce');
        copyInto(out!, self);
        const o = out!.hostArray, dt = out!.dtype, sv = src.hostArray;
        const f = reduceFn(r);
        if (!a.include_self) {
          const init = reduceInit(r, dt);
          scatterVisit(out!, d, index, src, (po) => (o[po] = init));
        }
        const count = r === 'mean' ? new Float64Array(o.length).fill(a.include_self ? 1 : 0) : null;
        scatterVisit(out!, d, index, src, (po, ps) => {
          o[po] = toDType(f(o[po]!, sv[ps]!), dt);
          if (count) count[po]!++;
        });
        if (count) {
          const isFloat = dt === 'float32' || dt === 'float64' || dt === 'float16';
          for (let i = 0; i < o.length; i++) {
            const c = count[i]! === 0 ? 1 : count[i]!;
            o[i] = isFloat ? o[i]! / c : Math.floor(o[i]! / c);
          }
        }
      },
    },
  ],
});

/** Like numpy.take_along_axis: gather after broadcasting self and indices except along dim; no dim: flattened. */
export const take_along_dim = defineOp({
  name: 'take_along_dim',
  overloads: [
    {
      schema: 'aten::take_along_dim(Tensor self, Tensor indices, int? dim=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor, indices = a.indices as Tensor;
        if (a.dim === null) {
          const sv = callOp('aten::view', [self, [-1]]) as Tensor;
          const iv = callOp('aten::view', [indices, [-1]]) as Tensor;
          try {
            return callOp('aten::gather', [sv, 0, iv]);
          } finally {
            sv.dispose();
            iv.dispose();
          }
        }
        if (self.ndim !== indices.ndim) {
          throw new RangeError(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${self.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
        }
        if (indices.dtype !== 'int64') throw new TypeError(`torch.take_along_dim(): dtype of indices should be Long but got ${indices.dtype}`);
        const d = wrapDim(a.dim, self.ndim);
        const ss = [...self.shape];
        ss[d] = indices.shape[d]!;
        const ib = callOp('aten::broadcast_to', [indices, broadcastShapes(ss, indices.shape)]) as Tensor;
        const is = [...indices.shape];
        is[d] = self.shape[d]!;
        const sb = callOp('aten::broadcast_to', [self, broadcastShapes(is, self.shape)]) as Tensor;
        try {
          return callOp('aten::gather', [sb, d, ib]);
        } finally {
          ib.dispose();
          sb.dispose();
        }
      },
    },
  ],
});
