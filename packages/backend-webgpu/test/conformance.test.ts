/**
 * PyTorch's own OpInfo samples (test-models/aten-ops, PyTorch 1.13 outputs) run on the webgpu
 * device for a selection of the core ops (the rest run in scripts/conformance.ts): every sample
 * the device can hold must match PyTorch.
 * `TORCHLET_WEBGPU_CONFORMANCE=all` runs every local sample file instead (slow on SwiftShader:
 * each new pipeline takes 10-700 ms to compile there).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compare, decode } from '../../conformance/src/aten.js';
import { runSamplesOnWebGPU, type SampleFile } from './conformance.js';
import { webgpu } from './helpers.js';

const DIR = new URL('../../../test-models/aten-ops/', import.meta.url).pathname;
const CORE = [
  'add', 'div.no_rounding_mode', 'nn.functional.gelu', 'where', 'pow', 'sum', 'amax', 'softmax', 'matmul', 'nn.functional.linear',
  'nn.functional.conv2d', 'nn.functional.max_pool2d', 'nn.functional.avg_pool2d', 'nn.functional.adaptive_avg_pool2d',
  'nn.functional.batch_norm', 'nn.functional.layer_norm', 'cat',
];
// files whose samples depend on host values or CPU-made tensors (not kernel questions)
const HOST_BOUND = new Set(['__getitem__', 'einsum', 'meshgrid.variadic_tensors', 'tensor_split', 'nn.functional._scaled_dot_product_attention']);

const { be, reason } = await webgpu();
const files = process.env.TORCHLET_WEBGPU_CONFORMANCE === 'all'
  ? readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((f) => !HOST_BOUND.has(f))
  : CORE;

describe('OpInfo samples on webgpu match PyTorch', () => {
  it.skipIf(!be)(`${files.length} sample files${be ? '' : ` (skipped: ${reason})`}`, async () => {
    let passed = 0;
    const failures: string[] = [];
    for (const f of files) {
      const r = await runSamplesOnWebGPU(f, JSON.parse(readFileSync(`${DIR}${f}.json`, 'utf8')) as SampleFile, { decode, compare });
      passed += r.passed;
      if (r.failed) failures.push(`${f}: ${r.failed} failed, e.g. ${r.errors[0]}`);
      // the named ops run on the device for every float32 sample
      if (files === CORE && r.passed === 0) failures.push(`${f}: no sample ran on webgpu (${r.reasons[0]})`);
    }
    expect(failures).toEqual([]);
    expect(passed).toBeGreaterThan(files === CORE ? 280 : 2500);
  });
});
