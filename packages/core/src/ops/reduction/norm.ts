import { callOp } from '../../dispatch.js';
import { defineOp, type Args, type OverloadDecl } from '../../registry.js';
import { castFn, keptShape, reduceDims, reduceLayout, scalarTypeName, type ReduceLayout } from '../../cpu/reduce_core.js';
import { isFloating, type DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';

/** Vector p-norms of every lane: p = 0 counts nonzeros, +-inf take max/min |x| (0 for an empty lane). */
export function laneNorms(L: ReduceLayout, p: number): Float64Array {
  const { data, offset, outer, R, inner } = L;
  const res = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const b = offset + o * R * inner + i;
      let acc: number;
      if (p === Infinity || p === -Infinity) {
        acc = R === 0 ? 0 : Math.abs(data[b]!);
        for (let r = 1, q = b + inner; r < R && acc === acc; r++, q += inner) {
          const v = Math.abs(data[q]!);
          if (v !== v || (p > 0 ? v > acc : v < acc)) acc = v;
        }
      } else if (p === 0) {
        acc = 0;
        for (let r = 0, q = b; r < R; r++, q += inner) if (data[q] !== 0) acc++;
      } else if (p === 1) {
        acc = 0;
        for (let r = 0, q = b; r < R; r++, q += inner) acc += Math.abs(data[q]!);
      } else if (p === 2) {
        acc = 0;
        for (let r = 0, q = b; r < R; r++, q += inner) acc += data[q]! * data[q]!;
        acc = Math.sqrt(acc);
      } else {
        acc = 0;
        for (let r = 0, q = b; r < R; r++, q += inner) acc += Math.abs(data[q]!) ** p;
        acc = acc ** (1 / p);
      }
      res[o * inner + i] = acc;
    }
  }
  return res;
}

function checkFloat(self: Tensor, dtype: DType | null): DType {
  if (!isFloating(self.dtype)) throw new TypeError(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(self.dtype)} instead.`);
  if (dtype && !isFloating(dtype)) throw new TypeError(`norm(): the desired output dtype should be either floating point or complex. Got ${scalarTypeName(dtype)} instead.`);
  return dtype ?? self.dtype;
}

const normOverload = (schema: string): OverloadDecl => ({
  schema,
  infer: (a) => ({ shape: keptShape(a.self, reduceDims(a.self, a.dim ?? null), Boolean(a.keepdim)), dtype: checkFloat(a.self, a.dtype ?? null) }),
  cpu: (a, [out]) => {
    const self = a.self as Tensor;
    const L = reduceLayout(self, reduceDims(self, (a.dim as number[] | undefined) ?? null), castFn(self.dtype, (a.dtype as DType | undefined) ?? null));
    out!.hostArray.set(laneNorms(L, a.p === null || a.p === undefined ? 2 : Number(a.p)));
  },
});

/** torch.norm(input, p='fro', dim=None, keepdim=False, dtype=None) with a string p (torch/functional.py). */
function pythonNormStr(a: Args): unknown {
  const self = a.input as Tensor;
  const p = a.p as string;
  const dim = a.dim as number[] | null;
  if (p === 'fro') {
    if (a.dtype) throw new TypeError('dtype argument is not supported in frobenius norm');
    return callOp('aten::frobenius_norm', [self, dim ?? [], a.keepdim]);
  }
  if (p === 'nuc') {
    if (a.dtype) throw new TypeError('dtype argument is not supported in nuclear norm');
    return dim === null ? callOp('aten::nuclear_norm', [self], { keepdim: a.keepdim }) : callOp('aten::nuclear_norm', [self, dim, a.keepdim]);
  }
  throw new Error(`only valid string values are 'fro' and 'nuc', found ${p}`);
}

/** torch.norm with a numeric (or None) p: ATen's norm over `dim` (all dims when None). */
function pythonNormScalar(a: Args): unknown {
  const self = a.input as Tensor;
  const dims = (a.dim as number[] | null) ?? self.shape.map((_, i) => i);
  if (a.dtype) return callOp('aten::norm', [self, a.p, dims, a.keepdim], { dtype: a.dtype });
  return callOp('aten::norm', [self, a.p, dims, a.keepdim]);
}

export const norm = defineOp({
  name: 'norm',
  tags: ['reduction'],
  overloads: [
    normOverload('aten::norm.Scalar(Tensor self, Scalar p=2) -> Tensor'),
    normOverload('aten::norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor'),
    normOverload('aten::norm.ScalarOpt_dim_dtype(Tensor self, Scalar? p, int[1] dim, bool keepdim, *, ScalarType dtype) -> Tensor'),
    normOverload('aten::norm.ScalarOpt_dtype(Tensor self, Scalar? p, *, ScalarType dtype) -> Tensor'),
    // Python-level torch.norm / Tensor.norm (torch/functional.py); TorchScript binds the ATen schemas above first
    { schema: 'torchlet::norm(Tensor input, Scalar? p, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor', tags: ['composite'], decompose: pythonNormScalar },
    { schema: 'torchlet::norm.str(Tensor input, str p="fro", int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor', tags: ['composite'], decompose: pythonNormStr },
  ],
});
