import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@torchlet/core';
import {
  BoolType, ClassType, Graph, IntType, Interpreter, ListOf, StrType, TensorType, computeLiveness, eliminateCommonSubexpressions,
  eliminateDeadCode, foldConstants, parseGraph, printGraph, prim,
} from '../src/index.js';

const kinds = (g: Graph): string[] => g.allNodes().map((n) => n.overload ?? n.kind);

describe('dead code elimination', () => {
  it('removes dead pure nodes but keeps in-place ops, list mutation, SetAttr and raises', () => {
    const g = parseGraph(`graph(%self : __torch__.M,
      %x : Tensor,
      %c : bool):
  %1 : int = prim::Constant[value=1]()
  %dead : Tensor = aten::relu.default(%x)
  %dead2 : Tensor = aten::add.Tensor(%dead, %x, %1)
  %inplace : Tensor = aten::relu_.default(%x)
  %l : int[] = prim::ListConstruct()
  %app : int[] = aten::append.t(%l, %1)
   = prim::SetAttr[name="n"](%self, %1)
  %msg : str = prim::Constant[value="bad"]()
   = prim::If(%c)
    block0():
      %unused : Tensor = aten::neg.default(%x)
       = prim::RaiseException(%msg)
      -> ()
    block1():
      -> ()
  %y : Tensor = aten::neg.default(%x)
  return (%y)
`);
    const removed = eliminateDeadCode(g);
    expect(removed).toBe(3);
    expect(kinds(g)).toEqual([
      'prim::Constant', 'aten::relu_', 'prim::ListConstruct', 'aten::append.t', 'prim::SetAttr', 'prim::Constant', 'prim::If', 'prim::RaiseException', 'aten::neg',
    ]);
  });

  it('prunes unused If outputs and loop-carried values', () => {
    const g = parseGraph(`graph(%x : Tensor,
      %c : bool,
      %n : int):
  %a : Tensor, %b : Tensor = prim::If(%c)
    block0():
      %r : Tensor = aten::relu.default(%x)
      %s : Tensor = aten::neg.default(%x)
      -> (%r, %s)
    block1():
      -> (%x, %x)
  %t : bool = prim::Constant[value=True]()
  %p : Tensor, %q : Tensor = prim::Loop(%n, %t, %a, %b)
    block0(%i : int, %p.1 : Tensor, %q.1 : Tensor):
      %p.2 : Tensor = aten::relu.default(%p.1)
      %q.2 : Tensor = aten::neg.default(%q.1)
      -> (%t, %p.2, %q.2)
  return (%p)
`);
    eliminateDeadCode(g);
    const text = printGraph(g);
    expect(text).not.toContain('aten::neg');
    expect(text).toContain('%a : Tensor = prim::If(%c)');
    expect(text).toContain('%p : Tensor = prim::Loop(%n, %t, %a)');
    expect(text).toContain('block0(%i : int, %p.1 : Tensor)');
  });

  it('keeps graphs with effects intact and runs the same after DCE', async () => {
    const g = parseGraph(`graph(%x : Tensor):
  %1 : int = prim::Constant[value=2]()
  %2 : Tensor = aten::mul.Scalar(%x, %1)
  %3 : Tensor = aten::add_.Scalar(%2, %1, %1)
  %4 : Tensor = aten::relu.default(%x)
  return (%2)
`);
    eliminateDeadCode(g);
    expect(kinds(g)).toEqual(['prim::Constant', 'aten::mul.Scalar', 'aten::add_.Scalar']);
    const [out] = await new Interpreter().run(g, [tensor([1, -2], { dtype: 'float32' })]);
    expect(Array.from((out as Tensor).dataSync() as Float32Array)).toEqual([6, 0]); // x*2, then += 2*2 in place
  });
});

describe('constant folding', () => {
  it('folds scalar arithmetic, tensor ops and constant conditions', async () => {
    const g = parseGraph(`graph(%x : Tensor):
  %1 : int = prim::Constant[value=2]()
  %2 : int = prim::Constant[value=3]()
  %3 : int = aten::mul(%1, %2)
  %4 : int = aten::add(%3, %1)
  %5 : bool = aten::gt(%4, %2)
  %w : Tensor = prim::Constant[value=tensor(float32, [2], [1.5, -1.])]()
  %6 : Tensor = aten::relu(%w)
  %7 : Tensor = prim::If(%5)
    block0():
      %8 : Tensor = aten::mul(%x, %4)
      -> (%8)
    block1():
      -> (%x)
  %9 : Tensor = aten::add(%7, %6, %1)
  %10 : bool = aten::is_grad_enabled()
  %11 : (int, Tensor) = prim::TupleConstruct(%4, %6)
  %12 : int = prim::TupleIndex(%11, %1)
  return (%9, %10)
`);
    const folded = foldConstants(g);
    eliminateDeadCode(g);
    expect(folded).toBeGreaterThanOrEqual(5);
    const text = printGraph(g);
    expect(text).not.toContain('prim::If');
    expect(text).toContain('prim::Constant[value=8]()');
    expect(text).toContain('tensor(float32, [2], [1.5, 0.])');
    expect(text).toContain('aten::is_grad_enabled'); // runtime state: never folded
    const [out] = await new Interpreter().run(g, [tensor([1, 2], { dtype: 'float32' })]);
    expect(Array.from((out as Tensor).dataSync() as Float32Array)).toEqual([8 + 1.5 * 2, 16]);
  });

  it('leaves nondeterministic, effectful and failing nodes alone', () => {
    const g = parseGraph(`graph():
  %1 : int[] = prim::Constant[value=[2]]()
  %none : NoneType = prim::Constant()
  %2 : Tensor = aten::rand(%1, %none, %none, %none, %none)
  %3 : int = prim::Constant[value=1]()
  %4 : int = prim::Constant[value=0]()
  %5 : int = aten::floordiv(%3, %4)
  %l : int[] = prim::ListConstruct(%3)
  %6 : int[] = aten::append(%l, %3)
  return (%2, %5, %6)
`);
    expect(foldConstants(g)).toBe(0);
    expect(kinds(g)).toContain('aten::rand');
    expect(kinds(g)).toContain('aten::floordiv');
  });
});

describe('common subexpression elimination', () => {
  it('merges equal pure nodes and pools constants, respecting mutation and scopes', () => {
    const g = parseGraph(`graph(%x : Tensor,
      %c : bool):
  %1 : int = prim::Constant[value=1]()
  %1b : int = prim::Constant[value=1]()
  %f : float = prim::Constant[value=1.]()
  %a : Tensor = aten::relu.default(%x)
  %b : Tensor = aten::relu.default(%x)
  %s : Tensor = aten::add.Tensor(%a, %b, %1b)
  %l1 : int[] = prim::ListConstruct(%1)
  %l2 : int[] = prim::ListConstruct(%1)
  %y : Tensor = prim::If(%c)
    block0():
      %inner : Tensor = aten::relu.default(%x)
      -> (%inner)
    block1():
      %other : Tensor = aten::neg.default(%x)
      -> (%other)
  %z : Tensor = aten::neg.default(%x)
  %m : Tensor = aten::mul_.Scalar(%x, %f)
  %after : Tensor = aten::relu.default(%x)
  return (%s, %l1, %l2, %y, %z, %after)
`);
    const removed = eliminateCommonSubexpressions(g);
    const text = printGraph(g);
    // %1b pooled into %1, %b into %a, %inner into %a; lists stay distinct; %z is not dominated by
    // the If's block1 neg; relu after the in-place mul_ is recomputed
    expect(removed).toBe(3);
    expect(text).toContain('aten::add.Tensor(%a, %a, %1)');
    expect(text.match(/prim::ListConstruct/g)).toHaveLength(2);
    expect(text).toContain('-> (%a)');
    expect(text.match(/aten::neg/g)).toHaveLength(2);
    expect(text.match(/aten::relu\.default/g)).toHaveLength(2);
    expect(text).toContain('prim::Constant[value=1.]()');
  });
});

describe('liveness', () => {
  it('lifts uses in sub-blocks to the enclosing node and ends returned values at the block end', () => {
    const g = parseGraph(`graph(%x : Tensor,
      %n : int):
  %t : bool = prim::Constant[value=True]()
  %a : Tensor = aten::relu.default(%x)
  %b : Tensor = aten::neg.default(%x)
  %y : Tensor = prim::Loop(%n, %t, %b)
    block0(%i : int, %acc : Tensor):
      %u : Tensor = aten::mul.Tensor(%acc, %a)
      %unused : Tensor = aten::relu.default(%u)
      -> (%t, %u)
  %z : Tensor = aten::neg.default(%y)
  return (%z)
`);
    const live = computeLiveness(g);
    const byName = new Map(g.allNodes().flatMap((n) => n.outputs.map((o) => [o.debugName, o] as const)));
    const loop = byName.get('y')!.node;
    expect(live.lastUse(g.inputs[0]!)).toBe(byName.get('b')!.node);
    expect(live.lastUse(byName.get('a')!)).toBe(loop); // used inside the loop body
    expect(live.lastUse(byName.get('b')!)).toBe(loop);
    expect(live.lastUse(byName.get('u')!)).toBe('end');
    expect(live.lastUse(byName.get('unused')!)).toBe('unused');
    expect(live.lastUse(byName.get('z')!)).toBe('end');
    expect(live.lastUse(byName.get('t')!)).toBe(loop);
  });
});

describe('effects classification', () => {
  it('treats calls, unknown ops and writes as effects', async () => {
    const { hasSideEffects, isPure } = await import('../src/index.js');
    const g = new Graph();
    const self = g.addInput(new ClassType('__torch__.M'), 'self');
    const x = g.addInput(TensorType, 'x');
    const call = g.insert(prim.CallMethod, [self, x], [TensorType], { attrs: { name: 'forward' } });
    const unknown = g.insert('mylib::thing', [x], [TensorType]);
    const relu = g.insert('aten::relu', [x], [TensorType]);
    const reluInplace = g.insert('aten::relu_', [x], [TensorType]);
    const size = g.insert('aten::size', [x], [ListOf(IntType)]);
    const isGrad = g.insert('aten::is_grad_enabled', [], [BoolType]);
    const s = g.insert('aten::str', [x], [StrType]);
    expect([call, unknown, relu, reluInplace, size, isGrad, s].map(hasSideEffects)).toEqual([true, true, false, true, false, true, false]);
    expect([relu, size, s].map(isPure)).toEqual([true, false, true]);
  });
});
