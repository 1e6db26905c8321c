import { Tensor, toDevice, type DeviceType } from '@torchlet/core';
import { ClassType, ScriptObject, freezeModule, optimizeForInference, printGraph, tuple, type Graph, type InferenceOptions } from '@torchlet/ir';
import type { ZipArchive } from './archive/zip.js';
import { UnsupportedTensor } from './archive/pickle.js';
import { ScriptRuntimeError, type SourcePos } from './errors.js';
import { bindArgs, fromJs } from './ivalue.js';
import { runGraph, resolveMethodGraph } from './runtime.js';
import type { CompilationUnit } from './script/unit.js';

export interface ModuleMeta {
  version: number;
  extraFiles: Map<string, Uint8Array>;
  codeFiles: Map<string, string>;
  zip: ZipArchive;
  compileErrors: Error[];
  /** run eval-mode methods frozen and optimised for inference (jit.load's `optimize`, default true) */
  optimize?: boolean | InferenceOptions;
  /** frozen + optimised method graphs per module object (shared by the wrappers of one loaded module) */
  optimized?: WeakMap<ScriptObject, Map<string, OptimizedMethod | null>>;
}

/** A method graph frozen for its module's current attributes, and the attributes it was frozen for. */
interface OptimizedMethod {
  graph: Graph;
  /** every module object of the tree with its attribute slots when the graph was made */
  snapshot: [ScriptObject, unknown[]][];
}

/**
 * A loaded TorchScript module (the result of `torch.jit.load`). Methods run through the IR
 * interpreter; parameters and buffers are the archive's tensors (views over the file bytes where
 * the dtype allows).
 */
export class ScriptModule {
  constructor(
    /** the module object (class type + attribute slots) */
    readonly object: ScriptObject,
    /** the archive's compiled classes and functions */
    readonly unit: CompilationUnit,
    private readonly meta: ModuleMeta,
  ) {}

  /** The TorchScript class of the module (`__torch__.Net`). */
  get type(): ClassType {
    return this.object.type;
  }
  get typeName(): string {
    return this.object.type.name;
  }
  /** The archive's dynamic file-format version (3 ... 10). */
  get version(): number {
    return this.meta.version;
  }
  /** `extra/<name>` records (torch.jit.save(..., _extra_files=...)). */
  get extraFiles(): ReadonlyMap<string, Uint8Array> {
    return this.meta.extraFiles;
  }

  /** Names of the module's methods (`forward`, exported methods, overloads `forward__0`...). */
  get methods(): string[] {
    const info = this.unit.classInfoOf(this.object.type);
    if (!info) return [];
    return [...info.methodDefs.keys()].filter((m) => !info.forwardPreHooks.includes(m) && !info.forwardHooks.includes(m));
  }

  hasMethod(name: string): boolean {
    return this.methods.includes(name);
  }

  /** The TorchScript source of the module's class file (`code/__torch__.py`), as stored in the archive. */
  get code(): string {
    const info = this.unit.classInfoOf(this.object.type);
    if (info) {
      const text = this.meta.codeFiles.get(info.file);
      if (text !== undefined) return text;
    }
    return [...this.meta.codeFiles.values()].join('\n');
  }

  /** Every `code/...py` file of the archive. */
  get codeFiles(): ReadonlyMap<string, string> {
    return this.meta.codeFiles;
  }

  /** The IR of `forward` (or the given method), printed. */
  get graph(): string {
    return printGraph(this.methodGraph('forward'));
  }

  methodGraph(name: string): Graph {
    if (!this.unit.methodSig(this.object.type, name)) throw new ScriptRuntimeError(`${this.typeName} has no method '${name}' (it has: ${this.methods.join(', ') || 'none'})`);
    return this.unit.methodGraph(this.object.type, name);
  }

  /** Ops the compiled code calls that torchlet's registry lacks (with the first place each is used). */
  unsupportedOps(): Map<string, SourcePos> {
    return new Map(this.unit.missingOps);
  }

  /** Methods that failed to compile at load time (they throw when called). */
  get compileErrors(): readonly Error[] {
    return this.meta.compileErrors;
  }

  /** Runs `forward`. Missing trailing arguments take the signature's defaults. */
  forward(...args: unknown[]): Promise<unknown> {
    return this.call('forward', ...args);
  }

  /**
   * Runs a method by name. In eval mode (no module of the tree is training) the method runs
   * frozen and optimised for inference (submodule calls inlined, attributes as constants, batch
   * norms folded, conv/linear epilogues fused; see `optimizedGraph`), unless the module was
   * loaded with `{ optimize: false }` or its code writes module attributes.
   */
  async call(method: string, ...args: unknown[]): Promise<unknown> {
    const graph = this.optimizedGraph(method) ?? this.methodGraph(method);
    const sig = this.unit.methodSig(this.object.type, method)!;
    const bound = bindArgs(sig, args, `${this.typeName}.${method}`);
    const out = await runGraph(this.unit, graph, [this.object, ...bound]);
    return out;
  }

  /**
   * The graph `call(method)` runs in eval mode: `optimizeForInference(freezeModule(...))`, made
   * on first use and cached until an attribute of the module tree changes (setAttr, train/eval,
   * to, or any slot replaced). Undefined in training mode, with `optimize: false`, or when the
   * method cannot be frozen (it writes attributes). After editing weights in place (e.g.
   * `copy_` into a parameter), call `invalidateOptimized()`: folded weights are copies.
   */
  optimizedGraph(method = 'forward'): Graph | undefined {
    const opt = this.meta.optimize ?? true;
    if (opt === false || !this.unit.methodSig(this.object.type, method)) return undefined;
    const snapshot = evalSnapshot(this.object);
    if (!snapshot) return undefined;
    const cache = (this.meta.optimized ??= new WeakMap());
    let perObject = cache.get(this.object);
    if (!perObject) cache.set(this.object, (perObject = new Map()));
    const hit = perObject.get(method);
    if (hit === null) return undefined;
    if (hit && sameSnapshot(hit.snapshot, snapshot)) return hit.graph;
    let graph: Graph | undefined;
    try {
      const frozen = freezeModule(this.methodGraph(method), this.object, resolveMethodGraph(this.unit));
      if (frozen) {
        optimizeForInference(frozen, typeof opt === 'object' ? opt : {});
        graph = frozen;
      }
    } catch {
      // a callee that does not compile (it fails when reached, as without freezing)
      graph = undefined;
    }
    perObject.set(method, graph ? { graph, snapshot } : null);
    return graph;
  }

  /** Drops the frozen graphs (they are rebuilt on the next call). */
  invalidateOptimized(): void {
    this.meta.optimized = new WeakMap();
  }

  /**
   * Calls the module as `module(x)` does in Python: the root module's forward pre-hooks and
   * forward hooks run around `forward` (calls inside the model already include their hooks).
   */
  async invoke(...args: unknown[]): Promise<unknown> {
    const info = this.unit.classInfoOf(this.object.type);
    let input = args;
    for (const h of info?.forwardPreHooks ?? []) {
      const g = this.unit.methodGraph(this.object.type, h);
      const r = await runGraph(this.unit, g, [this.object, toTuple(input)]);
      if (r !== null && r !== undefined) input = Array.isArray(r) ? [...r] : [r];
    }
    let out = await this.forward(...input);
    for (const h of info?.forwardHooks ?? []) {
      const g = this.unit.methodGraph(this.object.type, h);
      const r = await runGraph(this.unit, g, [this.object, toTuple(input), out]);
      if (r !== null && r !== undefined) out = r;
    }
    return out;
  }

  /** An attribute: submodules come back as ScriptModules, other values as they are. */
  attr(name: string): unknown {
    const v = this.object.getAttr(name);
    return v instanceof ScriptObject && v.type.isModule ? new ScriptModule(v, this.unit, this.meta) : v;
  }

  hasAttr(name: string): boolean {
    return this.object.type.findAttribute(name) >= 0 || this.object.type.constants.has(name);
  }

  /** Sets an attribute slot (e.g. `training`). */
  setAttr(name: string, value: unknown): void {
    const t = this.object.type.attributeType(name);
    if (!t) throw new ScriptRuntimeError(`${this.typeName} has no attribute '${name}'`);
    this.object.setAttr(name, fromJs(value, t, `attribute '${name}'`));
    this.invalidateOptimized();
  }

  /** Direct submodules, by attribute name. */
  namedChildren(): [string, ScriptModule][] {
    const out: [string, ScriptModule][] = [];
    this.object.type.attributes.forEach((a, i) => {
      const v = this.object.slots[i];
      if (a.type instanceof ClassType && a.type.isModule && v instanceof ScriptObject) out.push([a.name, new ScriptModule(v, this.unit, this.meta)]);
    });
    return out;
  }

  /** Parameters of this module and its submodules, with dotted names (`fc.weight`), as PyTorch orders them. */
  namedParameters(recurse = true): [string, Tensor][] {
    return this.collect('param', recurse);
  }
  /** Buffers (running statistics, ...) with dotted names. */
  namedBuffers(recurse = true): [string, Tensor | UnsupportedTensor][] {
    return this.collect('buffer', recurse);
  }
  parameters(recurse = true): Tensor[] {
    return this.namedParameters(recurse).map(([, t]) => t);
  }
  buffers(recurse = true): (Tensor | UnsupportedTensor)[] {
    return this.namedBuffers(recurse).map(([, t]) => t);
  }
  /** parameters then buffers, like `module.state_dict()` (without duplicates of shared tensors). */
  stateDict(): Map<string, Tensor | UnsupportedTensor> {
    const m = new Map<string, Tensor | UnsupportedTensor>();
    const walk = (obj: ScriptObject, prefix: string): void => {
      const info = this.unit.classInfoOf(obj.type);
      // own parameters, then own buffers (declaration order), then submodules: PyTorch's order
      for (const n of [...(info?.parameters ?? []), ...(info?.buffers ?? [])]) {
        const i = obj.type.findAttribute(n);
        const v = i >= 0 ? obj.slots[i] : undefined;
        if (v instanceof Tensor || v instanceof UnsupportedTensor) m.set(prefix + n, v);
      }
      obj.type.attributes.forEach((a, i) => {
        const v = obj.slots[i];
        if (v instanceof ScriptObject && v.type.isModule) walk(v, `${prefix}${a.name}.`);
      });
    };
    walk(this.object, '');
    return m;
  }

  private collect<K extends 'param' | 'buffer'>(kind: K, recurse: boolean): [string, K extends 'param' ? Tensor : Tensor | UnsupportedTensor][] {
    const out: [string, Tensor & UnsupportedTensor][] = [];
    const seen = new Set<unknown>();
    const walk = (obj: ScriptObject, prefix: string, depth: number): void => {
      const info = this.unit.classInfoOf(obj.type);
      const names = kind === 'param' ? info?.parameters ?? [] : info?.buffers ?? [];
      for (const n of names) {
        const i = obj.type.findAttribute(n);
        const v = i >= 0 ? obj.slots[i] : undefined;
        if ((v instanceof Tensor || v instanceof UnsupportedTensor) && !seen.has(v)) {
          seen.add(v);
          out.push([prefix + n, v as Tensor & UnsupportedTensor]);
        }
      }
      if (!recurse && depth > 0) return;
      if (!recurse) return;
      obj.type.attributes.forEach((a, i) => {
        const v = obj.slots[i];
        if (v instanceof ScriptObject && v.type.isModule) walk(v, `${prefix}${a.name}.`, depth + 1);
      });
    };
    walk(this.object, '', 0);
    return out;
  }

  /** `training` flag of this module and its submodules. */
  eval(): this {
    this.setTraining(false);
    return this;
  }
  train(mode = true): this {
    this.setTraining(mode);
    return this;
  }
  private setTraining(mode: boolean): void {
    this.invalidateOptimized();
    const visit = (obj: ScriptObject): void => {
      const i = obj.type.findAttribute('training');
      if (i >= 0) obj.slots[i] = mode;
      for (const v of obj.slots) if (v instanceof ScriptObject && v.type.isModule) visit(v);
    };
    visit(this.object);
  }

  /** Moves every tensor attribute (parameters, buffers, tensor lists) to `device`. */
  to(device: DeviceType): this {
    const moved = new Map<Tensor, Tensor>();
    const mv = (t: Tensor): Tensor => {
      let m = moved.get(t);
      if (!m) {
        m = toDevice(t, device);
        m.requiresGrad = t.requiresGrad;
        moved.set(t, m);
      }
      return m;
    };
    const visitValue = (v: unknown, seen: Set<unknown>): unknown => {
      if (v instanceof Tensor) return mv(v);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = visitValue(v[i], seen);
        return v;
      }
      if (v instanceof Map) {
        for (const [k, x] of v) v.set(k, visitValue(x, seen));
        return v;
      }
      if (v instanceof ScriptObject && !seen.has(v)) {
        seen.add(v);
        for (let i = 0; i < v.slots.length; i++) v.slots[i] = visitValue(v.slots[i], seen);
      }
      return v;
    };
    visitValue(this.object, new Set());
    this.invalidateOptimized();
    return this;
  }

  toString(): string {
    return `ScriptModule(${this.typeName})`;
  }
}

/**
 * The module objects of the tree with copies of their slots, or undefined when some module is
 * training (frozen graphs are for eval mode).
 */
function evalSnapshot(root: ScriptObject): [ScriptObject, unknown[]][] | undefined {
  const out: [ScriptObject, unknown[]][] = [];
  const seen = new Set<ScriptObject>();
  const visit = (obj: ScriptObject): boolean => {
    if (seen.has(obj)) return true;
    seen.add(obj);
    const ti = obj.type.findAttribute('training');
    if (ti >= 0 && obj.slots[ti] === true) return false;
    out.push([obj, [...obj.slots]]);
    for (const v of obj.slots) {
      if (v instanceof ScriptObject && !visit(v)) return false;
      if (Array.isArray(v)) for (const e of v) if (e instanceof ScriptObject && !visit(e)) return false;
    }
    return true;
  };
  return visit(root) ? out : undefined;
}

function sameSnapshot(a: [ScriptObject, unknown[]][], b: [ScriptObject, unknown[]][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [oa, sa] = a[i]!, [ob, sb] = b[i]!;
    if (oa !== ob || sa.length !== sb.length) return false;
    for (let k = 0; k < sa.length; k++) if (sa[k] !== sb[k]) return false;
  }
  return true;
}

function toTuple(args: unknown[]): unknown {
  return tuple(args);
}
