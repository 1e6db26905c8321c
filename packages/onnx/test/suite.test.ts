import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnnxCase } from '../../conformance/src/onnx.js';
import { MODELS } from './helpers.js';

// A representative subset of the ONNX backend conformance suite (the whole suite runs with
// `pnpm conformance onnx`): convolution and pooling edge cases, Resize modes, losses, Loop/If/Scan,
// sequences and optionals, recurrent ops, reductions, indexing, casts.
describe('ONNX backend suite subset', () => {
  const root = join(MODELS, 'suite');
  for (const name of readdirSync(root).sort()) {
    it(name, async () => {
      const r = await runOnnxCase(join(root, name));
      expect(r.error).toBeUndefined();
      expect(r.ok).toBe(true);
    });
  }
});
