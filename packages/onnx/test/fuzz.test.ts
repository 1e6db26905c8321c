import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpError, tensor } from '@torchlet/core';
import { load, OnnxFormatError, OnnxImportError, OnnxRunError, readTensor } from '../src/index.js';
import { MODELS } from './helpers.js';

const mlp = new Uint8Array(readFileSync(join(MODELS, 'pytorch/tiny_mlp/model.onnx')));
const cnn = new Uint8Array(readFileSync(join(MODELS, 'pytorch/small_cnn/model.onnx')));
const tensorPb = new Uint8Array(readFileSync(join(MODELS, 'fixtures/tensors/FLOAT.raw.pb')));
const mlpInput = tensor(Array.from({ length: 80 }, (_, i) => Math.sin(i)), { dtype: 'float32' }).reshape([5, 16]);

function torchletError(e: unknown): boolean {
  // the importer's safety net turns unexpected exceptions into OnnxImportError('... internal error ...'): a bug here
  if ((e as Error).message?.includes('internal error')) return false;
  return e instanceof OnnxFormatError || e instanceof OnnxImportError || e instanceof OnnxRunError || e instanceof OpError;
}

/** A mutation of `bytes`: a truncation, or up to 4 bytes replaced. */
const mutated = (bytes: Uint8Array) =>
  fc.oneof(
    fc.integer({ min: 0, max: bytes.length - 1 }).map((n) => bytes.slice(0, n)),
    fc.array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
      const b = bytes.slice();
      for (const [i, v] of flips) b[i] = v;
      return b;
    }),
  );

async function loadAndRun(bytes: Uint8Array, feed: Record<string, ReturnType<typeof tensor>>): Promise<void> {
  try {
    const s = await load(bytes);
    const name = s.inputNames[0];
    if (name) await s.run({ [name]: Object.values(feed)[0]! });
  } catch (e) {
    if (!torchletError(e)) throw e;
  }
}

// Corrupt models and tensors must fail with torchlet's error classes only (no TypeError,
// RangeError or protobuf internals), and never crash or hang.
describe('fuzzing the reader', () => {
  it('truncated or byte-flipped models', async () => {
    await fc.assert(fc.asyncProperty(mutated(mlp), (b) => loadAndRun(b, { x: mlpInput })), { numRuns: 300, seed: 42 });
  });
  it('truncated or byte-flipped CNN', async () => {
    const img = tensor(Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.cos(i)), { dtype: 'float32' }).reshape([2, 3, 32, 32]);
    await fc.assert(fc.asyncProperty(mutated(cnn), (b) => loadAndRun(b, { x: img })), { numRuns: 150, seed: 7 });
  });
  it('truncated or byte-flipped tensors', () => {
    fc.assert(
      fc.property(mutated(tensorPb), (b) => {
        try {
          readTensor(b);
        } catch (e) {
          expect(e).toBeInstanceOf(OnnxFormatError);
        }
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});
