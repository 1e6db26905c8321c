/**
 * Whole models on the default CPU device with the wasm kernels on, against PyTorch's outputs:
 * the shared PyTorch cases (test-models/pytorch) as loaded, and small CNN / RNN / transformer
 * models (test-models/backend-wasm, made by scripts/make_fixtures.py) loaded from .pt and .onnx,
 * both as loaded and after freezing + the inference passes (batch-norm folding, epilogue fusion).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '@torchlet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Interpreter, type Graph } from '../../ir/src/index.js';
import { freezeModule } from '../../ir/src/passes/freeze.js';
import { optimizeForInference } from '../../ir/src/passes/optimize_inference.js';
import { loadTorchScript, type ScriptModule } from '../../jit/src/index.js';
import { load as loadOnnx, InferenceSession, readNpy } from '../../onnx/src/index.js';
import { useVariant, wasm } from './helpers.js';

const ROOT = join(__dirname, '../../../test-models');

function expectClose(got: unknown, want: Tensor, rtol: number, atol: number, what: string): void {
  if (!(got instanceof Tensor)) throw new Error(`${what}: result is not a tensor`);
  expect(got.shape, what).toEqual(want.shape);
  const a = got.dataSync() as Float32Array, b = want.dataSync() as Float32Array;
  let worst = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i]! - b[i]!) - (atol + rtol * Math.abs(b[i]!));
    if (!(excess <= worst)) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  if (at >= 0) throw new Error(`${what}: element ${at} is ${a[at]}, PyTorch ${b[at]} (rtol ${rtol}, atol ${atol})`);
}

interface Unit {
  methodSig(t: unknown, n: string): unknown;
  methodGraph(t: unknown, n: string): Graph;
  functionGraph(q: string): Graph | undefined;
}

function frozenForward(m: ScriptModule): { g: Graph; it: Interpreter } {
  const unit = m.unit as unknown as Unit;
  const g = freezeModule(m.methodGraph('forward'), m.object, (obj, name) => (unit.methodSig(obj.type, name) ? unit.methodGraph(obj.type, name) : undefined), (q) => unit.functionGraph(q));
  if (!g) throw new Error('the module could not be frozen');
  const it = new Interpreter({ resolveMethod: (obj, name) => (unit.methodSig(obj.type, name) ? unit.methodGraph(obj.type, name) : undefined), resolveFunction: (q) => unit.functionGraph(q) });
  return { g, it };
}

function kinds(g: Graph): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of g.allNodes()) m.set(n.kind, (m.get(n.kind) ?? 0) + 1);
  return m;
}

interface Case {
  dir: string;
  rtol: number;
  atol: number;
  /** fused ops the optimized graph must contain */
  fused: string[];
  /** wasm kernels the optimized run must use */
  kernels: string[];
}

const CASES: Case[] = [
  { dir: 'backend-wasm/resnet_tiny_scripted', rtol: 1e-3, atol: 1e-4, fused: ['torchlet::conv2d_fused', 'torchlet::linear_fused'], kernels: ['torchlet::conv2d_fused', 'aten::max_pool2d'] },
  { dir: 'backend-wasm/mobilenet_v2_small', rtol: 1e-3, atol: 1e-4, fused: ['torchlet::conv2d_fused'], kernels: ['torchlet::conv2d_fused'] },
  { dir: 'backend-wasm/lstm_bidir', rtol: 1e-4, atol: 1e-5, fused: ['torchlet::linear_fused'], kernels: ['aten::lstm.input'] },
  { dir: 'backend-wasm/gru_relu', rtol: 1e-4, atol: 1e-5, fused: ['torchlet::linear_fused'], kernels: ['aten::gru.input'] },
  { dir: 'backend-wasm/transformer_layer', rtol: 1e-4, atol: 1e-5, fused: [], kernels: ['aten::_transformer_encoder_layer_fwd|torchlet::linear_fused'] },
];

describe('models with the wasm kernels', () => {
  beforeAll(async () => {
    await useVariant(wasm.relaxedSimdSupported() ? 'relaxed' : 'simd', 2);
    wasm.setMinWork(2048);
  });

  for (const c of CASES) {
    const dir = join(ROOT, c.dir);
    it(`${c.dir}: .pt as loaded, and frozen + optimized`, async () => {
      const x = readNpy(readFileSync(join(dir, 'input_0.npy')));
      const want = readNpy(readFileSync(join(dir, 'output_0.npy')));
      const m = await loadTorchScript(join(dir, 'model.pt'));
      expectClose(await m.forward(x), want, c.rtol, c.atol, `${c.dir} (.pt)`);
      const { g, it } = frozenForward(m);
      optimizeForInference(g);
      const k = kinds(g);
      for (const f of c.fused) expect(k.get(f), `${f} in the optimized graph`).toBeGreaterThan(0);
      expect(k.get('aten::batch_norm') ?? 0).toBe(0);
      wasm.resetKernelCalls();
      const args = [m.object, x, ...new Array<null>(g.inputs.length - 2).fill(null)];
      const [y] = await it.run(g, args);
      expectClose(y, want, c.rtol, c.atol, `${c.dir} (.pt, optimized)`);
      for (const kk of c.kernels) expect(Math.max(...kk.split('|').map((k) => wasm.kernelCalls().get(k) ?? 0)), `${kk} on the wasm kernels`).toBeGreaterThan(0);
    });

    it(`${c.dir}: .onnx as loaded, and optimized`, async () => {
      const x = readNpy(readFileSync(join(dir, 'input_0.npy')));
      const want = readNpy(readFileSync(join(dir, 'output_0.npy')));
      const s = await loadOnnx(join(dir, 'model.onnx'));
      expectClose((await s.run({ input_0: x })).output_0, want, c.rtol, c.atol, `${c.dir} (.onnx)`);
      const s0 = await loadOnnx(join(dir, 'model.onnx'));
      optimizeForInference(s0.graph);
      const opt = new InferenceSession(s0.graph, s0.inputInfo, s0.outputNames, s0.opset);
      expectClose((await opt.run({ input_0: x })).output_0, want, c.rtol, c.atol, `${c.dir} (.onnx, optimized)`);
    });
  }

  it('a list attribute mutated in place (no prim::SetAttr) is not frozen into a copy', async () => {
    const dir = join(ROOT, 'backend-wasm/list_attr');
    const x = readNpy(readFileSync(join(dir, 'input_0.npy')));
    const m = await loadTorchScript(join(dir, 'model.pt'));
    expectClose(await m.forward(x), readNpy(readFileSync(join(dir, 'output_0.npy'))), 1e-5, 1e-5, 'first call');
    expectClose(await m.forward(x), readNpy(readFileSync(join(dir, 'output_1.npy'))), 1e-5, 1e-5, 'second call');
    const { g } = frozenForward(await loadTorchScript(join(dir, 'model.pt')));
    expect(kinds(g).get('prim::GetAttr')).toBeGreaterThan(0);
  });

  // the shared PyTorch cases, as loaded, on the default CPU device (wasm kernels on)
  const shared = ['small_cnn', 'tiny_mlp', 'lstm_tagger', 'transformer_layer', 'control_flow', 'dicts_and_strings'];
  for (const name of shared) {
    const dir = join(ROOT, 'pytorch', name);
    it.runIf(existsSync(dir))(`pytorch/${name} matches PyTorch`, async () => {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
        rtol: number; atol: number; inputs: { kind: string; file?: string; value?: unknown }[]; outputs: { file: string; path: string }[];
      };
      const args = meta.inputs.map((i) => (i.kind === 'tensor' ? readNpy(readFileSync(join(dir, i.file!))) : i.value));
      const m = await loadTorchScript(join(dir, 'model.pt'));
      const out = await m.forward(...args);
      const flat: unknown[] = [];
      const walk = (v: unknown): void => {
        if (v instanceof Tensor) flat.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v instanceof Map) [...v.values()].forEach(walk);
      };
      walk(out);
      const tensors = meta.outputs.filter((o) => o.file.endsWith('.npy'));
      expect(flat.length).toBe(tensors.length);
      tensors.forEach((o, i) => expectClose(flat[i], readNpy(readFileSync(join(dir, o.file))), meta.rtol, meta.atol, `${name} ${o.path}`));
    });
  }
});
