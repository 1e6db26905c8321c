import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, contiguousStrides, numel, promoteTypes, resultType, tensor, functions as torch, DTYPES, type DType } from '../src/index.js';

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
const nonEmptyShape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

function iota(shape: number[]) {
  const n = numel(shape);
  return tensor(Float32Array.from({ length: n }, (_, i) => i), { shape });
}

/** reads t[idx] through shape/strides/offset (the definition of a strided view) */
function at(t: { hostArray: ArrayLike<number>; strides: number[]; offset: number }, idx: number[]): number {
  let p = t.offset;
  idx.forEach((v, d) => (p += v * t.strides[d]!));
  return t.hostArray[p]!;
}

function* indices(shape: number[]): Generator<number[]> {
  const n = numel(shape);
  const idx = new Array(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

describe('properties', () => {
  it('reshape round trips and keeps row-major order', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const x = iota(shape);
        const flat = x.reshape(-1);
        expect(flat.shape).toEqual([numel(shape)]);
        const back = flat.reshape(shape);
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.contiguousArray())).toEqual(Array.from(x.contiguousArray()));
        expect(back.storage).toBe(x.storage);
      }),
    );
  });

  it('permute is a view whose elements follow the permuted index', () => {
    fc.assert(
      fc.property(nonEmptyShape, fc.integer(), (shape, seed) => {
        const perm = shape.map((_, i) => i);
        for (let i = perm.length - 1; i > 0; i--) {
          const j = Math.abs(seed + i * 7919) % (i + 1);
          [perm[i], perm[j]] = [perm[j]!, perm[i]!];
        }
        const x = iota(shape);
        const p = x.permute(perm);
        expect(p.storage).toBe(x.storage);
        for (const idx of indices(p.shape)) {
          const src = new Array(shape.length);
          perm.forEach((d, i) => (src[d] = idx[i]));
          expect(at(p, idx)).toBe(at(x, src));
        }
        // reshape of a non-contiguous view copies in logical order
        const flat = p.reshape(-1).contiguousArray();
        let k = 0;
        for (const idx of indices(p.shape)) expect(flat[k++]).toBe(at(p, idx));
      }),
    );
  });

  it('binary ops broadcast like an explicit expand', () => {
    const pair = nonEmptyShape.chain((s) =>
      fc.tuple(fc.constant(s), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.integer({ min: 0, max: s.length })),
    );
    fc.assert(
      fc.property(pair, ([shape, ones, drop]) => {
        const other = shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
        const a = iota(shape);
        const b = iota(other).mul(0.5).add(1);
        const r = torch.add(a, b);
        expect(r.shape).toEqual(broadcastShapes(shape, other));
        for (const idx of indices(r.shape)) {
          const bidx = idx.slice(idx.length - other.length).map((v, i) => (other[i] === 1 ? 0 : v));
          expect(at(r, idx)).toBeCloseTo(at(a, idx) + at(b, bidx), 5);
        }
      }),
    );
  });

  it('promotion is commutative and matches the category rule', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DTYPES), fc.constantFrom(...DTYPES), (a: DType, b: DType) => {
        expect(promoteTypes(a, b)).toBe(promoteTypes(b, a));
        expect(promoteTypes(a, a)).toBe(a);
        // a 0-d tensor never changes the dtype of a dimensioned one of the same category
        const r = resultType([{ dtype: a, dim: 1 }, { dtype: b, dim: 0 }]);
        const cat = (d: DType) => (d === 'bool' ? 0 : d.startsWith('float') ? 2 : 1);
        if (cat(b) <= cat(a)) expect(r).toBe(a);
      }),
    );
  });

  it('contiguous strides are row-major', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const s = contiguousStrides(shape);
        for (let i = 0; i + 1 < shape.length; i++) expect(s[i]).toBe(s[i + 1]! * Math.max(shape[i + 1]!, 1));
      }),
    );
  });
});
