import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { broadcastShapes, contiguousStrides } from '../../shape.js';
import { broadcastStrides } from '../../cpu/pointwise.js';
import { walk } from '../../cpu/index_util.js';
import { Tensor } from '../../tensor.js';

function checkMask(mask: Tensor, op: string): void {
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') throw new TypeError(`${op}: expected BoolTensor or ByteTensor for mask`);
}

/** Row-major (flat position, self pointer, mask pointer) over the broadcast shape of self and mask. */
function visitMasked(self: Tensor, mask: Tensor, shape: number[], fn: (flat: number, ps: number, on: boolean) => void): void {
  const m = mask.hostArray;
  walk(shape, [broadcastStrides(self, shape), broadcastStrides(mask, shape)], [self.offset, mask.offset], (p, flat) => fn(flat, p[0]!, m[p[1]!] !== 0));
}

/** The elements of self (broadcast with mask) where mask is true, as a 1-d tensor. */
export const masked_select = defineOp({
  name: 'masked_select',
  overloads: [
    {
      schema: 'aten::masked_select(Tensor self, Tensor mask) -> Tensor',
      cpuDynamic: (a) => {
        const self = a.self as Tensor, mask = a.mask as Tensor;
        checkMask(mask, 'masked_select');
        const shape = broadcastShapes(self.shape, mask.shape);
        const vals: number[] = [];
        const src = self.hostArray;
        visitMasked(self, mask, shape, (_f, ps, on) => {
          if (on) vals.push(src[ps]!);
        });
        const out = Tensor.empty([vals.length], self.dtype);
        out.hostArray.set(vals);
        return out;
      },
    },
  ],
});

/** out = self (broadcast with mask) with the masked positions filled from source in order. */
export const masked_scatter = defineOp({
  name: 'masked_scatter',
  inplace: true,
  overloads: [
    {
      schema: 'aten::masked_scatter(Tensor self, Tensor mask, Tensor source) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor, mask = a.mask as Tensor, source = a.source as Tensor;
        checkMask(mask, 'masked_scatter_');
        if (source.dtype !== self.dtype) throw new TypeError(`masked_scatter: expected self and source to have same dtypes but got ${self.dtype} and ${source.dtype}`);
        return { shape: broadcastShapes(self.shape, mask.shape), dtype: self.dtype };
      },
      cpu: (a, [out]) => {
        const self = a.self as Tensor, mask = a.mask as Tensor;
        const src = (a.source as Tensor).contiguousArray();
        const s = self.hostArray, o = out!.hostArray;
        let k = 0;
        visitMasked(self, mask, out!.shape, (flat, ps, on) => {
          if (on) {
            if (k >= src.length) throw new RangeError('Number of elements of source < number of ones in mask');
            o[flat] = src[k++]!;
          } else o[flat] = s[ps]!;
        });
      },
    },
  ],
});

function nonzeroImpl(self: Tensor): Tensor {
  const shape = self.shape;
  const st = contiguousStrides(shape);
  const v = self.contiguousArray();
  const rows: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 0) continue;
    for (let d = 0; d < shape.length; d++) rows.push(Math.floor(i / st[d]!) % shape[d]!);
  }
  const n = shape.length === 0 ? (v[0] !== 0 ? 1 : 0) : rows.length / shape.length;
  const out = Tensor.empty([n, shape.length], 'int64');
  out.hostArray.set(rows);
  return out;
}

function nonzeroTuple(self: Tensor): Tensor[] {
  const x = self.ndim === 0 ? (callOp('aten::unsqueeze', [self, 0]) as Tensor) : self;
  const nz = nonzeroImpl(x);
  const cols: Tensor[] = [];
  for (let d = 0; d < x.ndim; d++) {
    const c = Tensor.empty([nz.shape[0]!], 'int64');
    const h = nz.hostArray, o = c.hostArray;
    for (let i = 0; i < nz.shape[0]!; i++) o[i] = h[i * x.ndim + d]!;
    cols.push(c);
  }
  nz.dispose();
  if (x !== self) x.dispose();
  return cols;
}

/**
 * Indices of the non-zero elements, one row per element ([n, ndim], int64). torch.nonzero's
 * `as_tuple=True` (a torchlet-namespace schema, as it is Python-level) gives one 1-d tensor per dim.
 */
export const nonzero = defineOp({
  name: 'nonzero',
  overloads: [
    { schema: 'aten::nonzero(Tensor self) -> Tensor', cpuDynamic: (a) => nonzeroImpl(a.self) },
    { schema: 'torchlet::nonzero(Tensor self, *, bool as_tuple=False) -> Any', cpuDynamic: (a) => (a.as_tuple ? nonzeroTuple(a.self) : nonzeroImpl(a.self)) },
  ],
});

export const nonzero_numpy = defineOp({
  name: 'nonzero_numpy',
  variants: [],
  overloads: [{ schema: 'aten::nonzero_numpy(Tensor self) -> Tensor[]', cpuDynamic: (a) => nonzeroTuple(a.self) }],
});

export const argwhere = defineOp({
  name: 'argwhere',
  overloads: [{ schema: 'aten::argwhere(Tensor self) -> Tensor', cpuDynamic: (a) => nonzeroImpl(a.self) }],
});
