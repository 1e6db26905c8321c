/**
 * torch.nn modules against PyTorch 1.13 (fixtures from test-models/nn/make_fixtures.py):
 * default initialisation after manual_seed, state_dict keys and order, repr, and forward outputs
 * for a given state_dict.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, type Tensor } from '@torchlet/core';
import * as nn from '../src/index.js';
import { callCase, factories } from './cases.js';
import { expectMatches, loadJson, stateFromFixture, toTensor, type ModuleCase } from './fixtures.js';

const data = loadJson<{ cases: (ModuleCase & { repr: string })[] }>('modules.json');

function seeded<T>(seed: number, f: () => T): T {
  manualSeed(seed);
  return f();
}

describe('default initialisation reproduces PyTorch after manual_seed', () => {
  for (const c of data.cases) {
    it(c.name, () => {
      const m = seeded(c.seed, factories[c.name]!);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(c.init));
      // uniform draws are bit-exact; normal_ (Embedding) uses PyTorch's float32 AVX2 log/sincos
      const exact = !c.name.startsWith('embedding');
      for (const [k, want] of Object.entries(c.init)) expectMatches(sd[k]!, want, k, exact ? 0 : 2e-6, exact ? 0 : 1e-7);
      m.dispose();
    });
  }
});

describe('repr matches PyTorch', () => {
  for (const c of data.cases) {
    it(c.name, () => {
      const m = factories[c.name]!();
      expect(m.toString()).toBe(c.repr);
      m.dispose();
    });
  }
});

describe('forward matches PyTorch for the same state_dict', () => {
  for (const c of data.cases.filter((x) => x.inputs)) {
    it(c.name, () => {
      const m = factories[c.name]!();
      const sd = stateFromFixture(c.state ?? c.init);
      m.loadStateDict(sd);
      for (const t of Object.values(sd)) t.dispose();
      m.train(c.mode === 'train');
      const inputs = c.inputs!.map(toTensor);
      const outs = callCase(c.name, m, inputs);
      expect(outs.length).toBe(c.outputs!.length);
      c.outputs!.forEach((want, i) => expectMatches(outs[i]!, want, `output ${i}`));
      if (c.after) {
        const now = m.stateDict();
        for (const [k, want] of Object.entries(c.after)) expectMatches(now[k]!, want, `${k} after forward`);
      }
      for (const t of [...inputs, ...outs]) (t as Tensor).dispose();
      m.dispose();
    });
  }
});
