import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { Tensor } from '../../tensor.js';

function meshgridImpl(tensors: Tensor[], indexing: string): Tensor[] {
  if (tensors.length === 0) throw new RangeError('torch.meshgrid expects a non-empty TensorList');
  if (indexing !== 'ij' && indexing !== 'xy') throw new RangeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  const ts = [...tensors];
  for (const t of ts) {
    if (t.dtype !== ts[0]!.dtype) throw new TypeError('torch.meshgrid: expects all tensors to have the same dtype');
    if (t.device !== ts[0]!.device) throw new TypeError('torch.meshgrid: expects all tensors to have the same device');
  }
  const swap = indexing === 'xy' && ts.length >= 2;
  if (swap) [ts[0], ts[1]] = [ts[1]!, ts[0]!];
  const shape = ts.map((t) => {
    if (t.ndim > 1) throw new RangeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: Tensor[${t.shape.join(', ')}]`);
    return t.numel();
  });
  const grids = ts.map((t, i) => {
    const vs = shape.map((_, k) => (k === i ? -1 : 1));
    const v = callOp('aten::view', [t, vs]) as Tensor;
    const g = callOp('aten::expand', [v, shape]) as Tensor;
    v.dispose();
    return g;
  });
  if (swap) [grids[0], grids[1]] = [grids[1]!, grids[0]!];
  return grids;
}

/** Coordinate grids (views) from 0-d/1-d tensors; indexing 'ij' (matrix, the default) or 'xy' (Cartesian). */
export const meshgrid = defineOp({
  name: 'meshgrid',
  variants: ['function'],
  overloads: [
    { schema: 'aten::meshgrid(Tensor[] tensors) -> Tensor[]', tags: ['composite'], decompose: (a) => meshgridImpl(a.tensors, 'ij') },
    { schema: 'aten::meshgrid.indexing(Tensor[] tensors, *, str indexing) -> Tensor[]', tags: ['composite'], decompose: (a) => meshgridImpl(a.tensors, a.indexing) },
  ],
});

export const cartesian_prod = defineOp({
  name: 'cartesian_prod',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::cartesian_prod(Tensor[] tensors) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        for (const t of ts) if (t.ndim !== 1) throw new RangeError(`Expect a 1D vector, but got shape [${t.shape.join(', ')}]`);
        if (ts.length === 1) return callOp('aten::alias', [ts[0]]);
        const grids = meshgridImpl(ts, 'ij');
        const flat = grids.map((g) => callOp('aten::reshape', [g, [-1]]) as Tensor);
        const r = callOp('aten::stack', [flat, 1]);
        for (const t of [...grids, ...flat]) t.dispose();
        return r;
      },
    },
  ],
});

/** itertools.combinations (or combinations_with_replacement) of the elements of a 1-d tensor, as rows. */
export const combinations = defineOp({
  name: 'combinations',
  overloads: [
    {
      schema: 'aten::combinations(Tensor self, int r=2, bool with_replacement=False) -> Tensor',
      cpuDynamic: (a) => {
        const self = a.self as Tensor;
        const r = a.r as number, rep = a.with_replacement as boolean;
        if (self.ndim !== 1) throw new RangeError(`Expect a 1D vector, but got shape [${self.shape.join(', ')}]`);
        if (r < 0) throw new RangeError(`Expect a non-negative number, but got ${r}`);
        if (r === 0) return Tensor.empty([0], self.dtype);
        const n = self.shape[0]!;
        const src = self.contiguousArray();
        const rows: number[][] = [];
        const idx = new Array<number>(r).fill(0);
        const rec = (k: number, start: number): void => {
          if (k === r) {
            rows.push(idx.map((i) => src[i]!));
            return;
          }
          for (let i = start; i < n; i++) {
            idx[k] = i;
            rec(k + 1, rep ? i : i + 1);
          }
        };
        rec(0, 0);
        const out = Tensor.empty([rows.length, r], self.dtype);
        const o = out.hostArray;
        rows.forEach((row, i) => row.forEach((v, j) => (o[i * r + j] = v)));
        return out;
      },
    },
  ],
});
