import { gemm } from '../../cpu/gemm.js';
import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { normalizeDim } from '../../shape.js';
import { gatherStrided, Tensor } from '../../tensor.js';
import { checkBlasDtype, checkSameDtype } from './common.js';

interface TdPlan {
  freeA: number[];
  freeB: number[];
  /** contracted dims of a and b, and their sizes (the larger where one side has size 1) */
  ca: number[];
  cb: number[];
  csize: number[];
  outShape: number[];
}

function plan(a: Tensor, b: Tensor, dimsA: number[], dimsB: number[]): TdPlan {
  if (dimsA.length !== dimsB.length) throw new Error('both dimension lists should have same length');
  const ca = dimsA.map((d) => normalizeDim(d, a.ndim));
  const cb = dimsB.map((d) => normalizeDim(d, b.ndim));
  const csize = ca.map((d, i) => {
    const s1 = a.shape[d]!, s2 = b.shape[cb[i]!]!;
    if (s1 !== s2 && s1 !== 1 && s2 !== 1) {
      throw new Error(`contracted dimensions need to match, but first has size ${s1} in dim ${dimsA[i]} and second has size ${s2} in dim ${dimsB[i]}`);
    }
    return Math.max(s1, s2);
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !ca.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !cb.includes(i));
  return { freeA, freeB, ca, cb, csize, outShape: [...freeA.map((i) => a.shape[i]!), ...freeB.map((i) => b.shape[i]!)] };
}

/** t's elements in the order (dims...) as a fresh float64 array; `sizes` may broadcast size-1 dims (stride 0). */
function gather(t: Tensor, dims: number[], sizes: number[]): Float64Array {
  const strides = dims.map((d, i) => (t.shape[d] === 1 && sizes[i] !== 1 ? 0 : t.strides[d]!));
  let n = 1;
  for (const s of sizes) n *= s;
  const out = new Float64Array(n);
  gatherStrided(t.hostArray, sizes, strides, t.offset, out);
  return out;
}

export const tensordot = defineOp({
  name: 'tensordot',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::tensordot(Tensor self, Tensor other, int[] dims_self, int[] dims_other) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor, y = a.other as Tensor;
        const p = plan(x, y, a.dims_self, a.dims_other);
        checkSameDtype(x.dtype, y.dtype);
        checkBlasDtype('addmm_impl_cpu_', x.dtype);
        return { shape: p.outShape, dtype: x.dtype };
      },
      cpu: (a, [out]) => {
        const x0 = a.self as Tensor, y0 = a.other as Tensor;
        const p = plan(x0, y0, a.dims_self, a.dims_other);
        // a contracted dim of size 1 on one side broadcasts (PyTorch sums the other side's dim first)
        const A = gather(x0, [...p.freeA, ...p.ca], [...p.freeA.map((d) => x0.shape[d]!), ...p.csize]);
        const B = gather(y0, [...p.cb, ...p.freeB], [...p.csize, ...p.freeB.map((d) => y0.shape[d]!)]);
        let m = 1, n = 1, k = 1;
        for (const d of p.freeA) m *= x0.shape[d]!;
        for (const d of p.freeB) n *= y0.shape[d]!;
        for (const s of p.csize) k *= s;
        gemm(m, n, k, { data: A, off: 0, rs: k, cs: 1 }, { data: B, off: 0, rs: n, cs: 1 }, out!.hostArray, 0, n);
      },
    },
    {
      // torch.tensordot(a, b, dims=2): dims is an int (last dims of a with the first of b), a pair of
      // dim lists, or a tensor holding either
      schema: 'py::tensordot(Tensor a, Tensor b, Any dims=2) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        let dims = a.dims as unknown;
        if (dims instanceof Tensor) dims = dims.numel() === 1 ? Number(dims.item()) : dims.tolist();
        let da: number[], db: number[];
        if (typeof dims === 'number') {
          if (dims < 0) throw new Error(`tensordot expects dims >= 0, but got dims=${dims}`);
          const nd = dims, ra = (a.a as Tensor).ndim;
          da = Array.from({ length: nd }, (_, i) => ra - nd + i);
          db = Array.from({ length: nd }, (_, i) => i);
        } else if (Array.isArray(dims) && dims.length === 2) {
          const asList = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : [Number(v)]);
          da = asList(dims[0]);
          db = asList(dims[1]);
        } else throw new Error('tensordot expects dims to be an int, a pair of dim lists or a tensor');
        return callOp('aten::tensordot', [a.a, a.b, da, db]);
      },
    },
  ],
});
