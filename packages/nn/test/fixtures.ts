import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Tensor, tensor, type DType } from '@torchlet/core';

/** A tensor as the fixture scripts write it: row-major data, non-finite floats as strings. */
export interface FixtureTensor {
  dtype: string;
  shape: number[];
  data: (number | boolean | string)[];
}

export interface ModuleCase {
  name: string;
  ctor: string;
  seed: number;
  mode: 'eval' | 'train';
  init: Record<string, FixtureTensor>;
  state?: Record<string, FixtureTensor>;
  inputs?: FixtureTensor[];
  outputs?: FixtureTensor[];
  after?: Record<string, FixtureTensor>;
}

const root = new URL('../../../test-models/nn/', import.meta.url);

export function loadJson<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, root), 'utf8')) as T;
}

export function values(f: FixtureTensor): number[] {
  return f.data.map((v) => (typeof v === 'string' ? (v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity) : Number(v)));
}

export function toTensor(f: FixtureTensor): Tensor {
  if (f.dtype === 'bool') return tensor(f.data as boolean[], { dtype: 'bool', shape: f.shape });
  return tensor(values(f), { dtype: f.dtype as DType, shape: f.shape });
}

export function stateFromFixture(s: Record<string, FixtureTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, toTensor(v)]));
}

/** |got - want| <= atol + rtol * |want| elementwise, same shape and dtype, NaN == NaN. */
export function expectMatches(got: Tensor, want: FixtureTensor, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  expect(got.dtype, `${what}: dtype`).toBe(want.dtype);
  const g = got.contiguousArray();
  const w = values(want);
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!, b = w[i]!;
    if (Number.isNaN(b)) {
      if (!Number.isNaN(a)) expect.fail(`${what}[${i}]: got ${a}, want NaN`);
      continue;
    }
    if (!Number.isFinite(b)) {
      if (a !== b) expect.fail(`${what}[${i}]: got ${a}, want ${b}`);
      continue;
    }
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) expect.fail(`${what}[${i}]: got ${a}, want ${b} (|diff| ${Math.abs(a - b)})`);
  }
}
