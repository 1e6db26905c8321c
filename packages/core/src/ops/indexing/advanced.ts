import { copyInto } from '../../dispatch.js';
import { defineOp, type Args } from '../../registry.js';
import { broadcastShapes, contiguousStrides } from '../../shape.js';
import { broadcastStrides } from '../../cpu/pointwise.js';
import { toDType, walk } from '../../cpu/index_util.js';
import { TYPE_NAMES } from '../../cpu/shape_copy.js';
import { Tensor } from '../../tensor.js';

/**
 * PyTorch's advanced indexing plan for self[indices]: bool/uint8 masks become the index tensors
 * of their nonzero positions, index tensors broadcast together, and the broadcast dims replace the
 * indexed dims in place when those are adjacent, or go first otherwise.
 */
interface IndexPlan {
  shape: number[];
  /** per result dim: source offsets (the broadcast index dims are flattened into one table) */
  tables: Int32Array[];
  /** shape with the broadcast dims flattened (matches `tables`) */
  flatShape: number[];
}

function planIndex(self: Tensor, indices: readonly (Tensor | null)[]): IndexPlan {
  const dims: number[] = [];
  const sizes = self.shape;
  if (indices.length > self.ndim) throw new RangeError(`too many indices for tensor of dimension ${self.ndim} (got ${indices.length})`);
  const tensors: (Tensor | null)[] = [];
  for (const ix of indices) {
    if (ix === null) {
      tensors.push(null);
      continue;
    }
    if (ix.dtype === 'bool' || ix.dtype === 'uint8') {
      const at = tensors.length;
      for (let j = 0; j < ix.ndim; j++) {
        if (ix.shape[j] !== sizes[at + j]) {
          throw new RangeError(`The shape of the mask [${ix.shape.join(', ')}] at index ${j} does not match the shape of the indexed tensor [${sizes.join(', ')}] at index ${at + j}`);
        }
      }
      const m = ix.contiguousArray();
      const nz: number[][] = Array.from({ length: ix.ndim }, () => []);
      const st = contiguousStrides(ix.shape);
      for (let i = 0; i < m.length; i++) {
        if (!m[i]) continue;
        for (let j = 0; j < ix.ndim; j++) nz[j]!.push(Math.floor(i / st[j]!) % ix.shape[j]!);
      }
      for (let j = 0; j < ix.ndim; j++) tensors.push(Tensor.fromArray(Float64Array.from(nz[j]!), [nz[j]!.length], 'int64'));
      continue;
    }
    if (ix.isFloatingPoint) throw new TypeError('tensors used as indices must be long, int, byte or bool tensors');
    tensors.push(ix);
  }
  if (tensors.length > self.ndim) throw new RangeError(`too many indices for tensor of dimension ${self.ndim} (got ${tensors.length})`);
  try {
    tensors.forEach((t, d) => {
      if (t) dims.push(d);
    });
    const present = tensors.filter((t): t is Tensor => t !== null);
    if (present.length === 0) {
      // nothing indexed: a copy
      const tables = self.shape.map((s, d) => Int32Array.from({ length: s }, (_, i) => i * self.strides[d]!));
      return { shape: [...self.shape], tables, flatShape: [...self.shape] };
    }
    let bshape: number[];
    try {
      bshape = broadcastShapes(...present.map((t) => t.shape));
    } catch {
      throw new RangeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${present.map((t) => `[${t.shape.join(', ')}]`).join(', ')}`);
    }
    const bn = bshape.reduce((x, y) => x * y, 1);
    // offsets of the indexed dims, per broadcast position
    const bt = new Int32Array(bn);
    // (PyTorch names the position among the index tensors in its out-of-bounds message)
    for (const [k, d] of dims.entries()) {
      const t = tensors[d]!;
      const st = broadcastStrides(t, bshape);
      const v = t.hostArray;
      const size = sizes[d]!, stride = self.strides[d]!;
      walk(bshape, [st], [t.offset], (p, flat) => {
        const i = v[p[0]!]!;
        if (i < -size || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${k} with size ${size}`);
        bt[flat]! += (i < 0 ? i + size : i) * stride;
      });
    }
    const contiguousSubspace = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
    const rest = self.shape.map((_, d) => d).filter((d) => !dims.includes(d));
    const table = (d: number): Int32Array => Int32Array.from({ length: sizes[d]! }, (_, i) => i * self.strides[d]!);
    let shape: number[], flatShape: number[], tables: Int32Array[];
    if (contiguousSubspace) {
      const before = rest.filter((d) => d < dims[0]!), after = rest.filter((d) => d > dims[0]!);
      shape = [...before.map((d) => sizes[d]!), ...bshape, ...after.map((d) => sizes[d]!)];
      flatShape = [...before.map((d) => sizes[d]!), bn, ...after.map((d) => sizes[d]!)];
      tables = [...before.map(table), bt, ...after.map(table)];
    } else {
      shape = [...bshape, ...rest.map((d) => sizes[d]!)];
      flatShape = [bn, ...rest.map((d) => sizes[d]!)];
      tables = [bt, ...rest.map(table)];
    }
    return { shape, tables, flatShape };
  } finally {
    for (const t of tensors) if (t && !indices.includes(t)) t.dispose();
  }
}

/** out[flat] = src[offset] in row-major result order (the hot loop of aten::index). */
function gatherPlan(plan: IndexPlan, base: number, src: ArrayLike<number>, o: { [i: number]: number }): void {
  const shape = plan.flatShape, tables = plan.tables;
  const rank = shape.length;
  let n = 1;
  for (const s of shape) n *= s;
  if (n === 0) return;
  if (rank === 0) {
    o[0] = src[base]!;
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1, inner = shape[last]!, lt = tables[last]!;
  for (let f = 0; f < n; ) {
    let b = base;
    for (let d = 0; d < last; d++) b += tables[d]![idx[d]!]!;
    for (let k = 0; k < inner; k++) o[f++] = src[b + lt[k]!]!;
    let d = last - 1;
    for (; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

/** Visits (flat result position, source offset) in row-major result order. */
function visitPlan(plan: IndexPlan, base: number, fn: (flat: number, src: number) => void): void {
  const shape = plan.flatShape, tables = plan.tables;
  const rank = shape.length;
  let n = 1;
  for (const s of shape) n *= s;
  if (n === 0) return;
  if (rank === 0) {
    fn(0, base);
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1, inner = shape[last]!, lt = tables[last]!;
  for (let o = 0; o < n; ) {
    let b = base;
    for (let d = 0; d < last; d++) b += tables[d]![idx[d]!]!;
    for (let k = 0; k < inner; k++) fn(o++, b + lt[k]!);
    let d = last - 1;
    for (; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

function indexOut(a: Args) {
  const self = a.self as Tensor;
  return { shape: planIndex(self, a.indices).shape, dtype: self.dtype };
}

/** self[indices] with tensor (or None) indices: PyTorch's advanced indexing. */
export const index = defineOp({
  name: 'index',
  variants: ['function', 'method'],
  overloads: [
    {
      schema: 'aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor',
      infer: indexOut,
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const plan = planIndex(self, a.indices);
        gatherPlan(plan, self.offset, self.hostArray, out!.hostArray);
      },
    },
    {
      schema: 'aten::index.Tensor_hacked_twin(Tensor self, Tensor[] indices) -> Tensor',
      infer: indexOut,
      cpu: (a, [out]) => {
        const self = a.self as Tensor;
        const plan = planIndex(self, a.indices);
        gatherPlan(plan, self.offset, self.hostArray, out!.hostArray);
      },
    },
  ],
});

/** Writes `values` (broadcast to the indexed shape) into `dst` at self[indices] (accumulate: +=). */
export function indexPutInto(dst: Tensor, indices: readonly (Tensor | null)[], values: Tensor, accumulate: boolean): void {
  if (values.dtype !== dst.dtype) {
    throw new TypeError(`Index put requires the source and destination dtypes match, got ${TYPE_NAMES[dst.dtype]} for the destination and ${TYPE_NAMES[values.dtype]} for the source.`);
  }
  const plan = planIndex(dst, indices);
  let vs: number[];
  try {
    broadcastShapes(plan.shape, values.shape);
    if (values.ndim > plan.shape.length || broadcastShapes(plan.shape, values.shape).join() !== plan.shape.join()) throw new Error();
    vs = broadcastStrides(values, plan.shape);
  } catch {
    throw new RangeError(`shape mismatch: value tensor of shape [${values.shape.join(', ')}] cannot be broadcast to indexing result of shape [${plan.shape.join(', ')}]`);
  }
  // values in result order
  const n = plan.shape.reduce((x, y) => x * y, 1);
  const vals = new Float64Array(n);
  const va = values.hostArray;
  walk(plan.shape, [vs], [values.offset], (p, flat) => (vals[flat] = va[p[0]!]!));
  const o = dst.hostArray, dt = dst.dtype;
  visitPlan(plan, dst.offset, (f, p) => (o[p] = accumulate ? toDType(o[p]! + vals[f]!, dt) : vals[f]!));
}

/** out = self with out[indices] = values (accumulate adds, duplicates included). */
export const index_put = defineOp({
  name: 'index_put',
  overloads: [
    {
      schema: 'aten::index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor',
      infer: (a) => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        copyInto(out!, a.self);
        indexPutInto(out!, a.indices, a.values, a.accumulate);
      },
    },
    {
      schema: 'aten::index_put.hacked_twin(Tensor self, Tensor[] indices, Tensor values, bool accumulate=False) -> Tensor',
      infer: (a) => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        copyInto(out!, a.self);
        indexPutInto(out!, a.indices, a.values, a.accumulate);
      },
    },
  ],
});

/** In place: self[indices] = values (or += with accumulate); returns self. */
export const index_put_ = defineOp({
  name: 'index_put_',
  variants: ['method'],
  tags: ['inplace'],
  overloads: [
    {
      schema: 'aten::index_put_(Tensor(a!) self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)',
      cpuDynamic: (a) => {
        indexPutInto(a.self, a.indices, a.values, a.accumulate);
        return a.self;
      },
    },
    {
      schema: 'aten::index_put_.hacked_twin(Tensor(a!) self, Tensor[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)',
      cpuDynamic: (a) => {
        indexPutInto(a.self, a.indices, a.values, a.accumulate);
        return a.self;
      },
    },
  ],
});
