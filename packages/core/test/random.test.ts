import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultGenerator, functions as torch, manualSeed, MT19937, tensor, tidy, type Tensor } from '../src/index.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

interface Case { name: string; seed: number | null; dtype: string; shape: number[]; values: number[] }
const cases = JSON.parse(readFileSync(`${ROOT}random/cases.json`, 'utf8')) as Case[];

const f32 = { dtype: 'float32' } as const;
const calls: Record<string, () => Tensor> = {
  default_seed: () => {
    // PyTorch's default_rng_seed_val, torchlet's initial state
    const g = new MT19937(67280421310721n);
    return torch.rand(5, { generator: g });
  },
  rand_5: () => torch.rand(5),
  rand_2x3: () => torch.rand(2, 3),
  rand_40: () => torch.rand(40),
  rand_1000: () => torch.rand(1000),
  rand_f64_7: () => torch.rand(7, { dtype: 'float64' }),
  rand_f16_7: () => torch.rand(7, { dtype: 'float16' }),
  rand_seed_big: () => torch.rand(4),
  rand_seed_0: () => torch.rand(4),
  rand_like: () => torch.rand_like(torch.zeros([2, 2], { dtype: 'float64' })),
  randn_3: () => torch.randn(3),
  randn_5_then_3: () => (torch.randn(5), torch.randn(3)),
  randn_16: () => torch.randn(16),
  randn_37: () => torch.randn(37),
  randn_300: () => torch.randn(300),
  randn_f64_20: () => torch.randn(20, { dtype: 'float64' }),
  randn_f64_5: () => torch.randn(5, { dtype: 'float64' }),
  randn_like: () => torch.randn_like(torch.zeros(4, 5)),
  rand_then_randn: () => (torch.rand(3), torch.randn(17)),
  randn_odd_then_even: () => (torch.randn(3), torch.randn(2, { dtype: 'float64' })),
  normal_strided: () => torch.zeros(20, 2).t().normal_().slice(0, 0, 2).contiguous(),
  normal_ff: () => torch.normal(2.0, 3.0, [20]),
  normal_ff_small: () => torch.normal(2.0, 3.0, [5]),
  normal_tensor_mean: () => torch.normal(torch.arange(20, f32), 0.5),
  normal_tensor_std: () => torch.normal(1.0, torch.arange(20, f32)),
  normal_tensor_both: () => torch.normal(torch.arange(4, f32), torch.full([4], 2, f32)),
  normal_: () => torch.empty(33).normal_(-1.0, 0.25),
  uniform_: () => torch.empty(10).uniform_(-2, 3),
  uniform_f64: () => torch.empty(10, { dtype: 'float64' }).uniform_(-2, 3),
  uniform_strided: () => torch.zeros(3, 4).t().uniform_().contiguous(),
  randint_10_20: () => torch.randint(10, [20]),
  randint_m5_7: () => torch.randint(-5, 7, [3, 4]),
  randint_big: () => torch.randint(0, 2 ** 40, [6]),
  randint_float: () => torch.randint(3, 9, [5], f32),
  randint_int32: () => torch.randint(100, [5], { dtype: 'int32' }),
  randint_like: () => torch.randint_like(torch.zeros(6), 2, 50),
  random_to: () => torch.zeros([6], { dtype: 'int64' }).random_(7),
  random_from_to: () => torch.zeros(6).random_(-3, 3),
  random_full_f32: () => torch.zeros(6).random_(),
  random_full_i32: () => torch.zeros([6], { dtype: 'int32' }).random_(),
  randperm_10: () => torch.randperm(10),
  randperm_1000: () => torch.randperm(1000),
  randperm_float: () => torch.randperm(7, f32),
  bernoulli_p: () => torch.bernoulli(torch.full([12], 0.3, f32)),
  bernoulli_p64: () => torch.bernoulli(torch.full([12], 0.7, { dtype: 'float64' })),
  bernoulli_float_p: () => torch.bernoulli(torch.zeros(12), 0.4),
  bernoulli_scalar: () => torch.zeros(12).bernoulli_(0.4),
  bernoulli_tensor_: () => torch.zeros(3, 4).bernoulli_(torch.linspace(0, 1, 4)),
  generator: () => torch.rand(6, { generator: new MT19937(99) }),
};

describe('random ops reproduce PyTorch 1.13 CPU values after manual_seed (test-models/random)', () => {
  it('has a call for every stored case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(calls).sort());
  });
  for (const c of cases) {
    it(c.name, () => {
      tidy(() => {
        if (c.seed !== null) manualSeed(c.seed);
        const r = calls[c.name]!();
        expect(r.dtype).toBe(c.dtype);
        expect(r.shape).toEqual(c.shape);
        const got = r.contiguousArray();
        // float32 Box-Muller: PyTorch's AVX2 (Sleef) log/sin/cos differ from Math's by an ulp
        const tol = c.name.startsWith('randn') || c.name.startsWith('normal') || c.name === 'rand_then_randn' ? 2e-6 : 0;
        for (let i = 0; i < c.values.length; i++) {
          const w = c.values[i]!;
          if (Math.abs(got[i]! - w) > tol * Math.max(1, Math.abs(w))) expect.fail(`${c.name}[${i}]: ${got[i]} != ${w}`);
        }
      });
    });
  }
});

describe('generator state', () => {
  it('reseeding resets the cached normal sample', () => {
    manualSeed(7);
    const a = torch.randn(1).item();
    manualSeed(7);
    torch.randn(1); // leaves a spare sin value in the generator
    manualSeed(7);
    expect(torch.randn(1).item()).toBe(a);
  });

  it('getState/setState replays draws', () => {
    manualSeed(3);
    torch.randn(3);
    const s = defaultGenerator.getState();
    const x = torch.randn(5).dataSync();
    defaultGenerator.setState(s);
    expect(torch.randn(5).dataSync()).toEqual(x);
  });

  it('rejects what PyTorch rejects', () => {
    expect(() => torch.rand(2, { dtype: 'int64' })).toThrow(`"check_uniform_bounds" not implemented for 'Long'`);
    expect(() => torch.randn(2, { dtype: 'int64' })).toThrow(`"normal_kernel_cpu" not implemented for 'Long'`);
    expect(() => torch.randint(5, 5, [2])).toThrow("random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
    expect(() => torch.randperm(-1)).toThrow('Trying to create tensor with negative dimension -1: [-1]');
    expect(() => torch.normal(0, -1, [2])).toThrow('normal expects std >= 0.0, but found std -1');
    expect(() => torch.rand(2).uniform_(1, 0)).toThrow('uniform_ expects to return a [from, to) range, but found from=1 > to=0');
    expect(() => torch.bernoulli(tensor([0.5, 2], f32))).toThrow('Expected p_in >= 0 && p_in <= 1 to be true');
  });
});
