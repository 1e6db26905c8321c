import { defineOp, type ViewSpec } from '../../registry.js';
import { wrapDim } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

/** numpy.moveaxis: dims `source` go to positions `destination`, the others keep their order. */
export function movedimSpec(self: Tensor, src: number[], dst: number[]): ViewSpec {
  if (src.length !== dst.length) {
    throw new RangeError(`movedim: Invalid source or destination dims: source ([${src.join(', ')}] dims) should contain the same number of dims as destination ([${dst.join(', ')}] dims)`);
  }
  const n = self.ndim;
  const s = src.map((d) => wrapDim(d, n, 'source')), t = dst.map((d) => wrapDim(d, n, 'destination'));
  if (new Set(s).size !== s.length) throw new RangeError(`movedim: repeated dim in \`source\` ([${src.join(', ')}])`);
  if (new Set(t).size !== t.length) throw new RangeError(`movedim: repeated dim in \`destination\` ([${dst.join(', ')}])`);
  const order = new Array<number>(n).fill(-1);
  s.forEach((d, i) => (order[t[i]!] = d));
  const rest = [...Array(n).keys()].filter((d) => !s.includes(d));
  let k = 0;
  for (let i = 0; i < n; i++) if (order[i] === -1) order[i] = rest[k++]!;
  return { shape: order.map((d) => self.shape[d]!), strides: order.map((d) => self.strides[d]!), offset: self.offset };
}

const overloads = (name: string) =>
  [
    { schema: `aten::${name}.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)`, view: (a: Record<string, any>) => movedimSpec(a.self, a.source, a.destination) },
    { schema: `aten::${name}.int(Tensor(a) self, int source, int destination) -> Tensor(a)`, view: (a: Record<string, any>) => movedimSpec(a.self, [a.source], [a.destination]) },
  ] as const;

export const movedim = defineOp({ name: 'movedim', overloads: overloads('movedim') });
export const moveaxis = defineOp({ name: 'moveaxis', overloads: overloads('moveaxis') });
