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

/** The same fixtures through each overload's `decompose` (registry ops only: what backends without a fused kernel run). */
function decompositionSuite(file: string, ops: string[]): void {
  describe.skipIf(!haveOps(...ops))(`${file} through the decompositions`, () => {
    for (const c of loadFixture(file).filter((c) => c.kind !== 'op' || c.target.includes('.input'))) {
      it(c.name, () => {
        tidy(() => {
          const why = mismatch(runDecomposed(c), decode(c.out), c.rtol, c.atol);
          expect(why, `${c.target}: ${why}`).toBeUndefined();
        });
      });
    }
  });
}

decompositionSuite('rnn.json', ['aten::linear', 'aten::unsafe_chunk', 'aten::sigmoid', 'aten::tanh', 'aten::relu', 'aten::mul', 'aten::add', 'aten::sub',
  'aten::select', 'aten::stack', 'aten::cat', 'aten::transpose', 'aten::contiguous', 'aten::clone']);

describe('attention ops match PyTorch (test-models/nn-ops/attention.json)', () => fixtureSuite('attention.json'));

decompositionSuite('attention.json', ['aten::linear', 'aten::matmul', 'aten::softmax', 'aten::masked_fill', 'aten::ne', 'aten::tril', 'aten::ones', 'aten::logical_not',
  'aten::div', 'aten::sum', 'aten::reshape', 'aten::view', 'aten::transpose', 'aten::unsafe_chunk', 'aten::gelu', 'aten::relu', 'aten::add']);

describe('losses match PyTorch (test-models/nn-ops/losses.json)', () => fixtureSuite('losses.json'));
