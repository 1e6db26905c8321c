import { gemm } from '../../cpu/gemm.js';
import { sumDtype } from '../../cpu/reduce.js';
import { promoteTypes, type DType } from '../../dtype.js';
import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import { gatherStrided, type Tensor } from '../../tensor.js';
import { checkBlasDtype, typeName } from './common.js';

/**
 * einsum: labels a-z/A-Z and one `...` per term; an implicit output lists the ellipsis dims and
 * then the labels used once, in PyTorch's order (A-Z before a-z). Size-1 dims broadcast.
 * Operands contract left to right, each pair as one batched GEMM; labels used by one operand
 * only are summed first. Output dtypes follow PyTorch 1.13 (a sum promotes integers to int64, a
 * contraction runs bmm and needs equal dtypes, a plain product promotes).
 */

const ELLIPSIS = 52;

function labelId(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97 + 26;
  return -1;
}
function labelChar(id: number): string {
  return id < 26 ? String.fromCharCode(65 + id) : id < 52 ? String.fromCharCode(97 + id - 26) : '...';
}

interface Term {
  /** label ids, ELLIPSIS for `...` */
  items: number[];
  hasEllipsis: boolean;
}

function parseTerm(s: string, start: number): Term {
  const items: number[] = [];
  let hasEllipsis = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ' ') continue;
    if (c === '.') {
      if (s.slice(i, i + 3) !== '...') throw new Error(`einsum(): found '.' for operand that is not part of any ellipsis`);
      if (hasEllipsis) throw new Error('einsum(): found more than one ellipsis ("...") in a subscript');
      hasEllipsis = true;
      items.push(ELLIPSIS);
      i += 2;
      continue;
    }
    const id = labelId(c);
    if (id < 0) throw new Error(`einsum(): invalid subscript given at index ${start + i} in the equation string, subscripts must be in [a-zA-Z]`);
    items.push(id);
  }
  return { items, hasEllipsis };
}

/** An operand (or intermediate) as per-label sizes and strides over a flat array. */
interface LView {
  data: ArrayLike<number>;
  off: number;
  labels: number[];
  sizes: number[];
  strides: number[];
  /** the operand's own sizes, before size-1 dims broadcast */
  orig?: number[];
}

interface Plan {
  inputs: LView[];
  outLabels: number[];
  outShape: number[];
  dtype: DType;
  sizes: Map<number, number>;
}

function plan(equation: string, ops: readonly Tensor[]): Plan {
  const arrow = equation.indexOf('->');
  const lhs = arrow >= 0 ? equation.slice(0, arrow) : equation;
  const termStrs = lhs.split(',');
  if (termStrs.length > ops.length) throw new Error('einsum(): more operands were provided than specified in the equation');
  if (termStrs.length < ops.length) throw new Error('einsum(): fewer operands were provided than specified in the equation');
  if (ops.length === 0) throw new Error('einsum(): must provide at least one operand');
  let pos = 0;
  const terms = termStrs.map((s) => {
    const t = parseTerm(s, pos);
    pos += s.length + 1;
    return t;
  });
  // ellipsis dims: aligned right across operands, labelled ELLIPSIS + i
  let eRank = 0;
  const eCounts = terms.map((t, i) => {
    const nl = t.items.filter((x) => x !== ELLIPSIS).length;
    const nd = ops[i]!.ndim;
    if (t.hasEllipsis ? nl > nd : nl !== nd) {
      throw new Error(`einsum(): the number of subscripts in the equation (${nl}) ${t.hasEllipsis ? 'is more than' : 'does not match'} the number of dimensions (${nd}) for operand ${i}${t.hasEllipsis ? '' : ' and no ellipsis was given'}`);
    }
    const e = t.hasEllipsis ? nd - nl : 0;
    eRank = Math.max(eRank, e);
    return e;
  });
  const sizes = new Map<number, number>();
  const counts = new Map<number, number>();
  const inputs: LView[] = ops.map((op, i) => {
    const dimLabels: number[] = [];
    for (const it of terms[i]!.items) {
      if (it === ELLIPSIS) for (let e = 0; e < eCounts[i]!; e++) dimLabels.push(ELLIPSIS + eRank - eCounts[i]! + e);
      else dimLabels.push(it);
    }
    const labels: number[] = [], lsizes: number[] = [], lstrides: number[] = [];
    dimLabels.forEach((l, d) => {
      counts.set(l, (counts.get(l) ?? 0) + 1);
      const s = op.shape[d]!;
      const j = labels.indexOf(l);
      if (j >= 0) {
        if (lsizes[j] !== s) throw new Error(`einsum(): subscript ${labelChar(l)} is repeated for operand ${i} but the sizes don't match, ${s} != ${lsizes[j]}`);
        lstrides[j]! += op.strides[d]!; // a diagonal
        return;
      }
      labels.push(l);
      lsizes.push(s);
      lstrides.push(op.strides[d]!);
      const prev = sizes.get(l);
      if (prev === undefined || prev === 1) sizes.set(l, s);
      else if (s !== 1 && s !== prev) {
        if (l >= ELLIPSIS) throw new Error(`einsum(): operands do not broadcast with remapped shapes (original->remapped): ellipsis dimension of size ${s} vs ${prev}`);
        throw new Error(`einsum(): subscript ${labelChar(l)} has size ${s} for operand ${i} which does not broadcast with previously seen size ${prev}`);
      }
    });
    return { data: op.hostArray, off: op.offset, labels, sizes: lsizes, strides: lstrides, orig: [...lsizes] };
  });
  let outLabels: number[];
  if (arrow >= 0) {
    const out = parseTerm(equation.slice(arrow + 2), arrow + 2);
    outLabels = [];
    for (const it of out.items) {
      if (it === ELLIPSIS) {
        for (let e = 0; e < eRank; e++) outLabels.push(ELLIPSIS + e);
        continue;
      }
      if (!counts.has(it)) throw new Error(`einsum(): output subscript ${labelChar(it)} does not appear in the equation for any input operand`);
      if (outLabels.includes(it)) throw new Error(`einsum(): output subscript ${labelChar(it)} appears more than once in the output`);
      outLabels.push(it);
    }
  } else {
    outLabels = [];
    for (let e = 0; e < eRank; e++) outLabels.push(ELLIPSIS + e);
    for (let l = 0; l < ELLIPSIS; l++) if (counts.get(l) === 1) outLabels.push(l);
  }
  // broadcast size-1 operand dims (stride 0)
  for (const v of inputs) {
    v.labels.forEach((l, j) => {
      const g = sizes.get(l)!;
      if (v.sizes[j] !== g) {
        v.sizes[j] = g;
        v.strides[j] = 0;
      }
    });
  }
  return { inputs, outLabels, outShape: outLabels.map((l) => sizes.get(l)!), dtype: resultDtype(ops, inputs, outLabels, sizes), sizes };
}

function resultDtype(ops: readonly Tensor[], inputs: LView[], outLabels: number[], sizes: Map<number, number>): DType {
  const inOut = new Set(outLabels);
  if (ops.length === 1) {
    return inputs[0]!.labels.some((l) => !inOut.has(l)) ? sumDtype(ops[0]!.dtype, null) : ops[0]!.dtype;
  }
  const owners = new Map<number, number[]>();
  inputs.forEach((v, i) => v.labels.forEach((l) => owners.set(l, [...(owners.get(l) ?? []), i])));
  // labels of one operand only (and not in the output) are summed up front; size-1 ones squeezed
  const dts = ops.map((op, i) => {
    const v = inputs[i]!;
    const sums = v.labels.some((l, j) => !inOut.has(l) && owners.get(l)!.length === 1 && v.orig![j] !== 1);
    return sums ? sumDtype(op.dtype, null) : op.dtype;
  });
  let cur = dts[0]!;
  let seen = new Set(inputs[0]!.labels);
  for (let k = 1; k < ops.length; k++) {
    const later = new Set<number>(outLabels);
    for (let q = k + 1; q < ops.length; q++) for (const l of inputs[q]!.labels) later.add(l);
    const contracted = inputs[k]!.labels.filter((l) => seen.has(l) && !later.has(l));
    const next = dts[k]!;
    if (contracted.some((l) => sizes.get(l) !== 1)) {
      if (cur !== next) throw new Error(`expected scalar type ${typeName(cur)} but found ${typeName(next)}`);
      checkBlasDtype('bmm', cur);
    } else cur = promoteTypes(cur, next);
    seen = new Set([...seen, ...inputs[k]!.labels].filter((l) => later.has(l)));
  }
  return cur;
}

/** A contiguous float64 copy of v with its labels reordered to `order` (a permutation of v.labels). */
function gather(v: LView, order: number[]): Float64Array {
  const shape = order.map((l) => v.sizes[v.labels.indexOf(l)]!);
  const strides = order.map((l) => v.strides[v.labels.indexOf(l)]!);
  let n = 1;
  for (const s of shape) n *= s;
  const out = new Float64Array(n);
  gatherStrided(v.data, shape, strides, v.off, out);
  return out;
}

/** Sums v over the labels not in `keep`. */
function sumOut(v: LView, keep: (l: number) => boolean): LView {
  const kept = v.labels.filter(keep);
  const summed = v.labels.filter((l) => !keep(l));
  if (summed.length === 0) return v;
  const g = gather(v, [...kept, ...summed]);
  let inner = 1;
  for (const l of summed) inner *= v.sizes[v.labels.indexOf(l)]!;
  const outer = inner === 0 ? numel(kept.map((l) => v.sizes[v.labels.indexOf(l)]!)) : g.length / inner;
  const r = new Float64Array(outer);
  for (let i = 0; i < outer; i++) {
    let s = 0;
    for (let k = 0, p = i * inner; k < inner; k++, p++) s += g[p]!;
    r[i] = s;
  }
  const sizes = kept.map((l) => v.sizes[v.labels.indexOf(l)]!);
  return { data: r, off: 0, labels: kept, sizes, strides: contiguous(sizes) };
}

function numel(s: number[]): number {
  let n = 1;
  for (const x of s) n *= x;
  return n;
}
function contiguous(sizes: number[]): number[] {
  const st = new Array<number>(sizes.length);
  for (let i = sizes.length - 1, s = 1; i >= 0; i--) {
    st[i] = s;
    s *= Math.max(sizes[i]!, 1);
  }
  return st;
}

/** Contracts x and y over their shared labels not in `keep`: one GEMM per batch index. */
function contract(x: LView, y: LView, keep: Set<number>): LView {
  const inY = new Set(y.labels), inX = new Set(x.labels);
  const batch = x.labels.filter((l) => inY.has(l) && keep.has(l));
  const red = x.labels.filter((l) => inY.has(l) && !keep.has(l));
  const xFree = x.labels.filter((l) => !inY.has(l));
  const yFree = y.labels.filter((l) => !inX.has(l));
  const size = (v: LView, l: number): number => v.sizes[v.labels.indexOf(l)]!;
  const B = numel(batch.map((l) => size(x, l)));
  const M = numel(xFree.map((l) => size(x, l)));
  const K = numel(red.map((l) => size(x, l)));
  const N = numel(yFree.map((l) => size(y, l)));
  const X = gather(x, [...batch, ...xFree, ...red]);
  const Y = gather(y, [...batch, ...red, ...yFree]);
  const R = new Float64Array(B * M * N);
  for (let b = 0; b < B; b++) {
    gemm(M, N, K, { data: X, off: b * M * K, rs: K, cs: 1 }, { data: Y, off: b * K * N, rs: N, cs: 1 }, R, b * M * N, N);
  }
  const labels = [...batch, ...xFree, ...yFree];
  const sizes = [...batch.map((l) => size(x, l)), ...xFree.map((l) => size(x, l)), ...yFree.map((l) => size(y, l))];
  return { data: R, off: 0, labels, sizes, strides: contiguous(sizes) };
}

export const einsum = defineOp({
  name: 'einsum',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::einsum(str equation, Tensor[] tensors, *, int[]? path=None) -> Tensor',
      infer: (a) => {
        const p = plan(a.equation, a.tensors);
        return { shape: p.outShape, dtype: p.dtype };
      },
      cpu: (a, [out]) => {
        const p = plan(a.equation, a.tensors);
        const o = out!;
        if (o.numel() === 0) return;
        const inOut = new Set(p.outLabels);
        const owners = new Map<number, number>();
        for (const v of p.inputs) for (const l of v.labels) owners.set(l, (owners.get(l) ?? 0) + 1);
        // labels used by one operand only and not in the output: sum them out first
        let views = p.inputs.map((v) => sumOut(v, (l) => inOut.has(l) || owners.get(l)! > 1));
        let cur = views[0]!;
        for (let k = 1; k < views.length; k++) {
          const keep = new Set<number>(p.outLabels);
          for (let q = k + 1; q < views.length; q++) for (const l of views[q]!.labels) keep.add(l);
          cur = contract(cur, views[k]!, keep);
        }
        views = [];
        // a label in no output and no later operand that survived (e.g. a one-operand equation)
        cur = sumOut(cur, (l) => inOut.has(l));
        const shape = p.outLabels.map((l) => cur.sizes[cur.labels.indexOf(l)]!);
        const strides = p.outLabels.map((l) => cur.strides[cur.labels.indexOf(l)]!);
        gatherStrided(cur.data, shape, strides, cur.off, o.hostArray);
      },
    },
    {
      // torch.einsum(equation, *operands): the operands as separate arguments (up to 8 here)
      schema:
        'py::einsum(str equation, Tensor a, Tensor? b=None, Tensor? c=None, Tensor? d=None, Tensor? e=None, Tensor? f=None, Tensor? g=None, Tensor? h=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const ops = [a.a, a.b, a.c, a.d, a.e, a.f, a.g, a.h] as (Tensor | null)[];
        const last = ops.reduce((k, t, i) => (t ? i : k), 0);
        if (ops.slice(0, last + 1).some((t) => t === null)) throw new Error('einsum(): operands must be tensors');
        return callOp('aten::einsum', [a.equation, ops.slice(0, last + 1)]);
      },
    },
  ],
});
