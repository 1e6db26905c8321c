import { describe, expect, it } from 'vitest';
import { tidy } from '../src/index.js';
import { decode, haveOps, loadFixture, mismatch, runCase, runDecomposed } from './nn_fixtures.js';

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

describe('recurrent ops match PyTorch (test-models/nn-ops/rnn.json)', () => fixtureSuite('rnn.json'));

const RNN_DECOMP_OPS = ['aten::linear', 'aten::unsafe_chunk', 'aten::sigmoid', 'aten::tanh', 'aten::relu', 'aten::mul.Tensor', 'aten::add.Tensor', 'aten::sub.Tensor',
  'aten::select.int', 'aten::stack', 'aten::cat', 'aten::transpose.int', 'aten::contiguous', 'aten::clone'];
describe.skipIf(!haveOps(...RNN_DECOMP_OPS))('recurrent decompositions (registry ops only) match PyTorch', () => {
  for (const c of loadFixture('rnn.json').filter((c) => c.kind !== 'op')) {
    it(c.name, () => {
      tidy(() => {
        const why = mismatch(runDecomposed(c), decode(c.out), c.rtol, c.atol);
        expect(why, `${c.target}: ${why}`).toBeUndefined();
      });
    });
  }
});
