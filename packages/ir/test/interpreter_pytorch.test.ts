/**
 * PyTorch 1.13's own graphs (test-models/ir/scripted.json, from gen.py): parse the text that
 * `torch.jit.script(fn).inlined_graph` prints, run it with the interpreter, compare with the
 * outputs PyTorch computed. Overloads are resolved from the static types in the text.
 */
import { describe, expect, it } from 'vitest';
import { memory, Tensor } from '@torchlet/core';
import { ClassType, IntType, Interpreter, ScriptError, ScriptObject, TensorType, parseGraph, printGraph } from '../src/index.js';
import { decode, expectMatches, loadJson } from './fixtures.js';

interface Fixture {
  functions: { name: string; graph: string; runs: { inputs: unknown[]; outputs: unknown }[] }[];
  module: { forward: string; sub_forward: string; sub_w: unknown; bias: unknown; x: unknown; outputs: unknown[] };
}
const fx = loadJson<Fixture>('ir/scripted.json');

function disposeAll(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeAll);
  else if (v instanceof Map) for (const x of v.values()) disposeAll(x);
}

describe('interpreter on PyTorch-printed graphs', () => {
  for (const f of fx.functions) {
    it(f.name, async () => {
      const g = parseGraph(f.graph);
      // the text reads back to a graph that prints stably
      expect(printGraph(parseGraph(printGraph(g)))).toBe(printGraph(g));
      const interp = new Interpreter();
      for (const run of f.runs) {
        const inputs = run.inputs.map(decode);
        const before = memory().storages;
        const want = run.outputs as Record<string, unknown>;
        if (want && typeof want === 'object' && 'error' in want) {
          const err = await interp.run(g, inputs).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err, `${f.name} should raise`).toBeInstanceOf(ScriptError);
          expect((err as ScriptError).reason).toBe(want.error);
          // the message names the node's source location
          expect((err as ScriptError).message).toMatch(/gen\.py:\d+/);
          expect(memory().storages).toBe(before);
        } else {
          const [out] = await interp.run(g, inputs);
          expectMatches(out, run.outputs, f.name);
          // intermediates are freed: only the outputs' storages remain
          const outTensors = new Set<Tensor>();
          const walk = (v: unknown): void => {
            if (v instanceof Tensor) outTensors.add(v);
            else if (Array.isArray(v)) v.forEach(walk);
            else if (v instanceof Map) for (const x of v.values()) walk(x);
          };
          walk(out);
          const inputTensors = new Set<Tensor>();
          inputs.forEach((v) => {
            if (v instanceof Tensor) inputTensors.add(v);
          });
          const fresh = [...outTensors].filter((t) => !inputTensors.has(t)).map((t) => t.storage);
          const ownStorages = new Set(fresh.filter((s) => !inputs.some((i) => i instanceof Tensor && i.storage === s)));
          expect(memory().storages, `${f.name}: storages after run`).toBe(before + ownStorages.size);
          for (const t of outTensors) if (!inputTensors.has(t)) t.dispose();
        }
        disposeAll(inputs);
      }
    });
  }

  it('runs a scripted module: GetAttr/SetAttr on objects and CallMethod on a submodule', async () => {
    const sub = new ClassType('__torch__.Sub', { isModule: true });
    sub.addAttribute('training', { kind: 'bool' });
    sub.addAttribute('w', TensorType, { isParameter: true });
    sub.addAttribute('scale', IntType);
    const m = new ClassType('__torch__.M', { isModule: true });
    m.addAttribute('training', { kind: 'bool' });
    m.addAttribute('sub', sub);
    m.addAttribute('bias', TensorType, { isParameter: true });
    m.addAttribute('count', IntType);
    const classes = (name: string): ClassType | undefined => (name === sub.name ? sub : name === m.name ? m : undefined);
    const fwd = parseGraph(fx.module.forward, { resolveClass: classes });
    const subFwd = parseGraph(fx.module.sub_forward, { resolveClass: classes });
    // Sub.forward is compiled lazily through the resolver; M.forward sits in the class
    m.methods.set('forward', fwd);
    let resolved = 0;
    const interp = new Interpreter({
      resolveMethod: (obj, name) => {
        resolved++;
        return obj.type === sub && name === 'forward' ? subFwd : undefined;
      },
    });
    const so = new ScriptObject(sub);
    so.setAttr('training', false);
    so.setAttr('w', decode(fx.module.sub_w));
    so.setAttr('scale', 3);
    const mo = new ScriptObject(m);
    mo.setAttr('training', false);
    mo.setAttr('sub', so);
    mo.setAttr('bias', decode(fx.module.bias));
    mo.setAttr('count', 0);
    const x = decode(fx.module.x) as Tensor;
    const before = memory().storages;
    for (const want of fx.module.outputs) {
      const [out] = await interp.run(fwd, [mo, x]);
      expectMatches(out, want, 'M.forward');
      ((out as unknown[])[0] as Tensor).dispose();
    }
    expect(mo.getAttr('count')).toBe(2);
    expect(resolved).toBe(2);
    // parameters survive, nothing else remains
    expect(memory().storages).toBe(before);
    expect((so.getAttr('w') as Tensor).isDisposed).toBe(false);
  });
});
