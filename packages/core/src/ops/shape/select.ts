import { callOp, copyInto } from '../../dispatch.js';
import { defineOp, type ViewSpec } from '../../registry.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

export function selectSpec(self: Pick<Tensor, 'shape' | 'strides' | 'offset' | 'ndim'>, dim: number, index: number): ViewSpec {
  if (self.ndim === 0) throw new RangeError('select() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, self.ndim);
  const size = self.shape[d]!;
  if (index < -size || index >= size) {
    throw new RangeError(`select(): index ${index} out of range for tensor of size [${self.shape.join(', ')}] at dimension ${d}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = [...self.shape], strides = [...self.strides];
  shape.splice(d, 1);
  strides.splice(d, 1);
  return { shape, strides, offset: self.offset + i * self.strides[d]! };
}

export const select = defineOp({
  name: 'select',
  overloads: [{ schema: 'aten::select.int(Tensor(a) self, int dim, int index) -> Tensor(a)', view: (a) => selectSpec(a.self, a.dim, a.index) }],
});

/** Python slice semantics: None start/end, negative values wrap, out-of-range values clamp. */
export function sliceBounds(size: number, start: number | null, end: number | null, step: number): [number, number, number] {
  if (step <= 0) throw new RangeError('slice step must be positive');
  let s = start ?? 0, e = end ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  const len = Math.floor((e - s + step - 1) / step);
  return [s, e, len];
}

export function sliceSpec(self: Pick<Tensor, 'shape' | 'strides' | 'offset' | 'ndim'>, dim: number, start: number | null, end: number | null, step: number): ViewSpec {
  if (self.ndim === 0) throw new RangeError('slice() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, self.ndim);
  const [s, , len] = sliceBounds(self.shape[d]!, start, end, step);
  const shape = [...self.shape], strides = [...self.strides];
  shape[d] = len;
  strides[d] = self.strides[d]! * step;
  return { shape, strides, offset: self.offset + s * self.strides[d]! };
}

export const slice = defineOp({
  name: 'slice',
  overloads: [
    {
      schema: 'aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)',
      view: (a) => sliceSpec(a.self, a.dim, a.start, a.end, a.step),
    },
  ],
});

export function narrowSpec(self: Pick<Tensor, 'shape' | 'strides' | 'offset' | 'ndim'>, dim: number, start: number, length: number): ViewSpec {
  if (self.ndim === 0) throw new RangeError('narrow() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, self.ndim);
  const size = self.shape[d]!;
  if (start !== size && (start < -size || start >= size)) {
    const r = Math.max(size, 1);
    throw new RangeError(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${start})`);
  }
  const s = start < 0 ? start + size : start;
  if (length < 0 || s > size - length) throw new RangeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  const shape = [...self.shape];
  shape[d] = length;
  return { shape, strides: [...self.strides], offset: self.offset + s * self.strides[d]! };
}

function tensorStart(t: Tensor): number {
  if (t.ndim !== 0 || t.isFloatingPoint || t.dtype === 'bool') throw new TypeError('start must be an 0-dim integral Tensor.');
  return Number(t.item());
}

export const narrow = defineOp({
  name: 'narrow',
  overloads: [
    { schema: 'aten::narrow(Tensor(a) self, int dim, int start, int length) -> Tensor(a)', view: (a) => narrowSpec(a.self, a.dim, a.start, a.length) },
    { schema: 'aten::narrow.Tensor(Tensor(a) self, int dim, Tensor start, int length) -> Tensor(a)', view: (a) => narrowSpec(a.self, a.dim, tensorStart(a.start), a.length) },
  ],
});

export const narrow_copy = defineOp({
  name: 'narrow_copy',
  overloads: [
    {
      schema: 'aten::narrow_copy(Tensor self, int dim, SymInt start, SymInt length) -> Tensor',
      infer: (a) => ({ shape: narrowSpec(a.self, a.dim, a.start, a.length).shape, dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => {
        const v = callOp('aten::narrow', [a.self, a.dim, a.start, a.length]) as Tensor;
        copyInto(out!, v);
        v.dispose();
      },
    },
  ],
});

