import { readFileSync } from 'node:fs';
import { Tensor } from '@torchlet/core';
import { describe, expect, it } from 'vitest';
import { openZip } from '../src/archive/zip.js';
import { ZipError } from '../src/errors.js';
import { containerTypeTags, storageFromBytes, unpickle, UnsupportedTensor, type UnpicklerHooks } from '../src/archive/pickle.js';
import { PickleError, UnsupportedArchiveError } from '../src/errors.js';
import { loadTorchScriptSync } from '../src/loader.js';
import { TEST_MODELS, readTestModel, repack, writeZip } from './helpers.js';

const sample = (name: string): Uint8Array => readTestModel(`torchscript/samples/${name}`);

function hooksFor(zip: ReturnType<typeof openZip>, folder: string): UnpicklerHooks {
  return {
    record: `${folder}.pkl`,
    loadStorage: (t, key, _loc, n) => storageFromBytes(t, n === 0 ? new Uint8Array(0) : zip.read(`${folder}/${key}`), n, `${folder}/${key}`),
    resolveClass: (q) => q,
    newObject: (c) => ({ cls: c, state: undefined as unknown }),
    build: (o, s) => {
      (o as { state: unknown }).state = s;
    },
  };
}

describe('zip reader', () => {
  it('walks the central directory of tiny_traced.pt (offsets as PyTorch wrote them)', () => {
    const z = openZip(sample('tiny_traced.pt'));
    expect(z.prefix).toBe('tiny_traced/');
    expect(z.names()).toEqual([
      'extra/meta.json', 'data/0', 'data/1', 'data/2', 'data.pkl', 'code/__torch__.py', 'code/__torch__.py.debug_pkl',
      'code/__torch__/torch/nn/modules/linear.py', 'code/__torch__/torch/nn/modules/linear.py.debug_pkl', 'constants.pkl', 'version',
    ]);
    // from tiny_traced.layout.txt: data/0 header at 92, data at 192; data.pkl 409 bytes at 576
    expect(z.entry('data/0').localHeaderOffset).toBe(92);
    expect(z.dataOffset('data/0')).toBe(192);
    expect(z.dataOffset('data.pkl')).toBe(576);
    expect(z.entry('data.pkl').size).toBe(409);
    expect(z.entry('code/__torch__.py').method).toBe(8);
    expect(z.entry('code/__torch__.py').compressedSize).toBe(224);
    expect(z.readText('extra/meta.json')).toBe('{"hello": 1}');
    expect(z.readText('version')).toBe('3\n');
    expect(z.readText('code/__torch__.py')).toContain('class Tiny(Module):');
    for (const n of z.names()) expect(z.dataOffset(n) % 64).toBe(0);
  });

  it('returns stored records as views over the file bytes (no copy)', () => {
    const bytes = sample('tiny_traced.pt');
    const z = openZip(bytes);
    const rec = z.read('data/0');
    expect(rec.buffer).toBe(bytes.buffer);
    expect(rec.byteOffset).toBe(bytes.byteOffset + 192);
    expect([...new Float32Array(rec.slice().buffer)]).toEqual([2, 3, 4]);
  });

  it('detects the archive/ folder of buffer-saved archives', () => {
    const z = openZip(sample('relu_saved_via_buffer.pt'));
    expect(z.prefix).toBe('archive/');
    expect(z.has('code/__torch__/torch/nn/functional.py')).toBe(true);
  });

  it('reads ZIP64 extended information extra fields', () => {
    const bytes = writeZip([
      { name: 'm/a.txt', data: 'hello' },
      { name: 'm/b.txt', data: 'x'.repeat(500), deflate: true },
    ], { zip64Extra: true });
    const z = openZip(bytes);
    expect(z.readText('a.txt')).toBe('hello');
    expect(z.readText('b.txt')).toBe('x'.repeat(500));
    expect(z.entry('b.txt').compressedSize).toBeLessThan(500);
    expect(z.dataOffset('a.txt') % 64).toBe(0);
  });

  it('reads archives without ZIP64 end records', () => {
    const z = openZip(writeZip([{ name: 'q/x', data: 'abc' }], { noZip64End: true }));
    expect(z.readText('x')).toBe('abc');
  });

  it('rejects legacy and foreign formats with clear messages', () => {
    const enc = new TextEncoder();
    expect(() => openZip(enc.encode('PYTORCH1....'))).toThrow(UnsupportedArchiveError);
    expect(() => openZip(enc.encode('PYTORCH1....'))).toThrow(/PYTORCH1/);
    expect(() => openZip(new Uint8Array([0x80, 0x02, 0x8a, 0x0a]))).toThrow(/legacy raw-pickle/);
    expect(() => openZip(enc.encode('\u0000\u0000\u0000\u0000PTMF1234'))).toThrow(/FlatBuffer/);
    expect(() => openZip(enc.encode('hello world'))).toThrow(ZipError);
    expect(() => openZip(new Uint8Array(0))).toThrow(/not a zip/);
  });

  it('rejects entries outside the top-level folder', () => {
    const bytes = writeZip([{ name: 'a/x', data: '1' }, { name: 'b/y', data: '2' }]);
    expect(() => openZip(bytes)).toThrow(/b\/y.*outside the archive's top-level folder/);
  });

  it('names the entry in errors', () => {
    const bytes = sample('tiny_traced.pt').slice();
    const z = openZip(bytes);
    // corrupt the deflate stream of code/__torch__.py
    const off = z.dataOffset('code/__torch__.py');
    bytes.fill(0xff, off, off + 40);
    const z2 = openZip(bytes);
    expect(() => z2.read('code/__torch__.py')).toThrow(/tiny_traced\/code\/__torch__.py/);
    expect(() => z2.read('nope')).toThrow(/no such record.*tiny_traced\/nope/);
    // a flipped byte in a stored record is caught by the CRC
    const b2 = sample('tiny_traced.pt').slice();
    b2[openZip(b2).dataOffset('data.pkl') + 10]! ^= 0x55;
    expect(() => openZip(b2).read('data.pkl')).toThrow(/data.pkl: CRC-32 mismatch/);
  });

  it('reports truncated archives', () => {
    const bytes = sample('tiny_traced.pt');
    expect(() => openZip(bytes.subarray(0, bytes.length - 30))).toThrow(ZipError);
    expect(() => openZip(bytes.subarray(0, 1500))).toThrow(/truncated or corrupt archive|beyond the end/);
  });
});

describe('unpickler', () => {
  it('rebuilds every dtype, shared-storage views, 0-d and empty tensors as PyTorch does', () => {
    const bytes = sample('dtypes_scripted.pt');
    const z = openZip(bytes);
    const root = unpickle(z.read('data.pkl'), hooksFor(z, 'data')) as { cls: string; state: Map<string, unknown> };
    expect(root.cls).toBe('__torch__.Dtypes');
    const want = JSON.parse(readFileSync(`${TEST_MODELS}torchscript/cases/dtypes_expected.json`, 'utf8')) as Record<string, { dtype: string; shape: number[]; stride: number[]; offset: number; requires_grad: boolean; data: unknown }>;
    for (const [name, w] of Object.entries(want)) {
      if (name === '__order__') continue;
      const v = root.state.get(name);
      if (['bfloat16', 'complex64', 'complex128'].includes(w.dtype)) {
        expect(v).toBeInstanceOf(UnsupportedTensor);
        expect((v as UnsupportedTensor).torchDtype).toBe(w.dtype);
        expect((v as UnsupportedTensor).shape).toEqual(w.shape);
        continue;
      }
      expect(v, name).toBeInstanceOf(Tensor);
      const t = v as Tensor;
      expect(t.dtype, name).toBe(w.dtype);
      expect(t.shape, name).toEqual(w.shape);
      expect(t.strides, name).toEqual(w.stride);
      expect(t.offset, name).toBe(w.offset);
      expect(t.requiresGrad, name).toBe(w.requires_grad);
      expect(t.tolist(), name).toEqual(w.data);
    }
    // view_a and view_b share one storage; float32 storages are views over the archive bytes
    const a = root.state.get('view_a') as Tensor, b = root.state.get('view_b') as Tensor;
    expect(a.storage).toBe(b.storage);
    expect(a.storage.array!.buffer).toBe(bytes.buffer);
    const i64 = root.state.get('b_int64') as Tensor;
    expect(i64.storage.array).toBeInstanceOf(Float64Array);
  });

  it('keeps pickled container type tags and marks tuples apart from lists', () => {
    const z = openZip(sample('lang_zoo_scripted.pt'));
    const root = unpickle(z.read('data.pkl'), hooksFor(z, 'data')) as { state: Map<string, unknown> };
    const nested = root.state.get('nested') as Map<string, number[]>;
    expect(containerTypeTags.get(nested)).toBe('Dict[str, List[int]]');
    expect(containerTypeTags.get(nested.get('a')!)).toBe('List[int]');
    expect(nested.get('a')).toEqual([1, 2]);
    const tup = root.state.get('tup') as unknown[];
    expect(containerTypeTags.has(tup)).toBe(false);
    expect(root.state.get('big')).toBe(2 ** 40);
    expect(root.state.get('neg')).toBe(-3);
    expect(root.state.get('name')).toBe('zooé');
    expect(root.state.get('dev')).toBe('cpu');
  });

  it('reads torch.save state dicts (_rebuild_parameter, OrderedDict)', () => {
    const z = openZip(sample('torch_save_example.pth'));
    const sd = unpickle(z.read('data.pkl'), hooksFor(z, 'data')) as Map<string, Tensor>;
    expect([...sd.keys()]).toEqual(['w', 'b', 'view']);
    expect(sd.get('w')!.requiresGrad).toBe(true);
    expect(sd.get('w')!.shape).toEqual([2]);
    // 'view' is storage '2' at offset 1 with size (2, 2), stride (3, 1)
    const v = sd.get('view')!;
    expect([v.offset, v.shape, v.strides]).toEqual([1, [2, 2], [3, 1]]);
  });

  it('refuses a GLOBAL outside the allow-list, naming it', () => {
    // PROTO 2, GLOBAL 'os system', MARK 'ls' TUPLE, REDUCE, STOP
    const enc = new TextEncoder();
    const evil = new Uint8Array([0x80, 0x02, ...enc.encode('cos\nsystem\n'), 0x28, 0x58, 2, 0, 0, 0, ...enc.encode('ls'), 0x74, 0x52, 0x2e]);
    const hooks: UnpicklerHooks = { record: 'data.pkl', loadStorage: () => { throw new Error('no'); } };
    expect(() => unpickle(evil, hooks)).toThrow(PickleError);
    expect(() => unpickle(evil, hooks)).toThrow(/forbidden GLOBAL 'os system'/);
    const builtinsEval = new Uint8Array([0x80, 0x02, ...enc.encode('c__builtin__\neval\n'), 0x2e]);
    expect(() => unpickle(builtinsEval, hooks)).toThrow(/forbidden GLOBAL '__builtin__ eval'/);
    // and inside a real archive
    const bytes = repack(sample('tiny_traced.pt'), { 'data.pkl': evil });
    expect(() => loadTorchScriptSync(bytes)).toThrow(/data.pkl @2: forbidden GLOBAL 'os system'/);
  });

  it('rejects malformed pickles with positions', () => {
    const hooks: UnpicklerHooks = { record: 'x.pkl', loadStorage: () => { throw new Error('no'); } };
    expect(() => unpickle(new Uint8Array([0x80, 0x02]), hooks)).toThrow(/no STOP/);
    expect(() => unpickle(new Uint8Array([0x80, 0x02, 0x2e]), hooks)).toThrow(/0 values on the stack/);
    expect(() => unpickle(new Uint8Array([0x80, 0x02, 0x4e, 0x4e, 0x2e]), hooks)).toThrow(/2 values on the stack/);
    expect(() => unpickle(new Uint8Array([0x80, 0x02, 0x68, 0x07, 0x2e]), hooks)).toThrow(/memo key 7/);
    expect(() => unpickle(new Uint8Array([0x80, 0x02, 0xff, 0x2e]), hooks)).toThrow(/x.pkl @2: unsupported pickle opcode 0xff/);
    expect(() => unpickle(new Uint8Array([0x80, 0x02, 0x58, 0xff, 0, 0, 0]), hooks)).toThrow(/truncated pickle/);
    expect(() => unpickle(new Uint8Array([0x80, 0x09, 0x2e]), hooks)).toThrow(/protocol 9/);
  });

  it('accepts the 7-argument _rebuild_tensor_v2 of PyTorch 2.x (empty metadata dict) and rejects conj/neg views', () => {
    const enc = new TextEncoder();
    const str = (x: string): number[] => [0x58, ...u32(enc.encode(x).length), ...enc.encode(x)];
    const u32 = (n: number): number[] => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24];
    const glob = (m: string, n: string): number[] => [0x63, ...enc.encode(`${m}\n${n}\n`)];
    const MARK = 0x28, TUPLE = 0x74, REDUCE = 0x52, EMPTY_DICT = 0x7d, EMPTY_TUPLE = 0x29, SETITEMS = 0x75;
    const program = (meta: number[]): Uint8Array => new Uint8Array([
      0x80, 2, ...glob('torch._utils', '_rebuild_tensor_v2'), MARK,
      MARK, ...str('storage'), ...glob('torch', 'FloatStorage'), ...str('0'), ...str('cpu'), 0x4b, 3, TUPLE, 0x51,
      0x4b, 0, MARK, 0x4b, 3, TUPLE, MARK, 0x4b, 1, TUPLE, 0x89, ...glob('collections', 'OrderedDict'), EMPTY_TUPLE, REDUCE,
      ...glob('torch.jit._pickle', 'restore_type_tag'), ...meta, ...str('Dict[str, bool]'), 0x86, REDUCE,
      TUPLE, REDUCE, 0x2e,
    ]);
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const hooks: UnpicklerHooks = { record: 'data.pkl', loadStorage: (t, _k, _l, n) => storageFromBytes(t, data, n, 'data/0') };
    const t = unpickle(program([EMPTY_DICT]), hooks) as Tensor;
    expect(t.tolist()).toEqual([1, 2, 3]);
    const conj = [EMPTY_DICT, MARK, ...str('conj'), 0x88, SETITEMS];
    expect(() => unpickle(program(conj), hooks)).toThrow(/conjugated\/negated tensor views/);
  });

  it('checks that tensors stay inside their storage', () => {
    const z = openZip(sample('tiny_traced.pt'));
    const short = (): UnpicklerHooks => ({
      ...hooksFor(z, 'data'),
      loadStorage: (t, key, _l, n) => storageFromBytes(t, z.read(`data/${key}`).subarray(0, 4), n, `data/${key}`),
    });
    expect(() => unpickle(z.read('data.pkl'), short())).toThrow(/data\/0.*holds 4 bytes but 3 elements of torch.float32 need 12/);
  });
});

describe('archive kinds', () => {
  it('rejects torch.save state dicts, legacy model.json archives and .pt2 files', () => {
    expect(() => loadTorchScriptSync(sample('torch_save_example.pth'))).toThrow(/torch.save file/);
    const legacy = writeZip([{ name: 'm/model.json', data: '{}' }, { name: 'm/tensors/0', data: '' }]);
    expect(() => loadTorchScriptSync(legacy)).toThrow(/legacy TorchScript archive/);
    const pt2 = writeZip([{ name: 'm/archive_format', data: 'pt2' }, { name: 'm/data.pkl', data: '' }]);
    expect(() => loadTorchScriptSync(pt2)).toThrow(/torch.export/);
  });

  it('reads `.data/version` and extra files', () => {
    const m = loadTorchScriptSync(sample('versioned_ops_scripted.pt'));
    expect(m.version).toBe(10);
    const t = loadTorchScriptSync(sample('tiny_traced.pt'));
    expect(t.version).toBe(3);
    expect(new TextDecoder().decode(t.extraFiles.get('meta.json'))).toBe('{"hello": 1}');
    expect(loadTorchScriptSync(sample('lang_zoo_scripted.pt')).version).toBe(5);
  });
});
