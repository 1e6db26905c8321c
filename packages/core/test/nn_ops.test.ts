import { describe, expect, it } from 'vitest';
import { tidy } from '../src/index.js';
import { loadFixture, mismatch, runCase, decode } from './nn_fixtures.js';

function fixtureSuite(file: string): void {
  for (const c of loadFixture(file)) {
    it(c.name, () => {
      tidy(() => {
        const why = mismatch(runCase(c), decode(c.out), c.rtol, c.atol);
        expect(why, `${c.target}: ${why}`).toBeUndefined();
      });
    });
  }
}

describe('interpolation matches PyTorch (test-models/nn-ops/interp.json)', () => fixtureSuite('interp.json'));
