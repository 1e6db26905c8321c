import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@torchlet/core';
import { load } from '../src/index.js';
import { excess, npy } from './helpers.js';

// PyTorch's ONNX export of torchvision resnet18 (random weights), made by
// `/usr/bin/python3 /work/shared/refs/make_refs.py public-large benchmarks/models` into the
// gitignored benchmarks/models/: run when present.
const DIR = new URL('../../../benchmarks/models/resnet18_traced/', import.meta.url).pathname;

describe('resnet18 (ONNX export, benchmarks/models)', () => {
  if (!existsSync(`${DIR}model.onnx`)) {
    it.skip('resnet18_traced/model.onnx is absent: make it with `/usr/bin/python3 /work/shared/refs/make_refs.py public-large benchmarks/models`', () => {});
    return;
  }
  for (const optimize of [true, false]) {
    it(`matches PyTorch (${optimize ? 'optimised' : 'as imported'})`, async () => {
      const meta = JSON.parse(readFileSync(`${DIR}meta.json`, 'utf8')) as { rtol: number; atol: number };
      const s = await load(`${DIR}model.onnx`, { optimize });
      const out = await s.run({ [s.inputNames[0]!]: npy(`${DIR}input_0.npy`) });
      expect(excess(out[s.outputNames[0]!] as Tensor, npy(`${DIR}output_0.npy`), meta.rtol, meta.atol)).toBeLessThanOrEqual(0);
    }, 60_000);
  }
});
