import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Tensor, storageArrayCtor, type DType } from '@torchlet/core';
import { TupleValue, tuple } from '../src/index.js';

export function loadJson<T>(rel: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../../test-models/${rel}`, import.meta.url)), 'utf8')) as T;
}

interface EncTensor {
  tensor: { dtype: DType; shape: number[]; data: (number | boolean)[] };
}

function decodeFloat(x: number | string): number {
  return x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x);
}

/** JSON fixture value -> interpreter value (floats are plain numbers: the graph's static types say float). */
export function decode(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decode);
  const o = v as Record<string, unknown>;
  if ('float' in o) return decodeFloat(o.float as number | string);
  if ('tuple' in o) return tuple((o.tuple as unknown[]).map(decode));
  if ('dict' in o) return new Map((o.dict as [unknown, unknown][]).map(([k, x]) => [decode(k), decode(x)]));
  if ('tensor' in o) {
    const t = (v as EncTensor).tensor;
    const a = new storageArrayCtor[t.dtype](t.data.length);
    t.data.forEach((x, i) => (a[i] = Number(x)));
    return Tensor.fromArray(a, t.shape, t.dtype);
  }
  throw new Error(`bad fixture value ${JSON.stringify(v)}`);
}

/** Compares an interpreter value with a fixture value (tensors: dtype, shape, values within 1e-6 relative). */
export function expectMatches(got: unknown, want: unknown, where = 'value'): void {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    const o = want as Record<string, unknown>;
    if ('float' in o) {
      const w = decodeFloat(o.float as number | string);
      expect(typeof got, where).toBe('number');
      if (Number.isNaN(w)) expect(Number.isNaN(got as number), where).toBe(true);
      else expect(Math.abs((got as number) - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${where}: got ${String(got)} want ${w}`).toBe(true);
      return;
    }
    if ('tuple' in o) {
      expect(got, `${where} should be a tuple`).toBeInstanceOf(TupleValue);
      return expectMatches([...(got as unknown[])], o.tuple, where);
    }
    if ('dict' in o) {
      expect(got, where).toBeInstanceOf(Map);
      const e = [...(got as Map<unknown, unknown>)];
      const w = o.dict as [unknown, unknown][];
      expect(e.length, where).toBe(w.length);
      w.forEach(([k, x], i) => {
        expectMatches(e[i]![0], k, `${where} key ${i}`);
        expectMatches(e[i]![1], x, `${where}[${String(k)}]`);
      });
      return;
    }
    if ('tensor' in o) {
      const t = (want as EncTensor).tensor;
      expect(got, where).toBeInstanceOf(Tensor);
      const g = got as Tensor;
      expect(g.dtype, `${where} dtype`).toBe(t.dtype);
      expect(g.shape, `${where} shape`).toEqual(t.shape);
      const a = g.contiguousArray();
      t.data.forEach((x, i) => {
        const w = Number(x);
        if (Math.abs(a[i]! - w) > 1e-6 * Math.max(1, Math.abs(w))) expect.fail(`${where}[${i}]: got ${a[i]}, want ${w}`);
      });
      return;
    }
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got) && !(got instanceof TupleValue), `${where} should be a list`).toBe(true);
    expect((got as unknown[]).length, where).toBe(want.length);
    want.forEach((w, i) => expectMatches((got as unknown[])[i], w, `${where}[${i}]`));
    return;
  }
  expect(got, where).toEqual(want);
}
