/**
 * The public contract of `import * as torch from 'torchlet'`, exercised exactly as an app uses
 * it. Expected values come from PyTorch 1.13 (test-models/torchlet/make_fixtures.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

interface Fx {
  dtype: string;
  shape: number[];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../../test-models/torchlet/api.json', import.meta.url), 'utf8')) as Record<string, Fx>;
const load = (f: Fx): torch.Tensor => torch.tensor(f.data, { dtype: f.dtype as torch.DType, shape: f.shape });

function expectFx(t: torch.Tensor, f: Fx, rtol = 1e-5, atol = 1e-6): void {
  expect(t.shape).toEqual(f.shape);
  expect(t.dtype).toBe(f.dtype);
  const got = t.dataSync() as ArrayLike<number>;
  f.data.forEach((w, i) => {
    if (Math.abs(got[i]! - w) > atol + rtol * Math.abs(w)) expect.fail(`element ${i}: got ${got[i]}, want ${w}`);
  });
}

describe('torch.tensor and Tensor basics', () => {
  const cases: [torch.DType, new (n: number) => ArrayLike<unknown>][] = [
    ['float32', Float32Array], ['float64', Float64Array], ['float16', Uint16Array], ['int8', Int8Array], ['int16', Int16Array],
    ['int32', Int32Array], ['int64', BigInt64Array], ['uint8', Uint8Array], ['bool', Uint8Array],
  ];
  for (const [dtype, Arr] of cases) {
    it(`dtype ${dtype}: shape, dtype, device, await data()`, async () => {
      const values = dtype === 'bool' ? [true, false, true, true, false, false] : [1, 0, 3, 4, 5, 6];
      const t = torch.tensor(values, { dtype, shape: [2, 3] });
      expect(t.shape).toEqual([2, 3]);
      expect(t.dtype).toBe(dtype);
      expect(t.device).toBe('cpu');
      const d = await t.data();
      expect(d).toBeInstanceOf(Arr);
      expect(d.length).toBe(6);
      if (dtype === 'int64') expect(Array.from(d as BigInt64Array)).toEqual([1n, 0n, 3n, 4n, 5n, 6n]);
      else if (dtype === 'float16') expect(Array.from(d as Uint16Array)).toEqual([0x3c00, 0, 0x4200, 0x4400, 0x4500, 0x4600]);
      else if (dtype === 'bool') expect(Array.from(d as Uint8Array)).toEqual([1, 0, 1, 1, 0, 0]);
      else expect(Array.from(d as ArrayLike<number>)).toEqual([1, 0, 3, 4, 5, 6]);
      t.dispose();
      expect(t.isDisposed).toBe(true);
    });
  }

  it('a BigInt64Array makes an int64 tensor; inference picks int64 / float32 / bool', () => {
    expect(torch.tensor(new BigInt64Array([1n, 2n])).dtype).toBe('int64');
    expect(torch.tensor([1, 2]).dtype).toBe('int64');
    expect(torch.tensor([1.5, 2]).dtype).toBe('float32');
    expect(torch.tensor([true]).dtype).toBe('bool');
  });

  it('t.to(dtype | device | options) and dtypes as values', () => {
    const x = load(fx.x!);
    expect(torch.float32).toBe('float32');
    expect([torch.float64, torch.float16, torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.bool]).toEqual([
      'float64', 'float16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool',
    ]);
    expect([torch.float, torch.double, torch.half, torch.long, torch.int, torch.short]).toEqual(['float32', 'float64', 'float16', 'int64', 'int32', 'int16']);
    const d = x.to('float64');
    expect(d.dtype).toBe('float64');
    expect(x.to(torch.float64).dtype).toBe('float64');
    expect(x.to({ dtype: torch.float16 }).dtype).toBe('float16');
    expect(x.to('cpu')).toBe(x);
    expectFx(x.to('int32'), fx.to_int32!);
    expect(x.to(d).dtype).toBe('float64');
    expect(() => x.to('cuda')).toThrow(/device type/);
    expect(x).toBeInstanceOf(torch.Tensor);
    expect(torch.is_tensor(x)).toBe(true);
  });
});

describe('ops: torch.<name>, Tensor methods, kwargs objects', () => {
  it('torch.sum(x, {dim: 1, keepdim: true}) and x.sum()', () => {
    const x = load(fx.x!);
    expectFx(torch.sum(x, { dim: 1, keepdim: true }), fx.sum_dim1_keepdim!);
    expectFx(x.sum(), fx.sum_all!);
    expectFx(x.relu(), fx.x_relu!);
    expectFx(torch.add(x, torch.mul(x, 2), { alpha: 3 }), fx.x_mul_add!);
  });

  it('F.conv2d(x, w, b, {stride: [2, 2], padding: 1}) via torch.nn.functional and torch.F', () => {
    const [x, w, b] = [load(fx.conv_in!), load(fx.conv_w!), load(fx.conv_b!)];
    expectFx(torch.nn.functional.conv2d(x, w, b, { stride: [2, 2], padding: 1 }), fx.conv_out!, 1e-4, 1e-5);
    expect(torch.F).toBe(torch.nn.functional);
  });
});

describe('torch.nn', () => {
  it('manual_seed(0); nn.Linear(4, 3) has PyTorch weights; forward and call agree', () => {
    torch.manual_seed(0);
    const lin = new torch.nn.Linear(4, 3);
    expectFx(lin.weight, fx.linear_weight!, 0, 0);
    expectFx(lin.bias!, fx.linear_bias!, 0, 0);
    const x = load(fx.x!);
    expectFx(lin.forward(x), fx.linear_out!);
    expectFx(lin.call(x), fx.linear_out!);
    torch.manualSeed(0);
    expect(new torch.nn.Linear(4, 3).weight.tolist()).toEqual(lin.weight.tolist());
  });

  it('a user-defined Module: registration by assignment, stateDict keys, eval, to', () => {
    class Net extends torch.nn.Module {
      conv = new torch.nn.Conv2d(2, 3, 3, { padding: 1 });
      bn = new torch.nn.BatchNorm2d(3);
      head = new torch.nn.Sequential(new torch.nn.Flatten(), new torch.nn.Linear(3 * 4 * 4, 2));
      forward(x: torch.Tensor): torch.Tensor {
        return this.head.call(torch.relu(this.bn.call(this.conv.call(x))));
      }
    }
    const net = new Net().eval();
    expect(Object.keys(net.stateDict())).toEqual([
      'conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'head.1.weight', 'head.1.bias',
    ]);
    expect(net.namedParameters().length).toBe(6);
    expect(net.training).toBe(false);
    expect(net.bn.training).toBe(false);
    net.to('float64');
    expect(net.conv.weight.dtype).toBe('float64');
    net.dispose();
  });
});

describe('memory and execution helpers', () => {
  it('tidy disposes intermediates and keeps the result; keep; memory()', () => {
    const before = torch.memory().storages;
    let kept!: torch.Tensor;
    const r = torch.tidy(() => {
      const a = torch.tensor([1, 2, 3], { dtype: 'float32' });
      kept = torch.keep(torch.mul(a, 2));
      return torch.add(a, 1);
    });
    expect(torch.memory().storages).toBe(before + 2);
    expect(r.tolist()).toEqual([2, 3, 4]);
    expect(kept.tolist()).toEqual([2, 4, 6]);
    r.dispose();
    kept.dispose();
    expect(torch.memory().storages).toBe(before);
  });

  it('no_grad / inference_mode run the function', () => {
    expect(torch.no_grad(() => 7)).toBe(7);
    expect(torch.inference_mode(() => 'x')).toBe('x');
  });

  it('torch.jit and torch.onnx are the TorchScript and ONNX packages', () => {
    expect(typeof torch.jit.load).toBe('function');
    expect(typeof torch.onnx.load).toBe('function');
  });
});
