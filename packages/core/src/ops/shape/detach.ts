import { defineOp, type ViewSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { transposeSpec } from './transpose.js';

const same = (t: Tensor): ViewSpec => ({ shape: [...t.shape], strides: [...t.strides], offset: t.offset });

/** A view that shares storage; torchlet has no autograd, so this is an alias. */
export const detach = defineOp({
  name: 'detach',
  overloads: [{ schema: 'aten::detach(Tensor(a) self) -> Tensor(a)', view: (a) => same(a.self) }],
});

/** torchlet has no negative/conjugate bits: these return a view of self, as PyTorch does for real tensors. */
export const resolve_neg = defineOp({
  name: 'resolve_neg',
  overloads: [{ schema: 'aten::resolve_neg(Tensor(a) self) -> Tensor(a)', view: (a) => same(a.self) }],
});
export const resolve_conj = defineOp({
  name: 'resolve_conj',
  overloads: [{ schema: 'aten::resolve_conj(Tensor(a) self) -> Tensor(a)', view: (a) => same(a.self) }],
});

export const swapaxes = defineOp({
  name: 'swapaxes',
  overloads: [{ schema: 'aten::swapaxes(Tensor(a) self, int axis0, int axis1) -> Tensor(a)', view: (a) => transposeSpec(a.self, a.axis0, a.axis1) }],
});
export const swapdims = defineOp({
  name: 'swapdims',
  overloads: [{ schema: 'aten::swapdims(Tensor(a) self, int dim0, int dim1) -> Tensor(a)', view: (a) => transposeSpec(a.self, a.dim0, a.dim1) }],
});
