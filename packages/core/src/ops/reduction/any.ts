import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { keptShape, reduceDims, reduceLayout } from '../../cpu/reduce_core.js';
import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** any/all: bool results, except that uint8 inputs give uint8 (PyTorch's legacy rule). */
export function anyAllOverloads(name: 'any' | 'all'): OverloadDecl[] {
  const isAny = name === 'any';
  const outDtype = (self: Tensor): DType => (self.dtype === 'uint8' ? 'uint8' : 'bool');
  const kernel = (a: Args, [out]: Tensor[]): void => {
    const self = a.self as Tensor;
    const { data, offset, outer, R, inner } = reduceLayout(self, reduceDims(self, a.dim as number | undefined));
    const o = out!.hostArray;
    for (let oo = 0; oo < outer; oo++) {
      for (let i = 0; i < inner; i++) {
        let res = !isAny;
        for (let r = 0, p = offset + oo * R * inner + i; r < R; r++, p += inner) {
          // NaN counts as true, like a C++ cast to bool
          if ((data[p] !== 0) === isAny) {
            res = isAny;
            break;
          }
        }
        o[oo * inner + i] = res ? 1 : 0;
      }
    }
  };
  return [
    {
      schema: `aten::${name}(Tensor self) -> Tensor`,
      infer: (a) => ({ shape: [], dtype: outDtype(a.self) }),
      cpu: kernel,
    },
    {
      schema: `aten::${name}.dim(Tensor self, int dim, bool keepdim=False) -> Tensor`,
      infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim), a.keepdim), dtype: outDtype(a.self) }),
      cpu: kernel,
    },
  ];
}

export const any = defineOp({ name: 'any', tags: ['reduction'], overloads: anyAllOverloads('any') });
