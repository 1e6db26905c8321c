import { Tensor, callOp, functions as T, manualSeed, tensor } from '@torchlet/core';
import { ScriptObject, diffGraphs, optimizeForInference, printGraph, type InferenceReport } from '@torchlet/ir';
import * as nn from '@torchlet/nn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ScriptFunction, TracedModule, TracerWarning, TracingError, compile, freezeTraced, optimizeTraced, trace, type TraceOptions,
} from '../src/index.js';
import { MLP, expectClose, flatTensors, modelCase } from './trace.fixtures.js';

/** Traces collecting warnings instead of printing them. */
async function traceQuiet<R extends ScriptFunction | TracedModule>(target: unknown, inputs: unknown[], opts: TraceOptions = {}): Promise<{ t: R; warnings: TracerWarning[] }> {
  const warnings: TracerWarning[] = [];
  const t = (await trace(target, inputs, { ...opts, onWarning: (w) => warnings.push(w) })) as R;
  return { t, warnings };
}

function kinds(t: ScriptFunction | TracedModule): string[] {
  return t.ir.allNodes().map((n) => n.overload ?? n.kind);
}

describe('torch.jit.trace: functions', () => {
  it('records the ops a function dispatches and replays them on new inputs', async () => {
    manualSeed(0);
    const f = (a: Tensor, b: Tensor): Tensor => a.mul(b).add(a.sin(), { alpha: 0.5 }).relu().sum(1);
    const { t, warnings } = await traceQuiet<ScriptFunction>(f, [T.randn([3, 4]), T.randn([3, 4])]);
    expect(warnings).toEqual([]);
    expect(t).toBeInstanceOf(ScriptFunction);
    expect(kinds(t).filter((k) => !k.startsWith('prim::'))).toEqual(['aten::mul.Tensor', 'aten::sin', 'aten::add.Tensor', 'aten::relu', 'aten::sum.dim_IntList']);
    expect(t.graph).toContain('graph(%a : Tensor,\n      %b : Tensor)');
    expect(t.graph).toMatch(/aten::add\.Tensor\(%\d+, %\d+, %\d+\) # packages\/jit\/test\/trace\.test\.ts:\d+:\d+/);
    expect(t.code).toContain('def forward(a: Tensor,\n    b: Tensor) -> Tensor:');
    expect(t.code).toContain('torch.add(');
    for (let i = 0; i < 3; i++) {
      const a2 = T.randn([3, 4]), b2 = T.randn([3, 4]);
      expectClose((await t.forward(a2, b2)) as Tensor, f(a2, b2), 1e-6);
    }
  });

  it('prints TorchScript code that torch.jit.compile compiles back to the same computation', async () => {
    const f = (a: Tensor, b: Tensor): unknown => [a.mul(b).add(a.sin(), { alpha: 0.5 }).relu().sum(1).softmax(0), a.transpose(0, 1).matmul(b).amax([0])];
    const t = await trace(f, [T.randn([3, 4]), T.randn([3, 4])]);
    const unit = compile(t.code);
    const a = T.randn([3, 4]), b = T.randn([3, 4]);
    const got = flatTensors(await unit.call('forward', a, b)), want = flatTensors(f(a, b));
    expect(got).toHaveLength(2);
    got.forEach((g, i) => expectClose(g, want[i]!, 1e-6, `output ${i}`));
  });

  it('keeps tuple, list and dict outputs (plain objects and Maps) and nested inputs', async () => {
    manualSeed(1);
    const f = (pair: [Tensor, Tensor], d: { w: Tensor }): unknown => {
      const s = pair[0].add(pair[1]).mul(d.w);
      return [s.exp(), { mean: s.mean(), max: s.amax() }, new Map([['neg', s.neg()]]), [s, s.abs()]];
    };
    const args = (): [[Tensor, Tensor], { w: Tensor }] => [[T.randn([2, 3]), T.randn([2, 3])], { w: T.randn([3]) }];
    const t = await trace(f, args());
    expect(t.ir.inputs.map((v) => v.type.kind)).toEqual(['Tuple', 'Dict']);
    const x = args();
    const got = (await t.forward(...x)) as [Tensor, { mean: Tensor; max: Tensor }, Map<string, Tensor>, Tensor[]];
    const want = f(...x) as typeof got;
    expect(Array.isArray(got)).toBe(true);
    expect(Object.getPrototypeOf(got[1])).toBe(Object.prototype);
    expect(Object.keys(got[1])).toEqual(['mean', 'max']);
    expect(got[2]).toBeInstanceOf(Map);
    expect(got[3]).toHaveLength(2);
    const gs = flatTensors(got), ws = flatTensors(want);
    expect(gs).toHaveLength(ws.length);
    gs.forEach((g, i) => expectClose(g, ws[i]!, 1e-6, `output ${i}`));
  });

  it('gives each position its own input when the same tensor is passed twice', async () => {
    const x = T.randn([4]);
    const t = await trace((a: Tensor, b: Tensor) => a.sub(b.mul(2)), [x, x]);
    const a = T.randn([4]), b = T.randn([4]);
    expectClose((await t.forward(a, b)) as Tensor, a.sub(b.mul(2)), 1e-6);
  });

  it('replays in-place ops on views so that they write through to the base', async () => {
    manualSeed(2);
    const f = (x: Tensor): Tensor => {
      const y = x.clone();
      const v = y.narrow(1, 1, 2);
      v.mul_(10);
      v.add_(1);
      y.t().select(0, 0).fill_(-1);
      return y.sum(1).add(y.amax(0).sum());
    };
    const t = await trace(f, [T.randn([3, 4])]);
    expect(kinds(t)).toEqual(expect.arrayContaining(['aten::narrow', 'aten::mul_.Scalar', 'aten::add_.Scalar', 'aten::t', 'aten::select.int']));
    expect(kinds(t).some((k) => k.includes('fill_'))).toBe(true);
    for (let i = 0; i < 2; i++) {
      const x = T.randn([3, 4]);
      expectClose((await t.forward(x)) as Tensor, f(x), 1e-6);
    }
  });

  it('replays in-place ops on inputs (the caller sees the write, as in eager mode)', async () => {
    const f = (x: Tensor): Tensor => x.relu_().mul(2);
    const t = await trace(f, [T.randn([5])]);
    const x1 = T.randn([5]);
    const x2 = x1.clone();
    const out = (await t.forward(x1)) as Tensor;
    expectClose(out, f(x2), 0);
    expectClose(x1, x2, 0, 'the input was written in place');
  });

  it('copies constants created during tracing per run when the trace writes into them', async () => {
    const warnings: TracerWarning[] = [];
    const f = (x: Tensor): Tensor => {
      const c = tensor([1, 2, 3], { dtype: 'float32' });
      c.mul_(2);
      return x.add(c);
    };
    const t = await trace(f, [T.zeros([3])], { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.kind)).toEqual(['constant']);
    expect(warnings[0]!.message).toContain('registered as a constant in the trace');
    for (let i = 0; i < 3; i++) expect(((await t.forward(T.zeros([3]))) as Tensor).tolist()).toEqual([2, 4, 6]);
  });

  it('makes captured tensors constants that keep the value they were traced with', async () => {
    const w = T.randn([3]);
    const t = await trace((x: Tensor) => x.mul(w), [T.randn([3])]);
    expect(t.graph).toContain('prim::Constant[value=tensor(float32, [3]');
    const x = T.randn([3]);
    expectClose((await t.forward(x)) as Tensor, x.mul(w), 0);
  });

  it('rejects inputs that cannot be traced and nested traces', async () => {
    await expect(trace((x: Tensor, n: number) => x.mul(n), [T.randn([2]), 3])).rejects.toThrow(/type 'int 3' cannot be traced/);
    await expect(trace((x: Tensor) => x, [{ a: 1 }])).rejects.toThrow(/dictionary inputs must hold tensors/);
    await expect(
      trace(async (x: Tensor) => {
        await trace((y: Tensor) => y.neg(), [x]);
        return x;
      }, [T.randn([2])]),
    ).rejects.toThrow(TracingError);
  });
});

describe('torch.jit.trace: honest tracing', () => {
  const x0 = (): Tensor => T.randn([2, 3]);

  it('warns when tensor values are read into JavaScript (item, tolist, data, dataSync, hostArray)', async () => {
    const cases: [string, (x: Tensor) => unknown][] = [
      ['item', (x) => x.mul(Number(x.sum().item()))],
      ['tolist', (x) => x.add((x.amax().tolist() as number))],
      ['dataSync', (x) => x.add(x.amax().dataSync()[0]!)],
      ['data', async (x) => x.add((await x.amax().data())[0]!)],
      ['host', (x) => x.add(x.relu().contiguousArray()[0]!)],
    ];
    for (const [kind, f] of cases) {
      const { warnings } = await traceQuiet(f, [x0()]);
      expect(warnings.map((w) => w.kind), kind).toEqual([kind]);
      expect(warnings[0]!.message).toMatch(kind === 'host' ? /JavaScript computation on its values is not recorded/ : /Converting a tensor to a JavaScript value .* might cause the trace to be incorrect/);
      expect(warnings[0]!.location?.file).toBe('packages/jit/test/trace.test.ts');
    }
  });

  it('warns for a tensor used as a loop bound or condition, and the trace keeps the traced branch', async () => {
    const f = (x: Tensor): Tensor => {
      let y = x;
      for (let i = 0; i < Number(x.abs().sum().ceil().item()); i++) y = y.add(1);
      return Number(x.sum().item()) > 0 ? y.relu() : y.neg();
    };
    const x = tensor([[0.5, 0.25], [0.1, 0.2]]);
    const { t, warnings } = await traceQuiet(f, [x]);
    expect(warnings.map((w) => w.kind)).toEqual(['item', 'item']);
    expect(kinds(t).filter((k) => k === 'aten::add.Scalar')).toHaveLength(2);
    expect(kinds(t)).toContain('aten::relu');
  });

  it('warns for op results read as JavaScript values, and not for metadata or printing', async () => {
    const { warnings } = await traceQuiet((x: Tensor) => (callOp('aten::Bool', [x.sum().gt(0)]) ? x.neg() : x), [x0()]);
    expect(warnings.map((w) => w.kind)).toEqual(['scalar-result']);
    expect(warnings[0]!.message).toContain('aten::Bool.Tensor returned a JavaScript value computed from tensor data');
    const quiet = await traceQuiet((x: Tensor) => {
      String(x.relu());
      return x.reshape([x.shape[0]! * x.shape[1]!]);
    }, [x0()]);
    expect(quiet.warnings).toEqual([]);
  });

  it('throws at the read with {strict: true}', async () => {
    await expect(trace((x: Tensor) => x.mul(Number(x.sum().item())), [x0()], { strict: true })).rejects.toThrow(TracingError);
    await expect(trace((x: Tensor) => x.mul(Number(x.sum().item())), [x0()], { strict: true })).rejects.toThrow(/tensor\.item\(\)[\s\S]*trace\.test\.ts/);
  });

  it('checkTrace re-runs the function on other inputs and reports a trace that does not generalize', async () => {
    const f = (x: Tensor): Tensor => (Number(x.sum().item()) > 0 ? x.relu() : x.neg());
    const pos = tensor([1, 2]), neg = tensor([-1, -2]);
    const { warnings } = await traceQuiet(f, [pos], { checkInputs: [[pos], [neg]] });
    const kindsSeen = warnings.map((w) => w.kind);
    expect(kindsSeen).toContain('item');
    expect(kindsSeen).toContain('check');
    expect(warnings.find((w) => w.kind === 'check')!.message).toMatch(/Graphs differed across invocations|does not match/);
    await expect(trace(f, [pos], { checkInputs: [[neg]], strict: false, onWarning: () => {} })).resolves.toBeDefined();
    // a function that generalizes passes the check without warnings
    const ok = await traceQuiet((x: Tensor) => x.mul(x).sigmoid(), [pos], { checkTrace: true, checkInputs: [[neg], [tensor([0.5, 3])]] });
    expect(ok.warnings).toEqual([]);
  });

  it('checkTrace reports nondeterministic nodes (dropout in training mode)', async () => {
    const m = new nn.Sequential(new nn.Linear(3, 3), new nn.Dropout(0.5));
    const { warnings } = await traceQuiet(m, [x0()], { checkTrace: true });
    expect(warnings.map((w) => w.kind)).toContain('nondeterministic');
    m.eval();
    expect((await traceQuiet(m, [x0()], { checkTrace: true })).warnings).toEqual([]);
  });
});

describe('torch.jit.trace: nn modules', () => {
  it('reads parameters and buffers from self with prim::GetAttr (shared with the module)', async () => {
    const { model, inputs } = modelCase('cnn');
    const t = await trace(model, inputs[0]!);
    expect(t).toBeInstanceOf(TracedModule);
    expect(t.typeName).toBe('__torch__.SmallCNN');
    expect(t.namedParameters().map(([n]) => n)).toEqual(model.namedParameters().map(([n]) => n));
    expect(t.namedBuffers().map(([n]) => n)).toEqual(model.namedBuffers().map(([n]) => n));
    expect([...t.stateDict().keys()]).toEqual(Object.keys(model.stateDict()));
    expect(t.namedParameters()[0]![1]).toBe(model.namedParameters()[0]![1]);
    expect(t.graph).toContain('prim::GetAttr[name="features"](%self)');
    // F.batch_norm is a Python-level wrapper: the trace records the ATen op it calls, as PyTorch's does
    expect(t.graph).toContain('aten::batch_norm');
    expect(t.graph).not.toContain('torchlet::');
    expect(t.code).toContain('def forward(self,\n    x: Tensor) -> Tensor:');
    expect(t.attr('training')).toBe(false);
    expect((t.attr('features') as TracedModule).typeName).toBe('__torch__.Sequential');
  });

  for (const name of ['mlp', 'cnn', 'attention'] as const) {
    it(`${name}: the trace replays PyTorch's outputs on the traced and on new inputs`, async () => {
      const { model, inputs, outputs } = modelCase(name);
      const { t, warnings } = await traceQuiet<TracedModule>(model, inputs[0]!, { checkTrace: true, checkInputs: [inputs[1]!] });
      expect(warnings).toEqual([]);
      for (let i = 0; i < 2; i++) {
        const got = flatTensors(await t.forward(...inputs[i]!));
        const eager = flatTensors(model.forward(...(inputs[i] as [Tensor])));
        expect(got).toHaveLength(outputs[i]!.length);
        got.forEach((g, k) => {
          expectClose(g, outputs[i]![k]!, 1e-5, `${name} input ${i} output ${k} vs PyTorch`);
          expectClose(g, eager[k]!, 1e-5, `${name} input ${i} output ${k} vs eager`);
        });
      }
    });
  }

  it('sees later changes to the module parameters (they are shared), like PyTorch', async () => {
    const m = new nn.Linear(2, 2);
    const t = await trace(m, [T.randn([1, 2])]);
    const x = T.randn([1, 2]);
    m.weight.mul_(2);
    expectClose((await t.forward(x)) as Tensor, m.forward(x), 0);
  });
});

describe('IR passes on traced graphs', () => {
  it('dead code elimination, CSE and constant folding keep the results', async () => {
    const c = tensor([1, 2, 3], { dtype: 'float32' });
    const f = (x: Tensor): Tensor => {
      const a = x.relu();
      const b = x.relu();
      x.exp(); // unused
      return a.add(b).mul(c.mul(2).add(1));
    };
    const t = await trace(f, [T.randn([3])]);
    const before = kinds(t);
    expect(before.filter((k) => k === 'aten::relu')).toHaveLength(2);
    optimizeTraced(t);
    const after = kinds(t);
    expect(after.filter((k) => k === 'aten::relu')).toHaveLength(1);
    expect(after).not.toContain('aten::exp');
    expect(after).not.toContain('aten::mul.Scalar');
    const x = T.randn([3]);
    expectClose((await t.forward(x)) as Tensor, f(x), 1e-6);
  });

  it('freezing turns parameter reads into constants; folding then skips graphs that write into constants', async () => {
    const { model, inputs, outputs } = modelCase('mlp');
    const t = await trace(model, inputs[0]!);
    const frozen = freezeTraced(t);
    expect(frozen.ir.allNodes().some((n) => n.kind === 'prim::GetAttr')).toBe(false);
    expectClose((await frozen.forward(...inputs[1]!)) as Tensor, outputs[1]![0]!, 1e-5);
    expect(printGraph(t.ir)).toContain('prim::GetAttr');
    // a write into a captured tensor through a view: folding would freeze what the graph reads after it
    const w = T.ones([2]);
    const g = await trace((x: Tensor) => {
      w.narrow(0, 0, 2).add_(1);
      return x.mul(w.mul(1));
    }, [T.ones([2])]);
    expect(w.tolist()).toEqual([2, 2]);
    optimizeTraced(g);
    expect(kinds(g)).toContain('aten::mul.Scalar');
    expect(((await g.forward(T.ones([2]))) as Tensor).tolist()).toEqual([3, 3]);
    expect(((await g.forward(T.ones([2]))) as Tensor).tolist()).toEqual([4, 4]);
  });

  it("the inference passes (freeze, batch-norm folding, fusion) run on traced modules", async () => {
    for (const name of ['mlp', 'cnn'] as const) {
      const { model, inputs, outputs } = modelCase(name);
      const t = await trace(model, inputs[0]!);
      const reports: InferenceReport[] = [];
      const opt = freezeTraced(t, { passes: [(g) => reports.push(optimizeForInference(g))] });
      expect(reports).toHaveLength(1);
      if (name === 'mlp') expect(kinds(opt).some((k) => k.startsWith('torchlet::linear_fused'))).toBe(true);
      for (let i = 0; i < 2; i++) expectClose((await opt.forward(...inputs[i]!)) as Tensor, outputs[i]![0]!, 1e-5, `${name} input ${i}`);
    }
  });

  it('traces of the same function are equal graphs; different shapes give different constants', async () => {
    const f = (x: Tensor): Tensor => x.reshape([x.shape[0]!, -1]).softmax(-1);
    const a = await trace(f, [T.randn([2, 3, 4])]);
    const b = await trace(f, [T.randn([2, 3, 4])]);
    const c = await trace(f, [T.randn([5, 3, 4])]);
    expect(diffGraphs(a.ir, b.ir)).toBeUndefined();
    expect(diffGraphs(a.ir, c.ir)).toMatch(/attribute value differs/);
  });

  it('property: random chains of ops replay like eager code', async () => {
    const unary = ['relu', 'sigmoid', 'tanh', 'neg', 'exp', 'abs', 'sin'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...unary), fc.constantFrom('add' as const, 'mul' as const, 'sub' as const), fc.constant('t' as const), fc.constant('view' as const)), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        async (ops, n) => {
          const f = (a: Tensor, b: Tensor): Tensor => {
            let x = a;
            for (const op of ops) {
              if (op === 't') x = x.t();
              else if (op === 'view') x = x.reshape([-1]).reshape([x.shape[0]!, x.shape[1]!]);
              else if (op === 'add' || op === 'mul' || op === 'sub') x = x[op](x.shape[0] === b.shape[0] ? b : b.t());
              else x = x[op]();
            }
            return x;
          };
          const t = await trace(f, [T.randn([n, 3]), T.randn([n, 3])]);
          const a = T.randn([n, 3]), b = T.randn([n, 3]);
          expectClose((await t.forward(a, b)) as Tensor, f(a, b), 1e-6);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('ScriptObject of a traced module', () => {
  it('is a module object with one slot per attribute', async () => {
    const m = new MLP().eval();
    const t = await trace(m, [T.randn([1, 6])]);
    expect(t.object).toBeInstanceOf(ScriptObject);
    expect(t.type.attributes.map((a) => a.name)).toEqual(['training', 'fc1', 'act', 'drop', 'fc2', 'fc3']);
    expect(t.methods).toEqual(['forward']);
  });
});
