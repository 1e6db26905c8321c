import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jit, type ScriptModule } from '../src/index.js';
import { TEST_MODELS, compareValues, decodeFixture, readNpyFile } from './helpers.js';

/**
 * Models of the kinds the reference models cover, made after the loader was written
 * (test-models/torchscript/unseen/make_unseen.py, PyTorch 1.13 + torchvision 0.14, random
 * weights): torchvision CNNs scripted and traced, RNN decoders with while/for loops and early
 * exits, transformer encoder/decoder blocks, MultiheadAttention with a padding mask, a module
 * whose forward writes its attributes. Each runs with the inference optimisation (default) and
 * without it. Full-size models (resnet18, googlenet, squeezenet, ...) and the traced resnet18
 * reference live in the gitignored benchmarks/models/ and run when present.
 */

interface Fixture {
  model: string;
  rtol: number;
  atol: number;
  calls: { method: string; inputs: unknown[]; output: unknown }[];
}

const REPO = new URL('../../../', import.meta.url).pathname;
const SMALL = `${TEST_MODELS}torchscript/unseen/`;
const BIG = `${REPO}benchmarks/models/unseen/`;
const MAKE = '/usr/bin/python3 test-models/torchscript/unseen/make_unseen.py';

async function runFixture(dir: string, file: string, optimize: boolean): Promise<string[]> {
  const fx = JSON.parse(readFileSync(dir + file, 'utf8')) as Fixture;
  const m = (await jit.load(dir + fx.model, { optimize })) as ScriptModule;
  const errs: string[] = [];
  for (const [k, c] of fx.calls.entries()) {
    const out = await m.call(c.method, ...c.inputs.map(decodeFixture));
    errs.push(...compareValues(out, decodeFixture(c.output), { rtol: fx.rtol, atol: fx.atol }, `call ${k}`));
  }
  return errs;
}

const fixtures = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.io.json')).sort() : []);

describe('unseen TorchScript models (test-models/torchscript/unseen)', () => {
  const files = fixtures(SMALL);
  it('has the generated fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(19);
  });
  for (const f of files) {
    it(`${f.replace('.io.json', '')} matches PyTorch (optimised)`, async () => {
      expect(await runFixture(SMALL, f, true)).toEqual([]);
    });
    it(`${f.replace('.io.json', '')} matches PyTorch (as compiled)`, async () => {
      expect(await runFixture(SMALL, f, false)).toEqual([]);
    });
  }

  it('does not freeze a module whose forward writes its attributes', async () => {
    const m = (await jit.load(`${SMALL}stateful_counter_scripted.pt`)) as ScriptModule;
    expect(m.optimizedGraph()).toBeUndefined();
  });
});

describe('full-size models (benchmarks/models, gitignored)', () => {
  const big = fixtures(BIG);
  if (big.length === 0) {
    it.skip(`full-size unseen models are absent: make them with \`${MAKE}\``, () => {});
  }
  for (const f of big) {
    it(`${f.replace('.io.json', '')} matches PyTorch`, async () => {
      expect(await runFixture(BIG, f, true)).toEqual([]);
    }, 60_000);
  }

  const r18 = `${REPO}benchmarks/models/resnet18_traced/`;
  if (!existsSync(`${r18}model.pt`)) {
    it.skip('resnet18_traced is absent: make it with `/usr/bin/python3 /work/shared/refs/make_refs.py public-large benchmarks/models`', () => {});
  } else {
    for (const optimize of [true, false]) {
      it(`resnet18_traced matches PyTorch (${optimize ? 'optimised' : 'as traced'})`, async () => {
        const meta = JSON.parse(readFileSync(`${r18}meta.json`, 'utf8')) as { rtol: number; atol: number };
        const m = (await jit.load(`${r18}model.pt`, { optimize })) as ScriptModule;
        const y = await m.forward(readNpyFile(`${r18}input_0.npy`));
        expect(compareValues(y, readNpyFile(`${r18}output_0.npy`), meta, 'out')).toEqual([]);
      }, 60_000);
    }
  }
});
