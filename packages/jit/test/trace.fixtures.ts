/**
 * The models of test-models/trace/gen.py written with torchlet's torch.nn, and their PyTorch
 * fixtures (state dicts, two inputs each, PyTorch 1.13's outputs in eval mode). Shared by the
 * trace, save and ONNX export tests.
 */
import { readFileSync } from 'node:fs';
import { Tensor, tensor, type DType } from '@torchlet/core';
import * as nn from '@torchlet/nn';
import { expect } from 'vitest';

const F = nn.functional;

export class MLP extends nn.Module {
  fc1 = new nn.Linear(6, 16);
  act = new nn.ReLU();
  drop = new nn.Dropout(0.1);
  fc2 = new nn.Linear(16, 16);
  fc3 = new nn.Linear(16, 3);
  forward(x: Tensor): Tensor {
    let h = this.drop.call(this.act.call(this.fc1.call(x)));
    h = this.fc2.call(h).tanh().add(h);
    return F.log_softmax(this.fc3.call(h), -1);
  }
}

export class SmallCNN extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(),
    new nn.AvgPool2d(2),
  );
  pool = new nn.AdaptiveAvgPool2d(1);
  flatten = new nn.Flatten();
  classifier = new nn.Linear(16, 5);
  forward(x: Tensor): Tensor {
    return this.classifier.call(this.flatten.call(this.pool.call(this.features.call(x))));
  }
}

/** A pre-norm transformer block: self-attention and a GELU MLP with residuals; returns [out, attention weights]. */
export class AttentionBlock extends nn.Module {
  norm1 = new nn.LayerNorm(16);
  attn = new nn.MultiheadAttention(16, 4, { batch_first: true });
  norm2 = new nn.LayerNorm(16);
  fc1 = new nn.Linear(16, 32);
  fc2 = new nn.Linear(32, 16);
  forward(x: Tensor): [Tensor, Tensor] {
    const h = this.norm1.call(x);
    const [a, w] = this.attn.call(h, h, h);
    let y = x.add(a);
    y = y.add(this.fc2.call(F.gelu(this.fc1.call(this.norm2.call(y)))));
    return [y, w!];
  }
}

interface TensorJson {
  dtype: string;
  shape: number[];
  data: number[];
}
interface CaseJson {
  name: string;
  state_dict: Record<string, TensorJson>;
  inputs: TensorJson[][];
  outputs: TensorJson[][];
}

export const TRACE_FIXTURES = new URL('../../../test-models/trace/models.json', import.meta.url).pathname;

export function fromJson(t: TensorJson): Tensor {
  return tensor(t.data, { dtype: t.dtype as DType, shape: t.shape });
}

export interface ModelCase {
  name: string;
  model: nn.Module;
  /** two argument lists */
  inputs: Tensor[][];
  /** PyTorch's outputs for them (a tuple output as its elements) */
  outputs: Tensor[][];
}

let cases: CaseJson[] | undefined;

/** A fixture model with PyTorch's weights loaded, in eval mode. */
export function modelCase(name: 'mlp' | 'cnn' | 'attention'): ModelCase {
  cases ??= (JSON.parse(readFileSync(TRACE_FIXTURES, 'utf8')) as { cases: CaseJson[] }).cases;
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture ${name}`);
  const model = name === 'mlp' ? new MLP() : name === 'cnn' ? new SmallCNN() : new AttentionBlock();
  const sd: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.state_dict)) sd[k] = fromJson(v);
  model.loadStateDict(sd);
  for (const t of Object.values(sd)) t.dispose();
  model.eval();
  return { name, model, inputs: c.inputs.map((ins) => ins.map(fromJson)), outputs: c.outputs.map((os) => os.map(fromJson)) };
}

/** The tensors of a (possibly nested) output, in order. */
export function flatTensors(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(flatTensors);
  if (v instanceof Map) return [...v.values()].flatMap(flatTensors);
  if (v && typeof v === 'object') return Object.values(v).flatMap(flatTensors);
  return [];
}

/** Largest |a - b| - tol*(1 + |b|) violation; NaNs must match. */
export function expectClose(got: Tensor | ArrayLike<number | bigint>, want: Tensor, tol = 1e-5, what = 'value'): void {
  const a = got instanceof Tensor ? got.contiguousArray() : got;
  if (got instanceof Tensor) {
    expect(got.shape, `${what}: shape`).toEqual(want.shape);
    expect(got.dtype, `${what}: dtype`).toBe(want.dtype);
  }
  const b = want.contiguousArray();
  expect(a.length, `${what}: length`).toBe(b.length);
  let worst = 0, at = -1;
  for (let i = 0; i < b.length; i++) {
    const x = Number(a[i]!), y = b[i]!;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    const err = Math.abs(x - y) - tol * (1 + Math.abs(y));
    if (!(err <= worst)) {
      worst = Number.isNaN(err) ? Infinity : err;
      at = i;
    }
  }
  expect(at, `${what}: element ${at} is ${a[at]} but should be ${b[at]} (tolerance ${tol})`).toBe(-1);
}
