import { expect } from 'vitest';
import type { Tensor } from '../src/index.js';

/** Elementwise |got - want| <= atol + rtol * |want|, NaNs equal, infinities equal. */
export function expectClose(got: Tensor, want: ArrayLike<number>, shape?: readonly number[], rtol = 1e-5, atol = 1e-6): void {
  if (shape) expect(got.shape).toEqual([...shape]);
  const g = got.contiguousArray();
  expect(g.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const a = g[i]!, b = want[i]!;
    if (Number.isNaN(b)) {
      expect(Number.isNaN(a), `element ${i}: got ${a}, want NaN`).toBe(true);
      continue;
    }
    if (!Number.isFinite(b)) {
      expect(a, `element ${i}`).toBe(b);
      continue;
    }
    if (Math.abs(a - b) > atol + rtol * Math.abs(b)) expect.fail(`element ${i}: got ${a}, want ${b} (shape [${got.shape}])`);
  }
}
