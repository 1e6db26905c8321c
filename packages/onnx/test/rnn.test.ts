import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@torchlet/core';
import { load } from '../src/index.js';
import { MODELS, excess, npy } from './helpers.js';

// PyTorch's ONNX exports of nn.LSTM / nn.GRU (scripts/make-rnn-fixtures.py): the importer lowers
// ONNX LSTM/GRU with constant weights to aten::lstm / aten::gru (weights reordered to PyTorch's
// gate order at import), which must reproduce PyTorch's outputs.
const DIR = join(MODELS, 'fixtures/rnn');
const CASES: [string, string, number, number][] = [
  ['lstm_bidirectional_2layers', 'aten::lstm', 1, 3],
  ['lstm_no_bias', 'aten::lstm', 1, 3],
  ['gru_bidirectional', 'aten::gru', 1, 2],
  ['gru_with_state', 'aten::gru', 2, 2],
];

describe('ONNX LSTM/GRU lowered to aten::lstm / aten::gru', () => {
  for (const [name, kind, nIn, nOut] of CASES) {
    it(`${name} runs as ${kind} and matches PyTorch`, async () => {
      const s = await load(join(DIR, `${name}.onnx`));
      const kinds = s.graph.allNodes().map((n) => n.kind);
      expect(kinds).toContain(kind);
      expect(kinds.some((k) => k === 'onnx::LSTM' || k === 'onnx::GRU')).toBe(false);
      const feeds: Record<string, Tensor> = {};
      for (let i = 0; i < nIn; i++) if (s.inputNames.includes(`input_${i}`)) feeds[`input_${i}`] = npy(join(DIR, `${name}.input_${i}.npy`));
      const out = await s.run(feeds);
      for (let i = 0; i < nOut; i++) {
        const f = join(DIR, `${name}.output_${i}.npy`);
        if (!existsSync(f)) continue;
        expect(excess(out[`output_${i}`] as Tensor, npy(f), 1e-4, 1e-5), `output_${i}`).toBeLessThanOrEqual(0);
      }
    });
  }
});
