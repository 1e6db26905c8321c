import { copyInto } from '../../dispatch.js';
import { defineOp, type Args, type ViewSpec } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { selectSpec, sliceSpec } from '../shape/select.js';
import { diagonalSpec } from '../shape/as_strided.js';

/** out = clone(self), then the view `spec` of out is overwritten by src (same shape required). */
function embed(out: Tensor, self: Tensor, src: Tensor, spec: (t: Tensor) => ViewSpec, what: string): void {
  copyInto(out, self);
  const v = spec(out);
  if (v.shape.length !== src.ndim || v.shape.some((s, i) => s !== src.shape[i])) {
    throw new RangeError(`${what}: expected src to have a size equal to the slice of self. src size = [${src.shape.join(', ')}], slice size = [${v.shape.join(', ')}]`);
  }
  const view = new Tensor(out.storage.retain(), v.shape, v.strides, v.offset);
  try {
    copyInto(view, src);
  } finally {
    view.dispose();
  }
}

const sameAsSelf = (a: Args) => ({ shape: [...(a.self as Tensor).shape], dtype: (a.self as Tensor).dtype });

export const select_scatter = defineOp({
  name: 'select_scatter',
  overloads: [
    {
      schema: 'aten::select_scatter(Tensor self, Tensor src, int dim, int index) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => embed(out!, a.self, a.src, (t) => selectSpec(t, a.dim, a.index), 'select_scatter'),
    },
  ],
});

export const slice_scatter = defineOp({
  name: 'slice_scatter',
  overloads: [
    {
      schema: 'aten::slice_scatter(Tensor self, Tensor src, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => embed(out!, a.self, a.src, (t) => sliceSpec(t, a.dim, a.start, a.end, a.step), 'slice_scatter'),
    },
  ],
});

export const diagonal_scatter = defineOp({
  name: 'diagonal_scatter',
  overloads: [
    {
      schema: 'aten::diagonal_scatter(Tensor self, Tensor src, int offset=0, int dim1=0, int dim2=1) -> Tensor',
      infer: sameAsSelf,
      cpu: (a, [out]) => embed(out!, a.self, a.src, (t) => diagonalSpec(t, a.offset, a.dim1, a.dim2), 'diagonal_scatter'),
    },
  ],
});

