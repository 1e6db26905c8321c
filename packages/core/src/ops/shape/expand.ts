import { callOp } from '../../dispatch.js';
import { defineOp, type ViewSpec } from '../../registry.js';
import { broadcastAll, tensorTypeName } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

/** PyTorch's inferExpandGeometry: stride 0 for broadcast dims, -1 keeps a size. */
export function expandSpec(self: Pick<Tensor, 'shape' | 'strides' | 'offset' | 'dtype'>, size: readonly number[]): ViewSpec {
  const nd = self.shape.length, n = size.length;
  if (n < nd) {
    throw new RangeError(`expand(${describe(self)}, size=[${size.join(', ')}]): the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${nd})`);
  }
  const shape = new Array<number>(n), strides = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const off = n - 1 - i, dim = nd - 1 - off;
    const s = dim >= 0 ? self.shape[dim]! : 1;
    const st = dim >= 0 ? self.strides[dim]! : shape[i + 1] !== undefined ? shape[i + 1]! * strides[i + 1]! : 1;
    let target = size[i]!;
    if (target === -1) {
      if (dim < 0) throw new RangeError(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      target = s;
    }
    if (!Number.isInteger(target) || target < 0) throw new RangeError(`expand: invalid size ${size[i]} at dim ${i}`);
    if (s !== target) {
      if (s !== 1) {
        throw new RangeError(`The expanded size of the tensor (${target}) must match the existing size (${s}) at non-singleton dimension ${i}.  Target sizes: [${size.join(', ')}].  Tensor sizes: [${self.shape.join(', ')}]`);
      }
      shape[i] = target;
      strides[i] = 0;
    } else {
      shape[i] = s;
      strides[i] = st;
    }
  }
  return { shape, strides, offset: self.offset };
}

function describe(t: Pick<Tensor, 'shape' | 'dtype'>): string {
  return `${tensorTypeName(t.dtype)}{[${t.shape.join(', ')}]}`;
}

export const expand = defineOp({
  name: 'expand',
  variants: ['method'],
  overloads: [{ schema: 'aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)', view: (a) => expandSpec(a.self, a.size) }],
});

export const expand_as = defineOp({
  name: 'expand_as',
  variants: ['method'],
  overloads: [{ schema: 'aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a)', view: (a) => expandSpec(a.self, (a.other as Tensor).shape) }],
});

export const broadcast_to = defineOp({
  name: 'broadcast_to',
  overloads: [{ schema: 'aten::broadcast_to(Tensor(a) self, int[] size) -> Tensor(a)', view: (a) => expandSpec(a.self, a.size) }],
});

export const broadcast_tensors = defineOp({
  name: 'broadcast_tensors',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::broadcast_tensors(Tensor[] tensors) -> Tensor[]',
      tags: ['composite'],
      decompose: (a) => {
        const ts = a.tensors as Tensor[];
        const shape = broadcastAll(ts.map((t) => t.shape));
        return ts.map((t) => callOp('aten::expand', [t, shape]));
      },
    },
  ],
});
