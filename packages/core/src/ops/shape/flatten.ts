import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { inferSize } from '../../shape.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';
import { viewSpec } from './view.js';

const alias = (t: Tensor): Tensor => callOp('aten::alias', [t]) as Tensor;
const reshape = (t: Tensor, shape: number[]): Tensor => callOp('aten::reshape', [t, shape]) as Tensor;

/** Flattens dims start_dim..end_dim into one: a view when the strides allow it (like reshape). */
export const flatten = defineOp({
  name: 'flatten',
  overloads: [
    {
      schema: 'aten::flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)',
      tags: ['composite'],
      decompose: (a) => {
        const self = a.self as Tensor;
        const s = wrapDim(a.start_dim, self.ndim, 'start_dim'), e = wrapDim(a.end_dim, self.ndim, 'end_dim');
        if (s > e) throw new RangeError('flatten() has invalid args: start_dim cannot come after end_dim');
        if (self.ndim === 0) return reshape(self, [1]);
        if (s === e) return alias(self);
        let n = 1;
        for (let i = s; i <= e; i++) n *= self.shape[i]!;
        return reshape(self, [...self.shape.slice(0, s), n, ...self.shape.slice(e + 1)]);
      },
    },
  ],
});

/** Splits dim `dim` into `sizes` (one may be -1). Always a view. */
export const unflatten = defineOp({
  name: 'unflatten',
  overloads: [
    {
      schema: 'aten::unflatten.int(Tensor(a) self, int dim, int[] sizes) -> Tensor(a)',
      view: (a) => {
        const self = a.self as Tensor;
        const sizes = a.sizes as number[];
        if (sizes.length === 0) throw new RangeError('unflatten: sizes must be non-empty');
        const d = wrapDim(a.dim, self.ndim);
        const dimSize = self.ndim === 0 ? 1 : self.shape[d]!;
        if (sizes.filter((s) => s === -1).length > 1) throw new RangeError('unflatten got an unexpected error: only one dimension can be inferred');
        let inferred: number[];
        try {
          inferred = inferSize(sizes, dimSize, 'unflatten');
        } catch {
          throw new RangeError(`unflatten: Provided sizes [${sizes.join(', ')}] don't multiply up to the size of dim ${a.dim} (${dimSize}) in the input tensor`);
        }
        const shape = [...self.shape.slice(0, d), ...inferred, ...self.shape.slice(d + 1)];
        return viewSpec(self, shape);
      },
    },
  ],
});

export const ravel = defineOp({
  name: 'ravel',
  overloads: [
    {
      schema: 'aten::ravel(Tensor(a) self) -> Tensor(a)',
      tags: ['composite'],
      decompose: (a) => reshape(a.self, [-1]),
    },
  ],
});

export const view_as = defineOp({
  name: 'view_as',
  variants: ['method'],
  overloads: [{ schema: 'aten::view_as(Tensor(a) self, Tensor other) -> Tensor(a)', view: (a) => viewSpec(a.self, (a.other as Tensor).shape) }],
});

export const reshape_as = defineOp({
  name: 'reshape_as',
  variants: ['method'],
  overloads: [{ schema: 'aten::reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)', tags: ['composite'], decompose: (a) => reshape(a.self, [...(a.other as Tensor).shape]) }],
});

function atleast(self: Tensor, n: 1 | 2 | 3): Tensor {
  if (self.ndim >= n) return alias(self);
  if (self.ndim === 0) return reshape(self, new Array(n).fill(1));
  if (n === 2) return callOp('aten::unsqueeze', [self, 0]) as Tensor;
  // n === 3
  if (self.ndim === 1) {
    const u = callOp('aten::unsqueeze', [self, 0]) as Tensor;
    const r = callOp('aten::unsqueeze', [u, -1]) as Tensor;
    u.dispose();
    return r;
  }
  return callOp('aten::unsqueeze', [self, -1]) as Tensor;
}

function atleastOp<N extends string>(name: N, n: 1 | 2 | 3) {
  return defineOp({
    name,
    variants: ['function'],
    overloads: [
      { schema: `aten::${name}(Tensor self) -> Tensor`, tags: ['composite'], decompose: (a) => atleast(a.self, n) },
      { schema: `aten::${name}.Sequence(Tensor[] tensors) -> Tensor[]`, tags: ['composite'], decompose: (a) => (a.tensors as Tensor[]).map((t) => atleast(t, n)) },
    ],
  });
}
export const atleast_1d = atleastOp('atleast_1d', 1);
export const atleast_2d = atleastOp('atleast_2d', 2);
export const atleast_3d = atleastOp('atleast_3d', 3);
