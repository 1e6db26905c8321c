import { tensor } from '@torchlet/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JitError, loadTorchScript, loadTorchScriptSync, ScriptCompileError, ScriptRuntimeError, ScriptSyntaxError, UnsupportedArchiveError,
  UnsupportedOpError, ZipError,
} from '../src/index.js';
import { openZip } from '../src/archive/zip.js';
import { storageFromBytes, unpickle } from '../src/archive/pickle.js';
import { readTestModel, repack } from './helpers.js';

const sample = (name: string): Uint8Array => readTestModel(`torchscript/samples/${name}`);

/** Runs `f`; fails the property if it throws anything but a JitError. */
function onlyJitErrors(f: () => void): boolean {
  try {
    f();
  } catch (e) {
    if (e instanceof JitError) return true;
    throw e;
  }
  return true;
}

describe('clear errors', () => {
  it('truncated and corrupt archives', () => {
    const bytes = sample('tiny_scripted.pt');
    expect(() => loadTorchScriptSync(bytes.subarray(0, 100))).toThrow(ZipError);
    expect(() => loadTorchScriptSync(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated or corrupt archive|beyond the end/);
    const flipped = bytes.slice();
    const z = openZip(flipped);
    flipped[z.dataOffset('constants.pkl') + 2] ^= 0xff;
    expect(() => loadTorchScriptSync(flipped)).toThrow(/constants.pkl: CRC-32 mismatch/);
    expect(() => loadTorchScriptSync(new Uint8Array(0))).toThrow(ZipError);
  });

  it('an unsupported op names the op and its line in code/...py', async () => {
    const bytes = sample('tiny_traced.pt');
    const z = openZip(bytes);
    const code = z.readText('code/__torch__.py').replace('torch.relu(', 'torch.frobnicate(');
    const patched = repack(bytes, { 'code/__torch__.py': code });
    const m = loadTorchScriptSync(patched);
    expect([...m.unsupportedOps().keys()]).toEqual(['aten::frobnicate']);
    const line = code.split('\n').findIndex((l) => l.includes('frobnicate')) + 1;
    const err = await m.forward(tensor([[1, 2, 3, 4]], { dtype: 'float32' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedOpError);
    expect((err as UnsupportedOpError).op).toBe('aten::frobnicate');
    expect((err as Error).message).toContain(`unsupported op aten::frobnicate at code/__torch__.py:${line}`);
    expect((err as Error).message).toContain('torch.frobnicate((fc).forward(x, ))');
    // strict loading fails at load time instead
    expect(() => loadTorchScriptSync(patched, { strictOps: true })).toThrow(ScriptCompileError);
    expect(() => loadTorchScriptSync(patched, { strictOps: true })).toThrow(new RegExp(`code/__torch__.py:${line}:\\d+: unsupported op aten::frobnicate`));
  });

  it('syntax and type errors in code/ name the file and line', () => {
    const bytes = sample('tiny_traced.pt');
    const code = openZip(bytes).readText('code/__torch__/torch/nn/modules/linear.py');
    const broken = repack(bytes, { 'code/__torch__/torch/nn/modules/linear.py': code.replace('return torch.linear(x, weight, bias)', 'return torch.linear(x, weight bias)') });
    expect(() => loadTorchScriptSync(broken)).toThrow(ScriptSyntaxError);
    expect(() => loadTorchScriptSync(broken)).toThrow(/code\/__torch__\/torch\/nn\/modules\/linear.py:\d+:\d+: expected/);
    const typeErr = repack(bytes, { 'code/__torch__/torch/nn/modules/linear.py': code.replace('return torch.linear(x, weight, bias)', 'return torch.linear(x, weight, "bias")') });
    expect(() => loadTorchScriptSync(typeErr, { strictOps: true })).toThrow(/linear.py:\d+:\d+: no overload of aten::linear accepts the arguments \(Tensor, Tensor, str\)/);
  });

  it('wrong argument types and counts to forward', async () => {
    const m = await loadTorchScript(sample('free_function.pt'));
    const x = tensor([1, 2], { dtype: 'float32' });
    await expect(m.forward(x, 3)).rejects.toThrow(/missing argument 'alpha'/);
    await expect(m.forward(x, 3, 0.5, 1)).rejects.toThrow(/takes 3 argument\(s\) \(x, n, alpha\) but 4 were given/);
    await expect(m.forward(x, 2.5, 0.5)).rejects.toThrow(/argument 'n' of __torch__.PlaceholderModule.forward\(\) must be int, not float 2.5/);
    await expect(m.forward('x', 2, 0.5)).rejects.toThrow(ScriptRuntimeError);
    await expect(m.call('backward', x)).rejects.toThrow(/has no method 'backward' \(it has: forward\)/);
    const out = (await m.forward(x, 3, 0.5)) as { tolist(): unknown };
    expect(out.tolist()).toEqual([-1.875, -3.75]); // y = 0.5y + x three times, then negated
  });

  it('objects restored with __setstate__ need the async load', async () => {
    const bytes = readTestModel('torchscript/cases/with_state.pt');
    expect(() => loadTorchScriptSync(bytes)).toThrow(/__torch__.WithState restores its state with __setstate__.*async jit.load/);
    const m = await loadTorchScript(bytes);
    // __getstate__ saved (w * 2, k + 1, tag + "!"); __setstate__ undid the arithmetic
    expect((m.attr('w') as { tolist(): unknown }).tolist()).toEqual([1, 2, 3]);
    expect(m.attr('k')).toBe(3);
    expect(m.attr('tag')).toBe('v1!');
    expect(m.attr('_is_full_backward_hook')).toBe(null);
  });

  it('TorchBind (quantized) archives are rejected by name', () => {
    expect(() => loadTorchScriptSync(sample('tiny_dynamic_quant_scripted.pt'))).toThrow(/TorchBind class '__torch__.torch.classes.quantized.LinearPackedParamsBase'/);
  });

  it('non-archives', () => {
    expect(() => loadTorchScriptSync(new TextEncoder().encode('not a model'))).toThrow(ZipError);
    expect(() => loadTorchScriptSync(sample('torch_save_example.pth'))).toThrow(UnsupportedArchiveError);
  });
});

describe('fuzzing the readers', () => {
  const archives = ['tiny_traced.pt', 'lang_zoo_scripted.pt', 'dtypes_scripted.pt', 'relu_saved_via_buffer.pt'].map(sample);

  it('truncated archives only raise JitErrors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: archives.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (k, frac) => {
        const a = archives[k]!;
        return onlyJitErrors(() => loadTorchScriptSync(a.slice(0, Math.floor(a.length * frac))));
      }),
      { numRuns: 150 },
    );
  });

  it('byte flips anywhere only raise JitErrors (or load)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: archives.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        (k, flips) => {
          const a = archives[k]!.slice();
          for (const [pos, x] of flips) a[Math.floor(pos * a.length)]! ^= x;
          return onlyJitErrors(() => {
            const z = openZip(a);
            for (const n of z.names()) z.read(n);
            loadTorchScriptSync(a);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('edited code/ sources only raise JitErrors from the parser and compiler', () => {
    const bases = ['lang_zoo_scripted.pt', 'control_flow_scripted.pt'].map(sample);
    const codes = bases.map((a) => openZip(a).readText('code/__torch__.py'));
    const pieces = ['(', ')', ',', ':', '\n', '  ', 'if', 'else:', 'for', 'while', 'return', '=', '[', ']', 'None', '1', '1.', '"s"', 'torch.add', '.', 'x', 'self', 'break', 'pass', '-', 'not', 'in', 'def'];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...pieces), fc.boolean()), { minLength: 1, maxLength: 3 }),
        (k, edits) => {
          let c = codes[k]!;
          for (const [p, piece, del] of edits) {
            const i = Math.floor(p * c.length);
            c = del ? c.slice(0, i) + c.slice(i + piece.length) : c.slice(0, i) + piece + c.slice(i);
          }
          return onlyJitErrors(() => loadTorchScriptSync(repack(bases[k]!, { 'code/__torch__.py': c }), { compileAll: true }));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('mutated pickles only raise PickleErrors (or ZipErrors for records they point to)', () => {
    const z = openZip(sample('lang_zoo_scripted.pt'));
    const pkls = [openZip(sample('dtypes_scripted.pt')), z, openZip(sample('tiny_traced.pt'))].map((zz) => ({ zz, data: zz.read('data.pkl').slice() }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: pkls.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        (k, edits, keep) => {
          const { zz, data } = pkls[k]!;
          const d = data.slice(0, Math.max(1, Math.floor(data.length * keep)));
          for (const [pos, v] of edits) d[Math.floor(pos * d.length)] = v;
          return onlyJitErrors(() =>
            unpickle(d, {
              record: 'data.pkl',
              loadStorage: (t, key, _l, n) => storageFromBytes(t, n === 0 ? new Uint8Array(0) : zz.read(`data/${key}`), n, `data/${key}`),
              resolveClass: (q) => q,
              newObject: (c) => ({ c }),
              build: () => undefined,
            }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
