/**
 * The runtimes under test, each behind the same interface: `makeFactory(lib, threads)` starts
 * the runtime and returns a function that prepares a case (loads the model, makes the inputs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputData, type BenchCase, type Lib } from './cases.js';

export interface Prepared {
  run(): Promise<void> | void;
  release(): void;
}

export type Factory = (c: BenchCase) => Promise<Prepared>;

export async function makeFactory(lib: Lib, threads: number, modelsDir: string): Promise<Factory> {
  if (lib === 'torchlet') return torchletRuntime(threads, modelsDir);
  if (lib === 'ort-web') return ortRuntime(true, threads, modelsDir);
  if (lib === 'ort-node') return ortRuntime(false, threads, modelsDir);
  return tfjsRuntime(threads);
}

// ------------------------------------------------------------------------------------ torchlet

async function torchletRuntime(threads: number, modelsDir: string): Promise<Factory> {
  const torch = await import('torchlet');
  await torch.backends.wasm.init({ threads });
  await torch.backends.wasm.threadsReady();
  const tensor = (shape: number[], seed: number) => torch.Tensor.fromArray(inputData(shape, seed), shape, 'float32');

  return async (c: BenchCase): Promise<Prepared> => {
    const dir = join(modelsDir, c.dir);
    if (c.format === 'op') {
      const xs = c.inputs.map((s, i) => tensor(s, i + 1));
      let f: () => { dispose(): void };
      if (c.op === 'matmul') f = () => torch.mm(xs[0]!, xs[1]!);
      else {
        const C = c.inputs[0]![1]!;
        const dw = c.op === 'dwconv';
        const w = tensor(dw ? [C, 1, 3, 3] : [C, C, 3, 3], 7), b = tensor([C], 8);
        f = () => torch.conv2d(xs[0]!, w, b, 1, 1, 1, dw ? C : 1);
      }
      return { run: () => f().dispose(), release: () => xs.forEach((x) => x.dispose()) };
    }
    const xs = c.inputs.map((s, i) => tensor(s, i + 1));
    const free = (v: unknown): void => {
      if (v && typeof v === 'object' && 'dispose' in v) (v as { dispose(): void }).dispose();
      else if (Array.isArray(v)) v.forEach(free);
      else if (v && typeof v === 'object') Object.values(v).forEach(free);
    };
    // the loaders freeze and optimise the graph (batch norm folding, epilogue fusion); each run
    // takes its intermediates from the model's static memory plan
    const key = {};
    if (c.format === 'onnx') {
      const s = await torch.onnx.load(join(dir, 'model.onnx'));
      const feeds = Object.fromEntries(s.inputNames.map((n, i) => [n, xs[i]!]));
      return { run: async () => free(await torch.backends.wasm.withMemoryPlan(key, () => s.run(feeds))), release: () => xs.forEach((x) => x.dispose()) };
    }
    const m = await torch.jit.load(join(dir, 'model.pt'));
    return { run: async () => free(await torch.backends.wasm.withMemoryPlan(key, () => m.forward(...xs))), release: () => xs.forEach((x) => x.dispose()) };
  };
}

// ------------------------------------------------------------------------------------ onnxruntime

async function ortRuntime(web: boolean, threads: number, modelsDir: string): Promise<Factory> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ort: any = web ? await import('onnxruntime-web') : await import('onnxruntime-node');
  if (web) {
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.simd = true;
  }
  return async (c: BenchCase): Promise<Prepared> => {
    const path = join(modelsDir, c.dir, 'model.onnx');
    const opts = web
      ? { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }
      : { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
    const s = await ort.InferenceSession.create(web ? readFileSync(path) : path, opts);
    const feeds = Object.fromEntries(s.inputNames.map((n: string, i: number) => [n, new ort.Tensor('float32', inputData(c.inputs[i]!, i + 1), c.inputs[i])]));
    return { run: async () => void (await s.run(feeds)), release: () => void s.release?.() };
  };
}

// ------------------------------------------------------------------------------------ tfjs-backend-wasm

async function tfjsRuntime(threads: number): Promise<Factory> {
  const tf = await import('@tensorflow/tfjs-core');
  const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
  wasmBackend.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to start');
  await tf.ready();
  return async (c: BenchCase): Promise<Prepared> => {
    const t = (shape: number[], seed: number) => tf.tensor(inputData(shape, seed), shape, 'float32');
    let f: () => void;
    const keep: { dispose(): void }[] = [];
    if (c.op === 'matmul') {
      const a = t(c.inputs[0]!, 1), b = t(c.inputs[1]!, 2);
      keep.push(a, b);
      f = () => tf.matMul(a, b).dispose();
    } else if (c.op === 'conv' || c.op === 'dwconv') {
      // NHWC, tfjs' native layout
      const [, C, H, W] = c.inputs[0]!;
      const x = t([1, H!, W!, C!], 1);
      const b = t([C!], 8);
      keep.push(x, b);
      if (c.op === 'conv') {
        const w = t([3, 3, C!, C!], 7);
        keep.push(w);
        f = () => tf.fused.conv2d({ x: x as import('@tensorflow/tfjs-core').Tensor4D, filter: w as import('@tensorflow/tfjs-core').Tensor4D, strides: 1, pad: 'same', bias: b }).dispose();
      } else {
        const w = t([3, 3, C!, 1], 7);
        keep.push(w);
        f = () => tf.fused.depthwiseConv2d({ x: x as import('@tensorflow/tfjs-core').Tensor4D, filter: w as import('@tensorflow/tfjs-core').Tensor4D, strides: 1, pad: 'same', bias: b }).dispose();
      }
    } else throw new Error('not applicable');
    return { run: f, release: () => keep.forEach((k) => k.dispose()) };
  };
}

