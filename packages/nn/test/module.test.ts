/**
 * nn.Module mechanics: registration and walk order (against PyTorch's own key lists), state_dict
 * round trips, loadStateDict errors, modes, dtype/device moves, deep copies and memory.
 */
import { describe, expect, it } from 'vitest';
import { Storage, Tensor, manualSeed, memory, registerBackend, tensor, tidy, type DType } from '@torchlet/core';
import * as nn from '../src/index.js';
import { expectMatches, loadJson, type FixtureTensor } from './fixtures.js';

interface Structure {
  state_dict: string[];
  named_parameters: string[];
  named_buffers: string[];
  named_modules: string[];
  named_children: string[];
  init: Record<string, FixtureTensor>;
  repr: string;
}
const { structure } = loadJson<{ structure: Structure }>('modules.json');

/** The same module as `Net` in test-models/nn/make_fixtures.py. */
class Net extends nn.Module {
  declare conv: nn.Conv2d;
  declare scale: nn.Parameter;
  declare blocks: nn.Sequential;
  declare head: nn.ModuleDict;
  declare offset: nn.Parameter;
  declare shared: nn.Module;
  constructor() {
    super();
    this.conv = new nn.Conv2d(1, 2, 3);
    this.scale = nn.Parameter.adopt(tensor([1, 1], { dtype: 'float32' }));
    this.registerBuffer('steps', tensor([0], { dtype: 'float32' }));
    this.registerBuffer('cache', tensor([0], { dtype: 'float32' }), false);
    this.blocks = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new nn.Sequential(new nn.BatchNorm1d(2)));
    // a Map keeps 'z' before '1' (a plain object would list the integer-like key first)
    this.head = new nn.ModuleDict(new Map<string, nn.Module>([['z', new nn.Linear(2, 1)], ['1', new nn.Linear(2, 3)]]));
    this.offset = nn.Parameter.adopt(tensor([0], { dtype: 'float32' }));
    this.shared = this.blocks.get(0);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

function seededNet(seed = 3): Net {
  manualSeed(seed);
  return new Net();
}

describe('registration by assignment walks in PyTorch order', () => {
  it('state_dict, named_parameters, named_buffers, named_modules, named_children', () => {
    const net = seededNet();
    expect(Object.keys(net.stateDict())).toEqual(structure.state_dict);
    expect(net.namedParameters().map(([k]) => k)).toEqual(structure.named_parameters);
    expect(net.namedBuffers().map(([k]) => k)).toEqual(structure.named_buffers);
    expect(net.namedModules().map(([k]) => k)).toEqual(structure.named_modules);
    expect(net.namedChildren().map(([k]) => k)).toEqual(structure.named_children);
    expect(net.parameters().length).toBe(structure.named_parameters.length);
    expect(net.toString()).toBe(structure.repr);
    net.dispose();
  });

  it('initial values equal PyTorch for the same seed (conv, linears, batchnorm)', () => {
    const net = seededNet();
    const sd = net.stateDict();
    for (const [k, want] of Object.entries(structure.init)) expectMatches(sd[k]!, want, k, 0, 0);
    net.dispose();
  });

  it('reassigning a parameter keeps its place; null removes it from the walk', () => {
    const lin = new nn.Linear(3, 2);
    lin.weight = nn.Parameter.adopt(Tensor.empty([2, 3], 'float32'));
    expect(Object.keys(lin.stateDict())).toEqual(['weight', 'bias']);
    lin.bias = null;
    expect(Object.keys(lin.stateDict())).toEqual(['weight']);
    expect(() => lin.registerParameter('a.b', null)).toThrow(/can't contain "."/);
    expect(() => lin.registerParameter('w2', tensor([1]) as unknown as nn.Parameter)).toThrow(/torch.nn.Parameter or None required/);
    expect(() => lin.registerBuffer('in_features', tensor([1]))).toThrow(/already exists/);
    lin.dispose();
  });

  it('getSubmodule and Sequential/ModuleList/ModuleDict access', () => {
    const net = seededNet();
    expect(net.getSubmodule('blocks.2.0')).toBeInstanceOf(nn.BatchNorm1d);
    expect(net.blocks.get(-1)).toBeInstanceOf(nn.Sequential);
    expect(net.blocks.length).toBe(3);
    expect(net.head.keys()).toEqual(['z', '1']);
    expect(net.head.get('1')).toBeInstanceOf(nn.Linear);
    const list = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
    list.insert(1, new nn.Sigmoid());
    expect(list.namedChildren().map(([k, m]) => `${k}:${m.constructor.name}`)).toEqual(['0:ReLU', '1:Sigmoid', '2:Tanh']);
    expect(list.pop(0)).toBeInstanceOf(nn.ReLU);
    expect(list.namedChildren().map(([k]) => k)).toEqual(['0', '1']);
    const twice = new nn.ReLU();
    const seq = new nn.Sequential(twice, twice);
    expect(seq.length).toBe(2);
    expect(seq.children().length).toBe(1);
    net.dispose();
  });
});

describe('state_dict round trip and loadStateDict', () => {
  it('copies values into another instance (separate storage)', () => {
    manualSeed(0);
    const a = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
    manualSeed(1);
    const b = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
    const sa = a.stateDict();
    expect(b.stateDict()['0.weight']!.tolist()).not.toEqual(sa['0.weight']!.tolist());
    const r = b.loadStateDict(sa);
    expect(r).toEqual({ missing_keys: [], unexpected_keys: [] });
    const sb = b.stateDict();
    for (const k of Object.keys(sa)) {
      expect(sb[k]!.dtype).toBe(sa[k]!.dtype);
      expect(sb[k]!.tolist()).toEqual(sa[k]!.tolist());
      expect(sb[k]!.storage).not.toBe(sa[k]!.storage);
    }
    expect(sb['1.num_batches_tracked']!.dtype).toBe('int64');
    // a Map works too
    b.loadStateDict(new Map(Object.entries(sa)));
    a.dispose();
    b.dispose();
  });

  it('reports missing and unexpected keys like PyTorch', () => {
    const m = new nn.Sequential(new nn.Linear(4, 3));
    const sd = { ...m.stateDict() };
    const extra = tensor([1, 2], { dtype: 'float32' });
    delete sd['0.bias'];
    sd['0.foo'] = extra;
    sd['zzz'] = extra;
    expect(() => m.loadStateDict(sd)).toThrow(
      // PyTorch 1.13's message and order, verbatim (the root module reports its keys first)
      'Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.bias". \n\tUnexpected key(s) in state_dict: "zzz", "0.foo". ',
    );
    expect(m.loadStateDict(sd, false)).toEqual({ missing_keys: ['0.bias'], unexpected_keys: ['zzz', '0.foo'] });
    expect(m.loadStateDict(sd, { strict: false }).missing_keys).toEqual(['0.bias']);
    extra.dispose();
    m.dispose();
  });

  it('a shape mismatch names the key, even with strict=false', () => {
    const m = new nn.Linear(4, 3);
    const bad = { weight: Tensor.empty([3, 5], 'float32'), bias: Tensor.empty([3], 'float32') };
    const msg =
      'Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape torch.Size([3, 5]) from checkpoint, the shape in current model is torch.Size([3, 4]).';
    expect(() => m.loadStateDict(bad)).toThrow(msg);
    expect(() => m.loadStateDict(bad, false)).toThrow(msg);
    bad.weight.dispose();
    bad.bias.dispose();
    m.dispose();
  });

  it('BatchNorm accepts checkpoints without num_batches_tracked; non-persistent buffers are skipped', () => {
    const bn = new nn.BatchNorm1d(2);
    const sd = { ...bn.stateDict() };
    delete sd.num_batches_tracked;
    expect(bn.loadStateDict(sd)).toEqual({ missing_keys: [], unexpected_keys: [] });
    const net = seededNet();
    expect('cache' in net.stateDict()).toBe(false);
    expect(net.loadStateDict(net.stateDict()).missing_keys).toEqual([]);
    bn.dispose();
    net.dispose();
  });
});

describe('modes, dtypes, copies and memory', () => {
  it('train/eval reach every submodule; apply visits children first', () => {
    const net = seededNet();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    const order: string[] = [];
    new nn.Sequential(new nn.ReLU(), new nn.Sequential(new nn.Tanh())).apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['ReLU', 'Tanh', 'Sequential', 'Sequential']);
    net.dispose();
  });

  it("to('float64') converts floating parameters and buffers, not num_batches_tracked", () => {
    manualSeed(0);
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.BatchNorm1d(2));
    const before = Array.from(m.stateDict()['0.weight']!.dataSync() as Float32Array);
    m.to('float64');
    const sd = m.stateDict();
    expect(sd['0.weight']!.dtype).toBe('float64');
    expect(sd['0.weight']).toBeInstanceOf(nn.Parameter);
    expect(sd['1.running_var']!.dtype).toBe('float64');
    expect(sd['1.num_batches_tracked']!.dtype).toBe('int64');
    expect(Array.from(sd['0.weight']!.dataSync() as Float64Array)).toEqual(before);
    m.to({ dtype: 'float32' });
    expect(m.stateDict()['0.weight']!.dtype).toBe('float32');
    expect(() => m.to('int64')).toThrow(/floating point/);
    expect(() => m.to('tpu')).toThrow(/device type/);
    m.dispose();
  });

  it("to(device) moves every parameter and buffer (a stand-in 'wasm' backend that keeps host copies)", () => {
    registerBackend({
      device: 'wasm',
      allocate: (dtype: DType, n: number) => new Storage('wasm', dtype, n, undefined),
      read: async (t: Tensor) => t.storage.array!.slice(),
      upload: (t: Tensor) => new Tensor(new Storage('wasm', t.dtype, t.numel(), t.contiguousArray().slice()), [...t.shape], [...t.strides], 0),
    });
    manualSeed(0);
    const m = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
    const before = m.stateDict()['0.weight']!.tolist();
    m.to('wasm');
    const sd = m.stateDict();
    for (const [k, t] of Object.entries(sd)) expect(t.device, k).toBe('wasm');
    expect(sd['0.weight']).toBeInstanceOf(nn.Parameter);
    expect(sd['0.weight']!.tolist()).toEqual(before);
    expect(sd['1.num_batches_tracked']!.dtype).toBe('int64');
    manualSeed(0);
    const direct = new nn.Linear(2, 3, { device: 'wasm' });
    expect(direct.weight.device).toBe('wasm');
    expect(direct.weight.tolist()).toEqual(before);
    m.dispose();
    direct.dispose();
  });

  it('deepcopy makes independent parameters with equal values', () => {
    manualSeed(0);
    const a = new nn.Linear(3, 2);
    const b = nn.deepcopy(a);
    expect(b).toBeInstanceOf(nn.Linear);
    expect(b.weight).not.toBe(a.weight);
    expect(b.weight.tolist()).toEqual(a.weight.tolist());
    b.weight.hostArray[0] = 42;
    expect(a.weight.hostArray[0]).not.toBe(42);
    a.dispose();
    b.dispose();
  });

  it('parameters survive tidy; dispose() frees every storage', () => {
    const base = memory().storages;
    const m = tidy(() => new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.Flatten()));
    // conv weight, bias; batchnorm weight, bias, running_mean, running_var, num_batches_tracked
    expect(memory().storages).toBe(base + 7);
    expect(m.parameters().every((p) => !p.isDisposed)).toBe(true);
    m.dispose();
    expect(memory().storages).toBe(base);
  });

  it('constructor arguments bind like Python', () => {
    const c = new nn.Conv2d(3, 8, 3, 2, 1);
    expect([c.stride, c.padding]).toEqual([[2, 2], [1, 1]]);
    expect(() => new nn.Linear(2, 3, { bogus: 1 } as never)).toThrow("Linear.__init__() got an unexpected keyword argument 'bogus'");
    expect(() => new (nn.Linear as unknown as new (...a: unknown[]) => nn.Linear)(2)).toThrow("missing required argument: 'out_features'");
    expect(() => new nn.Conv2d(3, 8, 3, { groups: 2 })).toThrow('in_channels must be divisible by groups');
    expect(() => new nn.Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow('embed_dim must be divisible by num_heads');
    c.dispose();
  });
});
