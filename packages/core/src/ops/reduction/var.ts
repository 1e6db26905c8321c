import { defineOp, type Args, type OverloadDecl, type OutSpec } from '../../registry.js';
import { keptShape, reduceDims, reduceLayout } from '../../cpu/reduce_core.js';
import { isFloating } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

type Kind = 'var' | 'std' | 'var_mean' | 'std_mean';

/** Bound args of any var/std overload -> dims and the correction (unbiased=True is correction 1). */
function params(a: Args): { dims: number[]; correction: number; keepdim: boolean } {
  const self = a.self as Tensor;
  const dims = reduceDims(self, (a.dim as number[] | null | undefined) ?? null);
  let correction: number;
  if ('correction' in a) correction = (a.correction as number | null) ?? 1;
  else correction = a.unbiased === false ? 0 : 1;
  return { dims, correction, keepdim: Boolean(a.keepdim) };
}

function infer(kind: Kind) {
  return (a: Args): OutSpec | OutSpec[] => {
    const self = a.self as Tensor;
    if (!isFloating(self.dtype)) throw new TypeError(`${kind === 'var' || kind === 'std' ? 'std and var' : kind} only support floating point and complex dtypes`);
    const { dims, keepdim } = params(a);
    const shape = keptShape(self, dims, keepdim);
    const spec = { shape, dtype: self.dtype };
    return kind === 'var' || kind === 'std' ? spec : [spec, { ...spec, shape: [...shape] }];
  };
}

/** Two-pass variance in float64: mean first, then the sum of squared deviations / max(0, N - correction). */
function kernel(kind: Kind) {
  const sqrt = kind === 'std' || kind === 'std_mean';
  return (a: Args, outs: Tensor[]): void => {
    const { dims, correction } = params(a);
    const { data, offset, outer, R, inner } = reduceLayout(a.self, dims);
    const o = outs[0]!.hostArray;
    const om = outs[1]?.hostArray;
    const div = Math.max(0, R - correction);
    for (let oo = 0; oo < outer; oo++) {
      for (let i = 0; i < inner; i++) {
        const b = offset + oo * R * inner + i;
        let s = 0;
        for (let r = 0, p = b; r < R; r++, p += inner) s += data[p]!;
        const mean = s / R;
        let m2 = 0;
        for (let r = 0, p = b; r < R; r++, p += inner) {
          const d = data[p]! - mean;
          m2 += d * d;
        }
        const v = R === 0 ? NaN : m2 / div;
        o[oo * inner + i] = sqrt ? Math.sqrt(v) : v;
        if (om) om[oo * inner + i] = mean;
      }
    }
  };
}

export function varOverloads(kind: Kind): OverloadDecl[] {
  const tuple = kind === 'var_mean' || kind === 'std_mean';
  const ret = tuple ? '(Tensor, Tensor)' : 'Tensor';
  const common = { infer: infer(kind), cpu: kernel(kind) };
  return [
    { schema: `aten::${kind}(Tensor self, bool unbiased=True) -> ${ret}`, ...common },
    { schema: `aten::${kind}.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> ${ret}`, ...common },
    { schema: `aten::${kind}.correction(Tensor self, int[1]? dim, *, int? correction, bool keepdim=False) -> ${ret}`, ...common },
  ];
}

export const var_ = defineOp({ name: 'var', tags: ['reduction'], overloads: varOverloads('var') });
