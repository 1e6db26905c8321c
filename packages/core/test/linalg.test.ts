import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, decode, runSampleFile } from '../../conformance/src/aten.js';
import { functions as torch, nnFunctional as F, tensor, Tensor, tidy, type DType } from '../src/index.js';
import { expectClose } from './helpers.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

/** OpInfo sample files (PyTorch's own test inputs and outputs) of the matrix-product ops. */
const OPINFO_FILES = [
  'mm', 'bmm', 'matmul', 'addmm', 'addmm.decomposed', 'addmv', 'addbmm', 'baddbmm', 'addr', 'dot', 'mv', 'outer', 'inner', 'kron',
  'cross', 'trace', 'tensordot', 'nn.functional.linear', 'nn.functional.bilinear',
];

describe('matrix products match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO_FILES) {
    it(f, () => {
      const r = runSampleFile(join(ROOT, 'aten-ops', `${f}.json`));
      expect(r.errors).toEqual([]);
      expect(r.passed).toBe(r.total);
    });
  }

  it('einsum (OpInfo calls it as op(tensors, equation); torch.einsum takes the equation first)', () => {
    const d = JSON.parse(readFileSync(join(ROOT, 'aten-ops', 'einsum.json'), 'utf8')) as { samples: { input: unknown; args: unknown[]; output: unknown }[] };
    expect(d.samples.length).toBe(22);
    for (const s of d.samples) {
      tidy(() => {
        const got = torch.einsum(s.args[0] as string, decode(s.input) as Tensor[]);
        expect(compare(got, decode(s.output), 1e-4, 1e-5)).toBeUndefined();
      });
    }
  });
});

// ---------------------------------------------------------------- matmul against a naive loop

/** Row-major values of t as float64 (reads through strides). */
function values(t: Tensor): Float64Array {
  return Float64Array.from(t.contiguousArray());
}

/** PyTorch's matmul semantics written out as plain loops (1-D promotion, batch broadcasting). */
function naiveMatmul(a: Tensor, b: Tensor): { shape: number[]; data: Float64Array } {
  const av = values(a), bv = values(b);
  const as = a.ndim === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bs = b.ndim === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const n = as[as.length - 2]!, k = as[as.length - 1]!, p = bs[bs.length - 1]!;
  const ab = as.slice(0, -2), bb = bs.slice(0, -2);
  const r = Math.max(ab.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = ab[ab.length - r + i] ?? 1, y = bb[bb.length - r + i] ?? 1;
    batch.push(x === 1 ? y : x);
  }
  const nb = batch.reduce((u, v) => u * v, 1);
  const out = new Float64Array(nb * n * p);
  const offsetOf = (bt: number[], idx: number[]): number => {
    // row-major offset of the broadcast batch index idx in a tensor with batch dims bt
    let o = 0;
    for (let i = 0; i < bt.length; i++) {
      const d = idx[r - bt.length + i]!;
      o = o * bt[i]! + (bt[i] === 1 ? 0 : d);
    }
    return o;
  };
  for (let q = 0; q < nb; q++) {
    const idx: number[] = [];
    for (let i = r - 1, t = q; i >= 0; i--) {
      idx.unshift(t % batch[i]!);
      t = Math.floor(t / batch[i]!);
    }
    const ao = offsetOf(ab, idx) * n * k, bo = offsetOf(bb, idx) * k * p;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += av[ao + i * k + l]! * bv[bo + l * p + j]!;
        out[(q * n + i) * p + j] = s;
      }
    }
  }
  const shape = [...batch];
  if (a.ndim >= 2) shape.push(n);
  if (b.ndim >= 2) shape.push(p);
  return { shape, data: out };
}

/** A tensor of small integers (exact in every dtype), optionally built transposed and viewed back. */
function intTensor(shape: number[], seed: number, dtype: DType, transposed: boolean): Tensor {
  const n = shape.reduce((u, v) => u * v, 1);
  let s = seed >>> 0 || 1;
  const data = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) % 7 - 3;
  });
  if (!transposed || shape.length < 2) return tensor(data, { shape, dtype });
  const r = shape.length;
  const tshape = [...shape.slice(0, -2), shape[r - 1]!, shape[r - 2]!];
  return tensor(data, { shape: tshape, dtype }).transpose(-1, -2);
}

describe('matmul properties', () => {
  it('matches a naive triple loop for every rank pairing, broadcast batches, empty and size-1 dims and transposed inputs', () => {
    const dim = fc.integer({ min: 0, max: 5 });
    const arb = fc.record({
      n: dim, k: dim, p: dim,
      batch: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
      aDrop: fc.integer({ min: 0, max: 2 }), bDrop: fc.integer({ min: 0, max: 2 }),
      aOnes: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }), bOnes: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      aVec: fc.boolean(), bVec: fc.boolean(), aT: fc.boolean(), bT: fc.boolean(), aExp: fc.boolean(),
      dtype: fc.constantFrom<DType>('float32', 'float64', 'int64', 'int32'), seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, (c) => {
        tidy(() => {
          const bat = (drop: number, ones: boolean[]) => c.batch.slice(Math.min(drop, c.batch.length)).map((s, i) => (ones[i] ? 1 : s));
          const aShape = c.aVec ? [c.k] : [...bat(c.aDrop, c.aOnes), c.n, c.k];
          const bShape = c.bVec ? [c.k] : [...bat(c.bDrop, c.bOnes), c.k, c.p];
          // optionally a stride-0 view: the leading dim expanded from size 1
          const a = c.aExp && aShape.length >= 3 ? intTensor([1, ...aShape.slice(1)], c.seed, c.dtype, c.aT).expand(aShape) : intTensor(aShape, c.seed, c.dtype, c.aT);
          const b = intTensor(bShape, c.seed ^ 0x5bd1e995, c.dtype, c.bT);
          const want = naiveMatmul(a, b);
          const got = torch.matmul(a, b);
          expect(got.dtype).toBe(c.dtype);
          expectClose(got, want.data, want.shape, 0, 0);
          // Tensor.matmul is the same op
          expectClose(a.matmul(b), want.data, want.shape, 0, 0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('runs the cache-blocked GEMM path exactly on shapes past every block size (m > MC, k > KC, n > NC)', () => {
    const m = 70, k = 300, n = 2100;
    const a = intTensor([m, k], 1, 'float32', false);
    const bt = intTensor([k, n], 2, 'float32', true); // strided B
    const want = naiveMatmul(a, bt);
    expectClose(torch.mm(a, bt), want.data, [m, n], 0, 0);
    const at = intTensor([m, k], 3, 'float64', true);
    const b = intTensor([k, n], 4, 'float64', false);
    const want2 = naiveMatmul(at, b);
    expectClose(torch.mm(at, b), want2.data, [m, n], 0, 0);
  });

  it('folds batch dims into the rows for an N-d input times a matrix, and handles a non-foldable view', () => {
    const x = intTensor([3, 4, 5, 6], 7, 'float32', false);
    const w = intTensor([6, 9], 8, 'float32', false);
    expectClose(torch.matmul(x, w), naiveMatmul(x, w).data, [3, 4, 5, 9], 0, 0);
    const xp = x.permute(1, 0, 2, 3); // batch dims not mergeable
    expectClose(torch.matmul(xp, w), naiveMatmul(xp, w).data, [4, 3, 5, 9], 0, 0);
  });

  it('raises PyTorch errors', () => {
    const f = (shape: number[]) => tensor(new Float32Array(shape.reduce((u, v) => u * v, 1)), { shape });
    expect(() => torch.mm(f([2, 3]), f([4, 2]))).toThrow('mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)');
    expect(() => torch.mm(f([3]), f([3, 2]))).toThrow('self must be a matrix');
    expect(() => torch.matmul(f([]), f([2, 3, 2]))).toThrow('both arguments to matmul need to be at least 1D, but they are 0D and 3D');
    expect(() => torch.matmul(f([2, 2, 3]), f([2, 4, 2]))).toThrow('Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].');
    expect(() => torch.matmul(f([2, 3]), f([2, 4, 2]))).toThrow('mat1 and mat2 shapes cannot be multiplied (4x4 and 3x2)');
    expect(() => torch.matmul(f([5, 2, 3]), f([2, 3, 2]))).toThrow('The size of tensor a (5) must match the size of tensor b (2) at non-singleton dimension 0');
    expect(() => torch.matmul(f([3]), f([4]))).toThrow('inconsistent tensor size, expected tensor [3] and src [4]');
    expect(() => torch.matmul(f([2, 3]), f([4]))).toThrow('size mismatch, got 2, 2x3,4');
    expect(() => torch.mm(f([2, 2]), tensor([[1, 2], [3, 4]], { dtype: 'float64' }))).toThrow('expected scalar type Float but found Double');
    expect(() => torch.dot(f([2]), tensor([1, 2], { dtype: 'float64' }))).toThrow('dot : expected both vectors to have same dtype, but found Float and Double');
    expect(() => torch.mm(tensor([[true]]), tensor([[true]]))).toThrow(`"addmm_impl_cpu_" not implemented for 'Bool'`);
    expect(() => torch.bmm(f([2, 3, 3]), f([3, 3, 3]))).toThrow('Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].');
  });
});

// ---------------------------------------------------------------- add* semantics

describe('addmm family', () => {
  const nan = NaN;
  const m = () => tensor([[1, 2], [3, 4]], { dtype: 'float32' });
  it('beta = 0 ignores self (NaN does not propagate); alpha = 0 skips the product in addmm/addmv/addbmm', () => {
    const s = tensor([[nan, nan], [nan, nan]], { dtype: 'float32' });
    expectClose(torch.addmm(s, m(), m(), { beta: 0 }), [7, 10, 15, 22], [2, 2]);
    const mn = tensor([[nan, 1], [1, 1]], { dtype: 'float32' });
    expectClose(torch.addmm(m(), mn, m(), { alpha: 0 }), [1, 2, 3, 4], [2, 2]);
    expectClose(torch.addmv(tensor([nan, nan], { dtype: 'float32' }), m(), tensor([1, 1], { dtype: 'float32' }), { beta: 0 }), [3, 7], [2]);
    expectClose(torch.addbmm(m(), mn.reshape(1, 2, 2), m().reshape(1, 2, 2), { alpha: 0 }), [1, 2, 3, 4], [2, 2]);
  });
  it('baddbmm and addr propagate NaN with alpha = 0 (PyTorch does)', () => {
    const mn = tensor([[nan, 1], [1, 1]], { dtype: 'float32' }).reshape(1, 2, 2);
    const r = torch.baddbmm(m().reshape(1, 2, 2), mn, m().reshape(1, 2, 2), { alpha: 0 });
    expect(Number.isNaN(r.contiguousArray()[0]!)).toBe(true);
    const r2 = torch.addr(m(), tensor([nan, 1], { dtype: 'float32' }), tensor([1, 1], { dtype: 'float32' }), { alpha: 0 });
    expect(Number.isNaN(r2.contiguousArray()[0]!)).toBe(true);
  });
  it('integer results truncate alpha/beta; addr rejects float scalars for integer tensors; bool addr is logical', () => {
    const a = tensor([[1, 2], [3, 4]]), b = tensor([[5, 6, 7], [8, 9, 10]]), c = tensor([[1, 2, 3], [4, 5, 6]]);
    const r = torch.addmm(c, a, b, { alpha: 1.6, beta: 2.2 });
    expect(r.dtype).toBe('int64');
    expect(r.tolist()).toEqual([[23, 28, 33], [55, 64, 73]]);
    expect(() => torch.addr(tensor([[1, 1], [1, 1]]), tensor([1, 1]), tensor([1, 1]), { alpha: 1.5 })).toThrow('For integral input tensors, argument alpha must not be a floating point number.');
    const rb = torch.addr(tensor([[true, false], [false, false]]), tensor([true, false]), tensor([false, true]), { beta: 1, alpha: -1 });
    expect(rb.tolist()).toEqual([[true, true], [false, false]]);
  });
  it('in-place variants write into self', () => {
    const s = tensor([[1, 1], [1, 1]], { dtype: 'float32' });
    const r = s.addmm_(m(), m(), { beta: 2 });
    expect(r).toBe(s);
    expectClose(s, [9, 12, 17, 24], [2, 2]);
  });
  it('linear folds leading dims, handles transposed weights and broadcasts the bias', () => {
    const x = intTensor([2, 3, 5], 11, 'float32', false);
    const wt = intTensor([4, 5], 12, 'float32', true); // a [4, 5] view of a [5, 4] tensor
    const bias = tensor([1, 2, 3, 4], { dtype: 'float32' });
    const want = naiveMatmul(x, wt.transpose(0, 1));
    const withBias = want.data.map((v, i) => v + bias.contiguousArray()[i % 4]!);
    expectClose(F.linear(x, wt, bias), withBias, [2, 3, 4], 0, 0);
    expectClose(torch.linear(x, wt), want.data, [2, 3, 4], 0, 0);
    expect(() => F.linear(x, intTensor([4, 6], 1, 'float32', false))).toThrow('mat1 and mat2 shapes cannot be multiplied (6x5 and 6x4)');
  });
});

// ---------------------------------------------------------------- einsum and tensordot

describe('einsum', () => {
  const x = intTensor([3, 3], 5, 'float32', false);
  const xv = values(x);
  it('traces, diagonals, transposes and implicit outputs', () => {
    expectClose(torch.einsum('ii', [x]), [xv[0]! + xv[4]! + xv[8]!], []);
    expectClose(torch.einsum('ii->i', [x]), [xv[0]!, xv[4]!, xv[8]!], [3]);
    // Python's torch.einsum(equation, *operands) form
    expectClose(torch.einsum('ii->i', x), [xv[0]!, xv[4]!, xv[8]!], [3]);
    expectClose(torch.einsum('ij,jk->ik', x, x), naiveMatmul(x, x).data, [3, 3], 0, 0);
    expectClose(torch.einsum('ij->ji', [x]), values(x.transpose(0, 1)), [3, 3]);
    // implicit output: labels used once, A-Z before a-z
    expect(torch.einsum('Ba,ab', [intTensor([2, 3], 1, 'float32', false), intTensor([3, 4], 2, 'float32', false)]).shape).toEqual([2, 4]);
    expect(torch.einsum('bA', [intTensor([2, 3], 1, 'float32', false)]).shape).toEqual([3, 2]);
  });
  it('contracts like bmm, broadcasts ellipsis and size-1 dims, and sums one-operand labels', () => {
    const a = intTensor([4, 2, 3], 1, 'float64', false), b = intTensor([4, 3, 5], 2, 'float64', true);
    expectClose(torch.einsum('bij,bjk->bik', [a, b]), naiveMatmul(a, b).data, [4, 2, 5], 0, 0);
    const c = intTensor([1, 3, 5], 3, 'float64', false);
    expectClose(torch.einsum('...ij,...jk->...ik', [a, c]), naiveMatmul(a, c).data, [4, 2, 5], 0, 0);
    const s = torch.einsum('ij,kl->ik', [intTensor([2, 3], 4, 'float32', false), intTensor([2, 2], 5, 'float32', false)]);
    const u = values(intTensor([2, 3], 4, 'float32', false)), v = values(intTensor([2, 2], 5, 'float32', false));
    const ru = [u[0]! + u[1]! + u[2]!, u[3]! + u[4]! + u[5]!], rv = [v[0]! + v[1]!, v[2]! + v[3]!];
    expectClose(s, [ru[0]! * rv[0]!, ru[0]! * rv[1]!, ru[1]! * rv[0]!, ru[1]! * rv[1]!], [2, 2], 0, 0);
    // three operands, left to right
    const m1 = intTensor([2, 3], 6, 'float64', false), m2 = intTensor([3, 4], 7, 'float64', false), m3 = intTensor([4, 2], 8, 'float64', false);
    const m12 = naiveMatmul(m1, m2);
    expectClose(torch.einsum('ij,jk,kl->il', [m1, m2, m3]), naiveMatmul(tensor(m12.data, { shape: m12.shape }), m3).data, [2, 2], 0, 0);
  });
  it('follows PyTorch 1.13 output dtypes and errors', () => {
    const i8 = tensor([[1, 2], [3, 4]], { dtype: 'int8' });
    expect(torch.einsum('ij->i', [i8]).dtype).toBe('int64');
    expect(torch.einsum('ij->ji', [i8]).dtype).toBe('int8');
    expect(torch.einsum('ij,jk->ik', [i8, i8]).dtype).toBe('int8');
    expect(torch.einsum('ij,k->ik', [i8, tensor([1, 2], { dtype: 'int8' })]).dtype).toBe('int64');
    const bl = tensor([true, false]);
    expect(torch.einsum('i,j->ij', [bl, bl]).dtype).toBe('bool');
    expect(() => torch.einsum('i,i->', [bl, bl])).toThrow(`"bmm" not implemented for 'Bool'`);
    expect(() => torch.einsum('ij,jk', [x, tensor([[1, 2, 3, 4]], { dtype: 'float64' }).reshape(4, 1)])).toThrow('subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3');
    expect(() => torch.einsum('ii', [intTensor([2, 3], 1, 'float32', false)])).toThrow("subscript i is repeated for operand 0 but the sizes don't match, 3 != 2");
    expect(() => torch.einsum('ij,jk->ik', [x, tensor([[1]], { dtype: 'float64' }).expand(3, 3)])).toThrow('expected scalar type Float but found Double');
  });
});

describe('tensordot and friends', () => {
  const a = intTensor([2, 3, 4], 1, 'float32', false), b = intTensor([4, 3, 5], 2, 'float32', false);
  it('accepts dims as an int, a pair of lists or a tensor', () => {
    const want = naiveMatmul(a.reshape(2, 12), b.permute(1, 0, 2).reshape(12, 5));
    const w2 = torch.tensordot(a, b, { dims: [[1, 2], [1, 0]] });
    expectClose(w2, want.data, [2, 5], 0, 0);
    expectClose(torch.tensordot(a, b, tensor([[1, 2], [1, 0]])), want.data, [2, 5], 0, 0);
    const c = intTensor([4, 6], 3, 'float32', false);
    expectClose(torch.tensordot(a, c, 1), naiveMatmul(a, c).data, [2, 3, 6], 0, 0);
    expect(torch.tensordot(a, b, 0).shape).toEqual([2, 3, 4, 4, 3, 5]);
    expect(() => torch.tensordot(a, b, -1)).toThrow('tensordot expects dims >= 0, but got dims=-1');
    expect(() => torch.tensordot(a, b, { dims: [[2], [1]] })).toThrow('contracted dimensions need to match, but first has size 4 in dim 2 and second has size 3 in dim 1');
  });
  it('inner, outer, kron, cross and trace', () => {
    const u = tensor([1, 2, 3], { dtype: 'float32' }), v = tensor([4, 5, 6], { dtype: 'float32' });
    expectClose(torch.inner(u, v), [32], []);
    expectClose(torch.outer(u, v), [4, 5, 6, 8, 10, 12, 12, 15, 18], [3, 3]);
    expect(torch.outer(tensor([1, 2]), v).dtype).toBe('float32');
    expectClose(torch.cross(u, v), [-3, 6, -3], [3]);
    expectClose(torch.kron(tensor([[1, 2]]), tensor([[1], [10]])), [1, 2, 10, 20], [2, 2]);
    expect(torch.trace(tensor([[1, 2], [3, 4]], { dtype: 'int32' })).dtype).toBe('int64');
    expect(() => torch.trace(u)).toThrow('trace: expected a matrix, but got tensor with dim 1');
  });
});
