import { describe, expect, it } from 'vitest';
import { Tensor, functions as torch } from '@torchlet/core';
import { jit, type ScriptModule } from '../src/index.js';
import { TEST_MODELS, compareValues, readNpyFile } from './helpers.js';

/**
 * jit.load runs eval-mode methods frozen and optimised for inference (freezeModule +
 * optimizeForInference): the traced small CNN (conv -> batch norm -> relu, twice, then linear)
 * must still match PyTorch, and the frozen graph must follow changes of the module's state.
 */
const DIR = `${TEST_MODELS}pytorch/small_cnn`;
const TOL = { rtol: 1e-4, atol: 1e-5 };

async function loadCnn(opts: Parameters<typeof jit.load>[1] = {}): Promise<ScriptModule> {
  return (await jit.load(`${DIR}/model.pt`, opts)) as ScriptModule;
}

function kinds(m: ScriptModule): string[] {
  return m.optimizedGraph()!.allNodes().map((n) => n.kind);
}

describe('jit.load optimises eval-mode methods', () => {
  const x = readNpyFile(`${DIR}/input_0.npy`);
  const want = readNpyFile(`${DIR}/output_0.npy`);

  it('freezes submodule calls, folds batch norms, fuses epilogues, and still matches PyTorch', async () => {
    const m = await loadCnn();
    const ks = kinds(m);
    expect(ks).not.toContain('prim::CallMethod');
    expect(ks).not.toContain('prim::GetAttr');
    expect(ks).not.toContain('aten::batch_norm');
    expect(ks.filter((k) => k === 'torchlet::conv2d_fused').length).toBe(2);
    expect(compareValues(await m.forward(x), want, TOL, 'out')).toEqual([]);
    // cached: the same graph object on the next call
    expect(m.optimizedGraph()).toBe(m.optimizedGraph());
  });

  it('runs the compiled methods with { optimize: false }', async () => {
    const m = await loadCnn({ optimize: false });
    expect(m.optimizedGraph()).toBeUndefined();
    expect(compareValues(await m.forward(x), want, TOL, 'out')).toEqual([]);
  });

  it('is not used in training mode and comes back after eval()', async () => {
    const m = await loadCnn();
    const g = m.optimizedGraph();
    m.train();
    expect(m.optimizedGraph()).toBeUndefined();
    // (traced: batch_norm's training flag was recorded as False, so the output stays the same)
    expect(compareValues(await m.forward(x), want, TOL, 'out')).toEqual([]);
    m.eval();
    const g2 = m.optimizedGraph();
    expect(g2).toBeDefined();
    expect(g2).not.toBe(g);
    expect(compareValues(await m.forward(x), want, TOL, 'out')).toEqual([]);
  });

  it('is rebuilt when an attribute of a submodule is replaced', async () => {
    const m = await loadCnn();
    await m.forward(x);
    const fc = m.attr('f') as ScriptModule;
    const last = fc.attr('9') as ScriptModule;
    const w = last.attr('weight') as Tensor;
    const b = last.attr('bias') as Tensor;
    // a zero weight through setAttr on the submodule wrapper: the output is the bias
    last.setAttr('weight', torch.zeros_like(w));
    const y = (await m.forward(x)) as Tensor;
    expect(Array.from(y.contiguousArray())).toEqual([...Array.from(b.contiguousArray()), ...Array.from(b.contiguousArray())]);
    // and through the object directly (no wrapper): the snapshot of the slots notices
    last.object.setAttr('weight', w);
    expect(compareValues(await m.forward(x), want, TOL, 'out')).toEqual([]);
  });
});
