import { afterEach, describe, expect, it, vi } from 'vitest';
import { Storage, Tensor, memory, registerBackend, tensor, type Backend, type DType, type StorageArray } from '@torchlet/core';
import {
  ClassType, FloatType, Graph, IntType, Interpreter, ListOf, ScriptError, ScriptObject, StrType, TensorType, TupleOf, TupleValue, parseGraph, prim,
} from '../src/index.js';

const run = async (text: string, inputs: unknown[], opts: ConstructorParameters<typeof Interpreter>[0] = {}): Promise<unknown[]> =>
  new Interpreter(opts).run(parseGraph(text), inputs);

describe('interpreter: values and prim nodes', () => {
  it('builds and takes apart lists, tuples and dicts', async () => {
    const [l, t, d, idx, sl, len] = await run(
      `graph(%a : int,
      %b : str):
  %l : int[] = prim::ListConstruct(%a, %a)
  %app : int[] = aten::append.t(%l, %a)
  %t : (int, str, int[]) = prim::TupleConstruct(%a, %b, %l)
  %x : int, %y : str, %z : int[] = prim::TupleUnpack(%t)
  %k : str = prim::Constant[value="k"]()
  %d : Dict(str, int[]) = prim::DictConstruct(%k, %z, %y, %l)
  %m1 : int = prim::Constant[value=-1]()
  %idx : int[] = prim::TupleIndex(%t, %m1)
  %sl : (str, int[]) = prim::TupleSlice[beg=1, end=3](%t)
  %p : int, %q : int, %r : int = prim::ListUnpack(%l)
  %len : int = aten::len.t(%l)
  return (%l, %t, %d, %idx, %sl, %len)
`,
      [4, 'v'],
    );
    expect(l).toEqual([4, 4, 4]);
    expect(t).toBeInstanceOf(TupleValue);
    expect([...(t as TupleValue)]).toEqual([4, 'v', [4, 4, 4]]);
    expect((t as TupleValue)[2]).toBe(l); // the same (mutable) list object, as in Python
    expect([...(d as Map<string, unknown>).keys()]).toEqual(['k', 'v']);
    expect(idx).toBe(l);
    expect(sl).toBeInstanceOf(TupleValue);
    expect([...(sl as TupleValue)]).toEqual(['v', [4, 4, 4]]);
    expect(len).toBe(3);
  });

  it('copies list constants per execution so that mutation cannot change the graph', async () => {
    const g = parseGraph(`graph():
  %c : int[] = prim::Constant[value=[1]]()
  %one : int = prim::Constant[value=1]()
  %r : int[] = aten::append.t(%c, %one)
  return (%c)
`);
    const it0 = new Interpreter();
    expect((await it0.run(g, []))[0]).toEqual([1, 1]);
    expect((await it0.run(g, []))[0]).toEqual([1, 1]);
  });

  it('hands out a fresh copy of a list constant that leaves the graph', async () => {
    // the constant is also read by an op (aten::len.t): only uses that may mutate or return it force a copy
    const g = parseGraph(`graph():
  %c : int[] = prim::Constant[value=[1, 2]]()
  %n : int = aten::len.t(%c)
  return (%c, %n)
`);
    const it0 = new Interpreter();
    const [first, n] = await it0.run(g, []);
    expect(n).toBe(2);
    (first as number[]).push(3);
    expect((await it0.run(g, []))[0]).toEqual([1, 2]);
  });

  it('continues synchronously after async calls inside loops and branches', async () => {
    // for i in range(n): acc = acc + (await slow(i) if i % 2 == 0 else i)
    const g = parseGraph(`graph(%n : int):
  %t : bool = prim::Constant[value=True]()
  %zero : int = prim::Constant[value=0]()
  %two : int = prim::Constant[value=2]()
  %acc : int = prim::Loop(%n, %t, %zero)
    block0(%i : int, %a : int):
      %m : int = aten::remainder.int(%i, %two)
      %even : bool = aten::eq.int(%m, %zero)
      %v : int = prim::If(%even)
        block0():
          %s : int = prim::CallFunction[name="slow"](%i)
          -> (%s)
        block1():
          -> (%i)
      %a2 : int = aten::add.int(%a, %v)
      -> (%t, %a2)
  return (%acc)
`);
    const calls: number[] = [];
    const slow = async (args: unknown[]): Promise<unknown> => {
      await new Promise((r) => setTimeout(r, 1));
      calls.push(args[0] as number);
      return (args[0] as number) * 10;
    };
    const interp = new Interpreter({ resolveFunction: () => slow });
    // 0*10 + 1 + 2*10 + 3 + 4*10 + 5 = 69
    expect(await interp.run(g, [6])).toEqual([69]);
    expect(calls).toEqual([0, 2, 4]);
  });

  it('runs loops with a trip count and a condition like prim::Loop', async () => {
    // sum of i for i in range(n) while the sum stays below limit
    const text = `graph(%n : int,
      %limit : int):
  %t : bool = prim::Constant[value=True]()
  %zero : int = prim::Constant[value=0]()
  %s : int, %last : int = prim::Loop(%n, %t, %zero, %zero)
    block0(%i : int, %acc : int, %prev : int):
      %acc.1 : int = aten::add.int(%acc, %i)
      %go : bool = aten::lt.int(%acc.1, %limit)
      -> (%go, %acc.1, %i)
  return (%s, %last)
`;
    expect(await run(text, [10, 1000])).toEqual([45, 9]);
    expect(await run(text, [10, 10])).toEqual([10, 4]);
    expect(await run(text, [0, 10])).toEqual([0, 0]);
  });

  it('evaluates isinstance, unchecked_cast, Uninitialized and Print', async () => {
    const lines: string[] = [];
    const out = await run(
      `graph(%x : Tensor?,
      %f : float,
      %l : float[]):
  %a : bool = prim::isinstance[types=["Tensor"]](%x)
  %b : bool = prim::isinstance[types=["int", "str"]](%f)
  %u : Tensor = prim::Uninitialized()
  %c : Tensor = prim::unchecked_cast(%x)
   = prim::Print(%f, %l, %a)
  return (%a, %b, %c)
`,
      [null, 2, [1, 0.5]],
      { print: (s) => lines.push(s) },
    );
    expect(out).toEqual([false, false, null]);
    expect(lines).toEqual(['2. [1., 0.5] False']);
  });

  it('calls functions and methods through the resolver, including native functions', async () => {
    const cls = new ClassType('__torch__.Box');
    cls.addAttribute('lo', FloatType);
    const clamp = parseGraph(`graph(%self : __torch__.Box,
      %x : float):
  %lo : float = prim::GetAttr[name="lo"](%self)
  %r : float = prim::max.float(%x, %lo)
  return (%r)
`, { resolveClass: () => cls });
    const main = parseGraph(`graph(%box : __torch__.Box,
      %x : float):
  %a : float = prim::CallMethod[name="clamp"](%box, %x)
  %b : float = prim::CallFunction[name="__torch__.twice"](%a)
  %c : str = prim::CallFunction[name="__torch__.native"](%b)
  return (%c)
`, { resolveClass: () => cls });
    const twice = new Graph('twice');
    const p = twice.addInput(FloatType, 'p');
    twice.registerOutput(twice.insert('aten::mul', [p, twice.insertConstant(2.0, FloatType)], [FloatType], { overload: 'aten::mul.float' }).output());
    const box = new ScriptObject(cls);
    box.setAttr('lo', 1.5);
    const interp = new Interpreter({
      resolveMethod: (o, name) => (o.type === cls && name === 'clamp' ? clamp : undefined),
      resolveFunction: (name) => (name === '__torch__.twice' ? twice : name === '__torch__.native' ? (args) => `got ${String(args[0])}` : undefined),
    });
    expect(await interp.run(main, [box, 0])).toEqual(['got 3']);
    expect(await interp.run(main, [box, 4])).toEqual(['got 8']);
  });

  it('promotes int tensors with float-typed scalars, including integral floats', async () => {
    const [a, b, c] = await run(
      `graph(%x : Tensor,
      %f : float,
      %i : int):
  %a : Tensor = aten::mul.Scalar(%x, %f)
  %b : Tensor = aten::mul.Scalar(%x, %i)
  %one : int = prim::Constant[value=1]()
  %c : Tensor = aten::add.Tensor(%x, %f, %one)
  return (%a, %b, %c)
`,
      [tensor([1, 2], { dtype: 'int64' }), 2, 2],
    );
    expect((a as Tensor).dtype).toBe('float32');
    expect((b as Tensor).dtype).toBe('int64');
    expect((c as Tensor).dtype).toBe('float32');
    expect(Array.from((c as Tensor).dataSync() as Float32Array)).toEqual([3, 4]);
  });
});

describe('interpreter: errors', () => {
  it('names the node, its source location and the call sites', async () => {
    const callee = parseGraph(`graph(%x : Tensor):
  %s : int[] = prim::Constant[value=[5, 7]]()
  %v : Tensor = aten::view(%x, %s) # code/__torch__/m.py:7:4
  return (%v)
`);
    callee.block.nodes()[1]!.source!.text = '    v = torch.view(x, [5, 7])';
    const main = parseGraph(`graph(%x : Tensor):
  %r : Tensor = prim::CallFunction[name="f"](%x) # code/__torch__.py:3:2
  return (%r)
`);
    const before = memory().storages;
    const x = tensor([1, 2, 3]);
    const err = (await new Interpreter({ resolveFunction: () => callee }).run(main, [x]).catch((e: unknown) => e)) as ScriptError;
    expect(err).toBeInstanceOf(ScriptError);
    expect(err.message).toMatch(/^aten::view.*shape '\[5, 7\]' is invalid for input of size 3|^aten::view/);
    expect(err.message).toContain('in node: %v : Tensor = aten::view(%x, %s)');
    expect(err.message).toContain('code/__torch__/m.py:7:4');
    expect(err.message).toContain('v = torch.view(x, [5, 7])');
    expect(err.message).toContain('called from: prim::CallFunction at code/__torch__.py:3:2');
    expect(err.trace.map((t) => t.source?.line)).toEqual([7, 3]);
    x.dispose();
    expect(memory().storages).toBe(before);
  });

  it('raises prim::RaiseException with the Python class', async () => {
    const g = parseGraph(`graph(%m : str):
  %cls : str = prim::Constant[value="builtins.ValueError"]()
   = prim::RaiseException(%m, %cls) # code/__torch__.py:9:8
  return ()
`);
    const err = (await new Interpreter().run(g, ['bad mode']).catch((e: unknown) => e)) as ScriptError;
    expect(err.reason).toBe('builtins.ValueError: bad mode');
    expect(err.pythonClass).toBe('builtins.ValueError');
    expect(err.message).toContain('code/__torch__.py:9:8');
  });
});

describe('interpreter: memory', () => {
  it('frees intermediates as soon as they are dead, not at the end of the run', async () => {
    // y = x; for i in range(n): y = relu(y * 2 + 1); sample live storages every iteration
    const g = parseGraph(`graph(%x : Tensor,
      %n : int):
  %t : bool = prim::Constant[value=True]()
  %two : int = prim::Constant[value=2]()
  %one : int = prim::Constant[value=1]()
  %y : Tensor = prim::Loop(%n, %t, %x)
    block0(%i : int, %y.1 : Tensor):
      %a : Tensor = aten::mul.Scalar(%y.1, %two)
      %b : Tensor = aten::add.Scalar(%a, %one, %one)
      %c : Tensor = aten::relu(%b)
      %probe : int = prim::CallFunction[name="probe"](%i)
      -> (%t, %c)
  return (%y)
`);
    const samples: number[] = [];
    const interp = new Interpreter({ resolveFunction: () => (args) => (samples.push(memory().storages), args[0]) });
    const x = tensor([[1, -1], [2, 3]], { dtype: 'float32' });
    const before = memory().storages;
    const [y] = await interp.run(g, [x, 40]);
    expect(samples).toHaveLength(40);
    // at most: x, the carried y, and this iteration's c (a and b are already freed)
    expect(Math.max(...samples) - before).toBeLessThanOrEqual(2);
    expect(memory().storages - before).toBe(1);
    (y as Tensor).dispose();
    expect(x.isDisposed).toBe(false);
  });

  it('keeps tensors stored in lists, objects and outputs; frees views and in-place aliases safely', async () => {
    const cls = new ClassType('__torch__.Cache');
    cls.addAttribute('last', TensorType);
    const g = parseGraph(`graph(%self : __torch__.Cache,
      %x : Tensor):
  %two : int = prim::Constant[value=2]()
  %a : Tensor = aten::mul.Scalar(%x, %two)
  %b : Tensor = aten::relu_(%a)
  %shape : int[] = prim::Constant[value=[-1]]()
  %v : Tensor = aten::view(%b, %shape)
   = prim::SetAttr[name="last"](%self, %v)
  %c : Tensor = aten::neg(%b)
  %l : Tensor[] = prim::ListConstruct(%c, %c)
  %d : Tensor = aten::add.Tensor(%c, %c, %two)
  return (%l)
`, { resolveClass: () => cls });
    const obj = new ScriptObject(cls);
    const x = tensor([[1, -2]], { dtype: 'float32' });
    const before = memory().storages;
    const [l] = await new Interpreter().run(g, [obj, x]);
    const last = obj.getAttr('last') as Tensor;
    expect(last.isDisposed).toBe(false);
    expect(Array.from(last.dataSync() as Float32Array)).toEqual([2, 0]);
    const list = l as Tensor[];
    expect(list[0]).toBe(list[1]);
    expect(Array.from(list[0]!.dataSync() as Float32Array)).toEqual([-2, -0]);
    // the stored view keeps a's storage; c is an output; d was freed
    expect(memory().storages - before).toBe(2);
    list[0]!.dispose();
    last.dispose();
    expect(memory().storages).toBe(before);
  });
});

describe('interpreter: devices and debugging', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('awaits a device read only where a host value is needed', async () => {
    // a fake device whose storages have no host array
    const data = new WeakMap<Storage, StorageArray>();
    let reads = 0;
    const fake: Backend = {
      device: 'wasm',
      allocate: (dtype: DType, size: number) => new Storage('wasm', dtype, size, undefined, { release() {} }),
      upload: (t: Tensor) => {
        const s = new Storage('wasm', t.dtype, t.numel(), undefined, { release() {} });
        data.set(s, t.contiguousArray().slice());
        return new Tensor(s, [...t.shape], [...t.strides], 0);
      },
      read: async (t: Tensor) => {
        reads++;
        await new Promise((r) => setTimeout(r, 1));
        return data.get(t.storage)!;
      },
    };
    registerBackend(fake);
    const dev = fake.upload(tensor([[7.9, 1], [2, 3]]));
    const [n, sz, dims] = await run(
      `graph(%x : Tensor):
  %zero : int = prim::Constant[value=0]()
  %s : Tensor = aten::select.int(%x, %zero, %zero)
  %s0 : Tensor = aten::select.int(%s, %zero, %zero)
  %n : int = aten::Int.Tensor(%s0)
  %sz : int[] = aten::size(%x)
  %d : int = aten::dim(%x)
  return (%n, %sz, %d)
`,
      [dev],
    );
    expect(n).toBe(7);
    expect(sz).toEqual([2, 2]);
    expect(dims).toBe(2);
    expect(reads).toBe(1); // only aten::Int needed the data
  });

  it('prints graphs before running them when TORCHLET_DEBUG=1', async () => {
    vi.stubEnv('TORCHLET_DEBUG', '1');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const g = new Graph('dbg');
    const i = g.addInput(IntType, 'i');
    g.registerOutput(g.insert('aten::neg', [i], [IntType], { overload: 'aten::neg.int' }).output());
    const interp = new Interpreter();
    expect(await interp.run(g, [3])).toEqual([-3]);
    await interp.run(g, [4]);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toContain('aten::neg.int(%i)');
  });

  it('resolves overloads from static types when a node has none', async () => {
    const g = new Graph();
    const a = g.addInput(StrType, 'a');
    const l = g.addInput(ListOf(IntType), 'l');
    const t = g.addInput(TupleOf([IntType, FloatType]), 't');
    const s = g.insert('aten::add', [a, a], [StrType]).output();
    const n = g.insert('aten::len', [l], [IntType]).output();
    const f = g.insert(prim.TupleIndex, [t, g.insertConstant(1)], [FloatType]).output();
    const m = g.insert('aten::mul', [n, f], [FloatType]).output();
    g.registerOutput(s);
    g.registerOutput(m);
    expect(await new Interpreter().run(g, ['ab', [1, 2, 3], [0, 1.5]])).toEqual(['abab', 4.5]);
  });
});

describe('interpreter: ownership of tensors read from containers', () => {
  it('frees results an op returns beyond the outputs the node names', async () => {
    // aten::max.dim returns (values, indices); the node names only the values
    const g = parseGraph(`graph(%x : Tensor):
  %d : int = prim::Constant[value=1]()
  %k : bool = prim::Constant[value=False]()
  %v : Tensor = aten::max.dim(%x, %d, %k)
  return (%v)
`);
    const x = tensor([[1, 5], [7, 2]], { dtype: 'float32' });
    const before = memory().storages;
    const [v] = await new Interpreter().run(g, [x]);
    expect(Array.from((v as Tensor).dataSync() as Float32Array)).toEqual([5, 7]);
    expect(memory().storages - before).toBe(1);
  });

  it('never frees a tensor that an op returned from a dict or list argument', async () => {
    const g = parseGraph(`graph(%d : Dict(str, Tensor),
      %l : Tensor[]):
  %k : str = prim::Constant[value="w"]()
  %w : Tensor = aten::__getitem__.Dict_str(%d, %k)
  %zero : int = prim::Constant[value=0]()
  %e : Tensor = aten::__getitem__.t(%l, %zero)
  %two : int = prim::Constant[value=2]()
  %r : Tensor = aten::mul.Scalar(%w, %two)
  %r2 : Tensor = aten::mul.Scalar(%e, %two)
  %s : Tensor = aten::add.Tensor(%r, %r2, %two)
  return (%s)
`);
    const w = tensor([1, 2], { dtype: 'float32' }), e = tensor([3, 4], { dtype: 'float32' });
    const before = memory().storages;
    const [s] = await new Interpreter().run(g, [new Map([['w', w]]), [e]]);
    expect(w.isDisposed || e.isDisposed).toBe(false);
    expect(Array.from((s as Tensor).dataSync() as Float32Array)).toEqual([14, 20]);
    expect(memory().storages - before).toBe(1);
  });
});
