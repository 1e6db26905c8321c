import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@torchlet/core';
import {
  AnyType, BoolType, ClassType, DeviceType, DictOf, FloatType, Graph, IntType, ListOf, NamedTupleOf, NoneType, OptionalOf, StrType,
  TensorType, TupleOf, UnionOf, diffGraphs, parseGraph, parseType, printGraph, prim, tuple, typeToString, type IRType, type Value,
} from '../src/index.js';

/** print -> parse -> print is stable and the parsed graph is structurally equal */
function roundTrip(g: Graph, opts: { constants?: Tensor[] } = {}): Graph {
  const table = opts.constants;
  const text = printGraph(g, table ? { constantTable: table } : {});
  const g2 = parseGraph(text, table ? { constants: table } : {});
  expect(printGraph(g2, table ? { constantTable: [...table] } : {})).toBe(text);
  expect(diffGraphs(g, g2)).toBeUndefined();
  return g2;
}

describe('graph data structures', () => {
  it('keeps use lists in sync through mutators (Given/Execute/Result of graph.ts)', () => {
    const g = new Graph();
    const x = g.addInput(TensorType, 'x');
    const a = g.insert('aten::relu', [x], [TensorType]).output();
    const b = g.insert('aten::neg', [a], [TensorType]).output();
    const c = g.insert('aten::mul', [a, a], [TensorType]).output();
    g.registerOutput(c);
    expect(a.uses.map((u) => [u.user.kind, u.offset])).toEqual([['aten::neg', 0], ['aten::mul', 0], ['aten::mul', 1]]);
    a.replaceAllUsesWith(x);
    expect(a.hasUses()).toBe(false);
    expect(x.uses).toHaveLength(4);
    expect(c.node.inputs).toEqual([x, x]);
    // destroy refuses while outputs are used
    expect(() => b.node.destroy()).not.toThrow();
    expect(() => c.node.destroy()).toThrow(/still used/);
    c.node.removeInput(0);
    expect(c.node.inputs).toEqual([x]);
    expect(x.uses.find((u) => u.user === c.node)!.offset).toBe(0);
    a.node.destroy();
    expect(g.block.nodes().map((n) => n.kind)).toEqual(['aten::mul']);
    // insertBefore / moveAfter
    const d = g.create('aten::abs', [x], [TensorType]);
    d.insertBefore(c.node);
    expect(g.block.nodes().map((n) => n.kind)).toEqual(['aten::abs', 'aten::mul']);
    d.moveAfter(c.node);
    expect(g.block.nodes().map((n) => n.kind)).toEqual(['aten::mul', 'aten::abs']);
    expect(c.node.isBefore(d)).toBe(true);
  });

  it('copies graphs and inlines one graph into another', () => {
    const callee = new Graph('callee');
    const p = callee.addInput(TensorType, 'p');
    const two = callee.insertConstant(2);
    callee.registerOutput(callee.insert('aten::mul', [p, two], [TensorType], { overload: 'aten::mul.Scalar' }).output());
    const g = new Graph();
    const x = g.addInput(TensorType, 'x');
    const [r] = g.insertGraph(callee, [x]);
    g.registerOutput(r!);
    expect(printGraph(g)).toContain('aten::mul.Scalar(%x, %1)');
    const c = g.copy();
    expect(diffGraphs(g, c)).toBeUndefined();
    expect(c.inputs[0]).not.toBe(x);
  });

  it('types print and parse in graph-text form', () => {
    const cls = new ClassType('__torch__.foo.___torch_mangle_3.Bar');
    const types: IRType[] = [
      TensorType, IntType, ListOf(OptionalOf(TensorType)), OptionalOf(ListOf(IntType)), TupleOf([IntType, TupleOf([])]), DictOf(StrType, ListOf(TensorType)),
      UnionOf([IntType, StrType]), NamedTupleOf('__torch__.Stats', ['mean', 'count'], [TensorType, IntType]), cls, ListOf(TupleOf([StrType, FloatType])),
      { kind: 'number' }, DeviceType, NoneType, AnyType,
    ];
    for (const t of types) {
      const s = typeToString(t);
      const back = parseType(s, (n) => (n === cls.name ? cls : undefined));
      expect(typeToString(back)).toBe(s);
    }
    expect(typeToString(ListOf(OptionalOf(TensorType)))).toBe('Tensor?[]');
    expect(typeToString(DictOf(StrType, TensorType))).toBe('Dict(str, Tensor)');
  });
});

describe('printer and parser', () => {
  it('round-trips constants of every kind, blocks, attributes, overloads and sources', () => {
    const g = new Graph();
    const self = g.addInput(new ClassType('__torch__.M'), 'self');
    const x = g.addInput(TensorType, 'x.1');
    const c = g.addInput(BoolType, 'c');
    const consts: [unknown, IRType][] = [
      [1, IntType], [-3, IntType], [9223372036854775807, IntType], [2, FloatType], [0.1, FloatType], [-0, FloatType], [NaN, FloatType],
      [Infinity, FloatType], [-Infinity, FloatType], [1e-300, FloatType], [true, BoolType], [false, BoolType], [null, NoneType],
      ['plain', StrType], ['q"uo\\te\n\t\x01\x7f é', StrType], ['cpu', DeviceType], [[1, 2], ListOf(IntType)], [[0.5, 1], ListOf(FloatType)],
      [[], ListOf(TensorType)], [tuple([1, 'a', 2.5]), TupleOf([IntType, StrType, FloatType])], [tuple([7]), TupleOf([IntType])],
      [new Map([['k', 1.5]]), DictOf(StrType, FloatType)], [tensor([[1.5, -2], [0.25, 3]]), TensorType], [tensor([1, 2, 3], { dtype: 'int64' }), TensorType],
      [tensor(true), TensorType], [tensor([0.1], { dtype: 'float16' }), TensorType],
    ];
    for (const [v, t] of consts) g.insertConstant(v, t);
    const get = g.insert(prim.GetAttr, [self], [TensorType], { attrs: { name: 'weight' } }).output().setDebugName('weight');
    const add = g.insert('aten::add', [x, get, g.insertConstant(1)], [TensorType], { overload: 'aten::add.Tensor', source: { file: 'code/__torch__/a b.py', line: 12, col: 4 } });
    const relu = g.insert('aten::relu', [add.output()], [TensorType], { overload: 'aten::relu' });
    const iff = g.insert(prim.If, [c], [TensorType, IntType], { source: { file: 'f.py', line: 3 } });
    const b0 = iff.addBlock(), b1 = iff.addBlock();
    g.withInsertPoint(b0, () => {
      b0.registerReturn(g.insert('aten::neg', [relu.output()], [TensorType]).output());
      b0.registerReturn(g.insertConstant(0));
    });
    b1.registerReturn(x);
    b1.registerReturn(g.withInsertPoint(b1, () => g.insertConstant(1)));
    const loop = g.insert(prim.Loop, [g.insertConstant(3), c, iff.output(0)], [TensorType]);
    const body = loop.addBlock();
    body.addParam(IntType, 'i');
    const y = body.addParam(TensorType, 'y');
    g.withInsertPoint(body, () => {
      const z = g.insert('aten::mul', [y, y], [TensorType]).output().setDebugName('y');
      body.registerReturn(c);
      body.registerReturn(z);
    });
    g.insert(prim.SetAttr, [self, loop.output()], [], { attrs: { name: 'weight' } });
    g.insert(prim.TupleUnpack, [g.insertConstant(tuple([1, 2]), TupleOf([IntType, IntType]))], [IntType, IntType]);
    g.registerOutput(loop.output());
    g.registerOutput(iff.output(1));
    const text = printGraph(g);
    expect(text).toContain('%x.1 : Tensor');
    expect(text).toContain('prim::Constant[value=9223372036854775807]()');
    expect(text).toContain('aten::add.Tensor(%x.1, %weight');
    expect(text).toContain('aten::relu.default(');
    expect(text).toContain('# code/__torch__/a b.py:12:4');
    expect(text).toContain('prim::Constant[value="q\\"uo\\\\te\\n\\t\\001\\177 é"]()');
    expect(text).toContain('prim::Constant[value=-0.]()');
    expect(text).toContain('= prim::SetAttr[name="weight"]');
    expect(text).toMatch(/block0\(%i : int, %y : Tensor\):\n\s+%y\.1 : Tensor = aten::mul/);
    roundTrip(g);
    // tensors through a constant table
    const table: Tensor[] = [];
    const t2 = printGraph(g, { constantTable: table });
    expect(t2).toContain('CONSTANTS.c0');
    expect(table.length).toBe(4);
    roundTrip(g, { constants: table });
  });

  it('reports parse errors with line and column', () => {
    expect(() => parseGraph('graph(%x : Tensor):\n  %1 : Tensor = aten::relu(%y)\n  return (%1)\n')).toThrow(/line 2, column \d+: value %y is used before it is defined/);
    expect(() => parseGraph('graph(%x : Tensor):\n  return (%x\n')).toThrow(/expected/);
  });

  it('property: random graphs survive print -> parse -> print', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        roundTrip(randomGraph(seed));
      }),
      { numRuns: 150 },
    );
  });
});

/** A random graph: typed inputs, constants, ops, nested If/Loop blocks, duplicate and odd debug names. */
function randomGraph(seed: number): Graph {
  let s = seed;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const names = ['x', 'x', 'x.1', 'y', 'self', 'input.3', 'a/b:c', '_0', undefined, undefined, undefined];
  const types: IRType[] = [TensorType, IntType, FloatType, BoolType, StrType, ListOf(IntType), OptionalOf(TensorType), TupleOf([TensorType, IntType]), DictOf(StrType, TensorType)];
  const g = new Graph();
  const scope: Value[][] = [[]];
  const visible = (): Value[] => scope.flat();
  for (let i = 0, n = Math.floor(rnd() * 4); i < n; i++) scope[0]!.push(g.addInput(pick(types), pick(names)));
  const randomConst = (): Value => {
    const k = Math.floor(rnd() * 8);
    switch (k) {
      case 0: return g.insertConstant(Math.floor(rnd() * 2000) - 1000, IntType);
      case 1: return g.insertConstant(pick([0.5, -0, 1e-7, 3, NaN, -Infinity, rnd() * 100 - 50]), FloatType);
      case 2: return g.insertConstant(rnd() < 0.5, BoolType);
      case 3: return g.insertConstant(pick(['', 'a"b', 'tab\there', 'new\nline', '\\', 'ünï', '\x00\x1f']), StrType);
      case 4: return g.insertConstant(null);
      case 5: return g.insertConstant([1, 2, 3].slice(0, Math.floor(rnd() * 4)), ListOf(IntType));
      case 6: return g.insertConstant(tensor([rnd(), -rnd()]), TensorType);
      default: return g.insertConstant(tuple([Math.floor(rnd() * 10), 'z']), TupleOf([IntType, StrType]));
    }
  };
  const build = (depth: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      const r = rnd();
      const vis = visible();
      let out: Value[] = [];
      if (r < 0.3 || vis.length === 0) out = [randomConst()];
      else if (r < 0.75) {
        const ins = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(vis));
        const kind = pick(['aten::add', 'aten::mul', 'aten::relu', 'prim::TupleConstruct', 'aten::foo', 'prim::ListConstruct']);
        const outTypes = Array.from({ length: Math.floor(rnd() * 3) }, () => pick(types));
        const n = g.insert(kind, ins, outTypes, rnd() < 0.4 ? { source: { file: pick(['code/__torch__.py', 'x y.py']), line: 1 + Math.floor(rnd() * 99), ...(rnd() < 0.5 ? { col: Math.floor(rnd() * 9) } : {}) } } : {});
        if (kind === 'aten::add' && rnd() < 0.5) n.overload = pick(['aten::add.Tensor', 'aten::add']);
        if (rnd() < 0.3) n.setAttr('name', pick(['fc', 'weird "name"']));
        if (rnd() < 0.2) n.setAttr('alpha', pick([1, 2.5, [1, 2], true]));
        out = [...n.outputs];
        for (const o of out) o.setDebugName(pick(names));
      } else if (depth < 2) {
        const nOut = Math.floor(rnd() * 3);
        const outTypes = Array.from({ length: nOut }, () => pick(types));
        const isLoop = rnd() < 0.5;
        const carried = isLoop ? Array.from({ length: nOut }, () => pick(vis)) : [];
        const n = g.insert(isLoop ? prim.Loop : prim.If, isLoop ? [pick(vis), pick(vis), ...carried] : [pick(vis)], isLoop ? carried.map((v) => v.type) : outTypes);
        for (let b = 0; b < (isLoop ? 1 : 2); b++) {
          const blk = n.addBlock();
          const params = isLoop ? [blk.addParam(IntType, pick(names)), ...carried.map((v) => blk.addParam(v.type, pick(names)))] : [];
          scope.push(params);
          g.withInsertPoint(blk, () => build(depth + 1, Math.floor(rnd() * 4)));
          const inner = visible();
          const nRet = isLoop ? 1 + carried.length : nOut;
          for (let k = 0; k < nRet; k++) blk.registerReturn(pick(inner.length ? inner : [randomConstIn(blk)]));
          scope.pop();
        }
        out = [...n.outputs];
      }
      scope[scope.length - 1]!.push(...out);
    }
  };
  const randomConstIn = (blk: import('../src/index.js').Block): Value => g.withInsertPoint(blk, () => randomConst());
  build(0, 1 + Math.floor(rnd() * 12));
  const vis = visible();
  for (let i = 0, n = Math.floor(rnd() * 3); i < n && vis.length; i++) g.registerOutput(pick(vis));
  return g;
}
