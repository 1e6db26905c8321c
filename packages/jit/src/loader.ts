import { backendsReady, Tensor } from '@torchlet/core';
import { ClassType, ScriptObject, type Graph, type InferenceOptions } from '@torchlet/ir';
import { openZip, type ZipArchive } from './archive/zip.js';
import { storageFromBytes, unpickle, type LoadedStorage, type StorageType } from './archive/pickle.js';
import { JitError, PickleError, ScriptCompileError, UnsupportedArchiveError } from './errors.js';
import { fromPickled, generic } from './ivalue.js';
import { compileFunction, type CompileOptions } from './script/compiler.js';
import { CompilationUnit, type ClassInfo, type SourceProvider } from './script/unit.js';
import { ScriptModule } from './module.js';
import { runGraph } from './runtime.js';

export interface LoadOptions extends CompileOptions {
  /** also compile every method of every module class at load time (default: root methods and what they call) */
  compileAll?: boolean;
  /**
   * Run eval-mode methods frozen and optimised for inference (`freezeModule` +
   * `optimizeForInference`, cached per method). Default true; `false` always runs the methods as
   * compiled; an object passes options to `optimizeForInference`.
   */
  optimize?: boolean | InferenceOptions;
}

/** Bytes of a file, a URL-less path (Node only), or an ArrayBuffer/typed array. */
export type LoadInput = Uint8Array | ArrayBuffer | ArrayBufferView | string;

async function readInput(input: LoadInput): Promise<Uint8Array> {
  if (typeof input === 'string') {
    const fs = await import('node:fs/promises');
    const buf = await fs.readFile(input);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new JitError('torch.jit.load expects a Uint8Array, an ArrayBuffer or a file path');
}

/** torch.jit.load: reads a TorchScript archive and returns the loaded module. */
export async function loadTorchScript(input: LoadInput, opts: LoadOptions = {}): Promise<ScriptModule> {
  await backendsReady();
  const p = prepare(await readInput(input), opts);
  // objects pickled through __getstate__ are restored by running their compiled __setstate__
  for (const { obj, state } of p.pending) {
    const sig = p.unit.methodSig(obj.type, '__setstate__')!;
    const arg = fromPickled(state, sig.params[0]?.type, `${obj.type.name}.__setstate__ state`);
    await runGraph(p.unit, p.unit.methodGraph(obj.type, '__setstate__'), [obj, arg]);
    checkInitialized(obj);
  }
  return p.finish();
}

/** Synchronous variant for bytes already in memory (archives whose objects need __setstate__ need the async load). */
export function loadTorchScriptSync(data: Uint8Array | ArrayBuffer, opts: LoadOptions = {}): ScriptModule {
  const p = prepare(data, opts);
  if (p.pending.length) {
    throw new UnsupportedArchiveError(`${p.pending[0]!.obj.type.name} restores its state with __setstate__, which runs script code: use the async jit.load`);
  }
  return p.finish();
}

interface Prepared {
  unit: CompilationUnit;
  pending: { obj: ScriptObject; state: unknown }[];
  finish(): ScriptModule;
}

/** Every non-Optional attribute must have a value after __setstate__ (PyTorch checks the same); Optional ones default to None. */
function checkInitialized(obj: ScriptObject): void {
  obj.type.attributes.forEach((a, i) => {
    if (obj.slots[i] !== undefined) return;
    if (a.type.kind === 'Optional' || a.type.kind === 'NoneType') obj.slots[i] = null;
    else throw new UnsupportedArchiveError(`${obj.type.name}.__setstate__ did not initialize the attribute '${a.name}'`);
  });
}

function prepare(data: Uint8Array | ArrayBuffer, opts: LoadOptions): Prepared {
  const zip = openZip(data);
  checkKind(zip);
  const version = readVersion(zip);

  // code/ files by qualifier prefix: code/__torch__/a/b.py -> __torch__.a.b
  const files = new Map<string, string>();
  for (const name of zip.names()) {
    const m = /^code\/(.+)\.py$/.exec(name);
    if (m) files.set(m[1]!.replace(/\//g, '.'), name);
  }
  const sources: SourceProvider = {
    source(prefix) {
      const f = files.get(prefix);
      return f === undefined ? undefined : { file: f, text: zip.readText(f) };
    },
  };

  const storageLoader = (folder: string) => (type: StorageType, key: string, _location: string, numel: number): LoadedStorage => {
    const rec = `${folder}/${key}`;
    const bytes = numel === 0 ? new Uint8Array(0) : zip.read(rec);
    return storageFromBytes(type, bytes, numel, rec);
  };

  const compileOpts: CompileOptions = {};
  if (opts.strictOps) compileOpts.strictOps = true;
  let unit: CompilationUnit | undefined;
  const classResolver = (q: string): ClassInfo => {
    const info = unit!.classInfo(q);
    if (info.kind === 'interface' || info.kind === 'enum') throw new PickleError(`cannot instantiate ${info.kind} ${q}`, 'data.pkl');
    return info;
  };
  const objectHooks = {
    resolveClass: (q: string): unknown => classResolver(q),
    newObject: (cls: unknown): unknown => {
      const info = cls as ClassInfo;
      if (!(info.type instanceof ClassType)) throw new PickleError(`${info.qualifiedName} is a NamedTuple and cannot be built with NEWOBJ`, 'data.pkl');
      return new ScriptObject(info.type);
    },
    build: (obj: unknown, state: unknown): void => {
      const o = obj as ScriptObject;
      if (o instanceof ScriptObject && unit!.classInfoOf(o.type)?.methodDefs.has('__setstate__')) pending.push({ obj: o, state });
      else buildObject(unit!, obj, state);
    },
  };
  const pending: { obj: ScriptObject; state: unknown }[] = [];

  // constants.pkl first (CONSTANTS.cN), then the module object
  const constants: unknown[] = [];
  unit = new CompilationUnit(sources, constants, (u, sig) => compileFunction(u, sig, compileOpts));
  const rawConstants = unpickle(zip.read('constants.pkl'), { record: 'constants.pkl', loadStorage: storageLoader('constants'), ...objectHooks });
  const c = generic(rawConstants);
  if (!Array.isArray(c)) throw new PickleError('constants.pkl does not hold a tuple', 'constants.pkl');
  constants.push(...c);

  const root = unpickle(zip.read('data.pkl'), { record: 'data.pkl', loadStorage: storageLoader('data'), ...objectHooks });
  if (!(root instanceof ScriptObject) || !root.type.isModule) {
    throw new UnsupportedArchiveError('data.pkl does not hold a TorchScript module object');
  }

  const extraFiles = new Map<string, Uint8Array>();
  for (const name of zip.names()) if (name.startsWith('extra/')) extraFiles.set(name.slice(6), zip.read(name));

  const finish = (): ScriptModule => {
    // compile the root's methods (and, transitively, what they call) so errors surface now
    const u = unit!;
    const info = u.classInfoOf(root.type)!;
    const compileErrors: Error[] = [];
    for (const name of info.methodDefs.keys()) {
      if (info.forwardPreHooks.includes(name) || info.forwardHooks.includes(name)) continue;
      try {
        u.methodGraph(root.type, name);
      } catch (e) {
        if (!(e instanceof ScriptCompileError)) throw e;
        // the method is unusable; keep loading (PyTorch would fail) unless it is forward
        if (name === 'forward' || opts.compileAll) throw e;
        compileErrors.push(e);
      }
    }
    if (opts.compileAll) {
      for (const ci of u.classes.values()) {
        if (!(ci.type instanceof ClassType) || ci.kind === 'interface') continue;
        for (const m of ci.methodDefs.keys()) u.methodGraph(ci.type, m);
      }
    }
    const codeFiles = new Map<string, string>();
    for (const f of files.values()) codeFiles.set(f, zip.readText(f));
    return new ScriptModule(root, u, { version, extraFiles, codeFiles, zip, compileErrors, ...(opts.optimize !== undefined ? { optimize: opts.optimize } : {}) });
  };
  return { unit, pending, finish };
}

function checkKind(zip: ZipArchive): void {
  if (zip.has('model.json')) {
    throw new UnsupportedArchiveError('this is a legacy TorchScript archive (PyTorch 1.0-1.2, model.json + tensors/); re-save it with torch.jit.save from a current PyTorch');
  }
  if (zip.has('archive_format') || zip.has('data/aotinductor')) {
    throw new UnsupportedArchiveError('this is a torch.export (.pt2) archive, not a TorchScript archive; torchlet loads torch.jit.save files');
  }
  if (zip.has('byteorder') && zip.readText('byteorder').trim() === 'big') {
    throw new UnsupportedArchiveError('big-endian archives are not supported');
  }
  if (!zip.has('constants.pkl')) {
    if (zip.has('data.pkl')) {
      throw new UnsupportedArchiveError('this is a torch.save file (a pickled state dict or object), not a TorchScript module; save the model with torch.jit.save(torch.jit.script(model)) or torch.jit.trace');
    }
    throw new UnsupportedArchiveError('not a TorchScript archive: it has no constants.pkl / data.pkl records');
  }
  if (!zip.has('data.pkl')) throw new UnsupportedArchiveError('not a TorchScript archive: it has no data.pkl record');
}

function readVersion(zip: ZipArchive): number {
  const rec = zip.has('.data/version') ? '.data/version' : zip.has('version') ? 'version' : undefined;
  if (!rec) throw new UnsupportedArchiveError('the archive has no version record');
  const text = zip.readText(rec).trim();
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new UnsupportedArchiveError(`bad archive version ${JSON.stringify(text)}`);
  if (v > 10) console.warn(`torchlet: archive version ${v} is newer than the newest known (10); loading anyway`);
  return v;
}

/** BUILD of a TorchScript object: fill the declared slots from the pickled attribute dict. */
function buildObject(unit: CompilationUnit, obj: unknown, state: unknown): void {
  if (!(obj instanceof ScriptObject)) throw new PickleError('BUILD on something that is not a TorchScript object', 'data.pkl');
  const t = obj.type;
  if (!(state instanceof Map)) throw new PickleError(`the state of ${t.name} is not an attribute dict`, 'data.pkl');
  t.attributes.forEach((a, i) => {
    if (!state.has(a.name)) throw new PickleError(`the pickled ${t.name} has no value for its attribute '${a.name}'`, 'data.pkl');
    obj.slots[i] = fromPickled(state.get(a.name), a.type, `${t.name}.${a.name}`);
  });
}

export type { Graph, Tensor };
