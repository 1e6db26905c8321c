import { Tensor, toDevice, type DeviceType } from '@torchlet/core';
import {
  ClassType, Interpreter, ScriptObject, TupleValue, freezeModule, optimizeForInference, printGraph, typeToPython, type Graph, type IRType, type InferenceOptions,
} from '@torchlet/ir';
import { ScriptRuntimeError } from '../errors.js';
import { fromJs } from '../ivalue.js';
import { generateCode } from './code.js';
import type { OutputSpec } from './tracer.js';
import type { TracerWarning } from './warnings.js';

/** Converts an interpreter result back to the JS structure the traced code returned. */
export function toJs(v: unknown, spec: OutputSpec | undefined): unknown {
  if (!spec) return v;
  switch (spec.kind) {
    case 'value':
      return v;
    case 'array': {
      const a = v as unknown[];
      return spec.items.map((s, i) => toJs(a[i], s));
    }
    case 'object': {
      const m = v as Map<string, unknown>;
      const o: Record<string, unknown> = {};
      spec.keys.forEach((k, i) => (o[k] = toJs(m.get(k), spec.items[i])));
      return o;
    }
    case 'map': {
      const m = v as Map<string, unknown>;
      return new Map(spec.keys.map((k, i) => [k, toJs(m.get(k), spec.items[i])]));
    }
    default:
      return v;
  }
}

/** A method parameter (after self) as JS callers see it: name, type, compile-time default. */
export interface ParamInfo {
  name: string;
  type: IRType;
  default?: { value: unknown };
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

/** Binds JS call arguments (positional, then an optional trailing object of keyword arguments) to the parameters. */
function bindParams(params: readonly ParamInfo[], args: unknown[], where: string): unknown[] {
  let pos = args;
  let kwargs: Record<string, unknown> | undefined;
  const last = args[args.length - 1];
  const atType = params[args.length - 1]?.type;
  const dictAt = atType?.kind === 'Dict' || (atType?.kind === 'Optional' && atType.elem.kind === 'Dict');
  if (isPlainObject(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => params.some((p) => p.name === k)) && (args.length > params.length || !dictAt)) {
    kwargs = last;
    pos = args.slice(0, -1);
  }
  if (pos.length > params.length) {
    throw new ScriptRuntimeError(`${where}() takes ${params.length} argument(s) (${params.map((p) => p.name).join(', ')}) but ${pos.length} were given`);
  }
  return params.map((p, i) => {
    let v: unknown;
    if (i < pos.length) v = pos[i];
    else if (kwargs && p.name in kwargs) v = kwargs[p.name];
    else if (p.default) return p.default.value;
    else throw new ScriptRuntimeError(`${where}() is missing argument '${p.name}' (${typeToPython(p.type)})`);
    return fromJs(v, p.type, `argument '${p.name}' of ${where}()`);
  });
}

/** The parameters of a graph (after self) when no signature was recorded: its inputs' names and types. */
export function graphParams(graph: Graph, hasSelf: boolean): ParamInfo[] {
  return (hasSelf ? graph.inputs.slice(1) : graph.inputs).map((p, i) => ({ name: p.debugName ?? `input_${i}`, type: p.type }));
}

async function runWith(interp: Interpreter, graph: Graph, self: ScriptObject | undefined, params: readonly ParamInfo[], args: unknown[], where: string): Promise<unknown> {
  const bound = bindParams(params, args, where);
  const outs = await interp.run(graph, self ? [self, ...bound] : bound);
  return outs.length === 1 ? outs[0] : outs;
}

/**
 * A traced function (`torch.jit.trace(fn, inputs)`): the recorded graph, run by the IR
 * interpreter. `forward(...)` (also `call`) replays it on new inputs.
 */
/** Is every module object of the tree in eval mode (training false or absent)? */
function allEval(root: ScriptObject): boolean {
  const seen = new Set<ScriptObject>();
  const visit = (o: ScriptObject): boolean => {
    if (seen.has(o)) return true;
    seen.add(o);
    const i = o.type.findAttribute('training');
    if (i >= 0 && o.slots[i] === true) return false;
    for (const v of o.slots) if (v instanceof ScriptObject && v.type.isModule && !visit(v)) return false;
    return true;
  };
  return visit(root);
}

export class ScriptFunction {
  private readonly interp = new Interpreter();
  constructor(
    /** the forward graph (mutable: IR passes may run on it) */
    readonly ir: Graph,
    /** how the JS result is rebuilt from the graph output */
    readonly outputSpec: OutputSpec | undefined,
    /** warnings raised while tracing */
    readonly warnings: readonly TracerWarning[] = [],
  ) {}

  get name(): string {
    return this.ir.name ?? 'traced_fn';
  }
  /** The IR, printed (PyTorch's `traced.graph`). */
  get graph(): string {
    return printGraph(this.ir);
  }
  /** TorchScript-style source of the graph (PyTorch's `traced.code`). */
  get code(): string {
    return generateCode(this.ir, { name: 'forward' });
  }
  async forward(...args: unknown[]): Promise<unknown> {
    return toJs(await runWith(this.interp, this.ir, undefined, graphParams(this.ir, false), args, this.name), this.outputSpec);
  }
  call(...args: unknown[]): Promise<unknown> {
    return this.forward(...args);
  }
  toString(): string {
    return `ScriptFunction(${this.name})`;
  }
}

export interface TracedModuleOptions {
  /** free functions the graphs call (prim::CallFunction), by qualified name */
  functions?: Map<string, Graph>;
  /** JS output structure of methods, by method name */
  outputSpecs?: Map<string, OutputSpec>;
  warnings?: readonly TracerWarning[];
  /** format version of the file it was loaded from (0 for a fresh trace) */
  version?: number;
  extraFiles?: Map<string, Uint8Array>;
  /** a traced function saved as a module: forward's self is an empty object */
  isFunction?: boolean;
  /** method signatures with defaults (by graph), for calls from JS */
  signatures?: Map<Graph, ParamInfo[]>;
  /**
   * Run eval-mode methods frozen and optimised for inference (`freezeModule` +
   * `optimizeForInference`, cached per method), as loaded TorchScript modules do. Default false
   * for a fresh trace (its attributes are the live module's tensors); `torch.jit.load` turns it
   * on unless `{optimize: false}`.
   */
  optimize?: boolean | InferenceOptions;
}

/**
 * A module whose methods are IR graphs stored on its class (`type.methods`): the result of
 * tracing an nn.Module, or of loading a saved torchlet graph file. Its API follows the
 * TorchScript ScriptModule (`forward`, `graph`, `code`, `namedParameters`, `attr`, ...); the
 * attributes share the traced module's tensors.
 */
export class TracedModule {
  readonly functions: Map<string, Graph>;
  readonly outputSpecs: Map<string, OutputSpec>;
  readonly warnings: readonly TracerWarning[];
  readonly isFunction: boolean;
  /** method signatures (defaults, keyword names) by graph; graphs without one take their inputs */
  readonly signatures: Map<Graph, ParamInfo[]>;
  private readonly interp: Interpreter;
  private readonly meta: { version: number; extraFiles: Map<string, Uint8Array> };
  private readonly optimize: boolean | InferenceOptions;
  /** frozen + optimised graphs by method (null: the method cannot be frozen) */
  private optimized = new Map<string, Graph | null>();

  constructor(
    readonly object: ScriptObject,
    opts: TracedModuleOptions = {},
  ) {
    this.functions = opts.functions ?? new Map();
    this.outputSpecs = opts.outputSpecs ?? new Map();
    this.warnings = opts.warnings ?? [];
    this.isFunction = opts.isFunction ?? false;
    this.signatures = opts.signatures ?? new Map();
    this.optimize = opts.optimize ?? false;
    this.meta = { version: opts.version ?? 0, extraFiles: opts.extraFiles ?? new Map() };
    this.interp = new Interpreter({ resolveFunction: (q) => this.functions.get(q) });
  }

  get type(): ClassType {
    return this.object.type;
  }
  get typeName(): string {
    return this.object.type.name;
  }
  /** Format version of the file it was loaded from (0 for a fresh trace). */
  get version(): number {
    return this.meta.version;
  }
  /** Extra files saved with the module (`jit.save(m, {extraFiles})`). */
  get extraFiles(): ReadonlyMap<string, Uint8Array> {
    return this.meta.extraFiles;
  }
  get methods(): string[] {
    return [...this.type.methods.keys()];
  }
  hasMethod(name: string): boolean {
    return this.type.methods.has(name);
  }
  methodGraph(name: string): Graph {
    const g = this.type.methods.get(name);
    if (!g || typeof g === 'function') throw new ScriptRuntimeError(`${this.typeName} has no method '${name}' (it has: ${this.methods.join(', ') || 'none'})`);
    return g as Graph;
  }
  /** The forward graph (mutable: IR passes may run on it). */
  get ir(): Graph {
    return this.methodGraph('forward');
  }
  /** The IR of forward, printed. */
  get graph(): string {
    return printGraph(this.ir);
  }
  /** TorchScript-style source of every method. */
  get code(): string {
    return this.methods.map((m) => generateCode(this.methodGraph(m), { name: m, self: true })).join('\n');
  }
  get codeFiles(): ReadonlyMap<string, string> {
    return new Map([[`code/${this.typeName.replace(/\./g, '/')}.py`, this.code]]);
  }
  /** Ops the graphs call that the registry lacks (none: traced graphs only hold registry ops). */
  unsupportedOps(): Map<string, { file: string; line: number; col: number }> {
    return new Map();
  }
  get compileErrors(): readonly Error[] {
    return [];
  }

  forward(...args: unknown[]): Promise<unknown> {
    return this.call('forward', ...args);
  }
  /** Calls the module like `module(x)` (traced modules have no hooks): same as forward. */
  invoke(...args: unknown[]): Promise<unknown> {
    return this.forward(...args);
  }
  async call(method: string, ...args: unknown[]): Promise<unknown> {
    const g = this.methodGraph(method);
    const run = this.optimizedGraph(method) ?? g;
    const r = await runWith(this.interp, run, this.object, this.signatures.get(g) ?? graphParams(g, true), args, `${this.typeName}.${method}`);
    return toJs(r, this.outputSpecs.get(method));
  }

  /**
   * The graph `call(method)` runs when optimisation is on and every module of the tree is in
   * eval mode: `optimizeForInference(freezeModule(...))`, made on first use and cached until
   * setAttr / train / eval / to. After editing weights in place, call `invalidateOptimized()`
   * (folded weights are copies).
   */
  optimizedGraph(method = 'forward'): Graph | undefined {
    if (this.optimize === false || !allEval(this.object)) return undefined;
    const hit = this.optimized.get(method);
    if (hit !== undefined) return hit ?? undefined;
    let g: Graph | undefined;
    try {
      g = freezeModule(this.methodGraph(method), this.object, (o, name) => o.type.methods.get(name), (q) => this.functions.get(q));
      if (g) optimizeForInference(g, typeof this.optimize === 'object' ? this.optimize : {});
    } catch {
      g = undefined;
    }
    this.optimized.set(method, g ?? null);
    return g;
  }

  /** Drops the frozen graphs (they are rebuilt on the next call). */
  invalidateOptimized(): void {
    this.optimized = new Map();
  }

  /** An attribute: submodules come back as TracedModules sharing this one's functions. */
  attr(name: string): unknown {
    const v = this.object.getAttr(name);
    return v instanceof ScriptObject && v.type.isModule ? this.wrap(v) : v;
  }
  hasAttr(name: string): boolean {
    return this.object.type.findAttribute(name) >= 0 || this.object.type.constants.has(name);
  }
  setAttr(name: string, value: unknown): void {
    const t = this.object.type.attributeType(name);
    if (!t) throw new ScriptRuntimeError(`${this.typeName} has no attribute '${name}'`);
    this.object.setAttr(name, fromJs(value, t, `attribute '${name}'`));
    this.invalidateOptimized();
  }
  private wrap(o: ScriptObject): TracedModule {
    return new TracedModule(o, { functions: this.functions, version: this.version, extraFiles: this.meta.extraFiles, signatures: this.signatures, optimize: this.optimize });
  }

  namedChildren(): [string, TracedModule][] {
    const out: [string, TracedModule][] = [];
    this.object.type.attributes.forEach((a, i) => {
      const v = this.object.slots[i];
      if (a.type instanceof ClassType && a.type.isModule && v instanceof ScriptObject) out.push([a.name, this.wrap(v)]);
    });
    return out;
  }
  namedParameters(recurse = true): [string, Tensor][] {
    return this.collect((a) => !!a.isParameter, recurse);
  }
  namedBuffers(recurse = true): [string, Tensor][] {
    return this.collect((a) => !!a.isBuffer, recurse);
  }
  parameters(recurse = true): Tensor[] {
    return this.namedParameters(recurse).map(([, t]) => t);
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, t]) => t);
  }
  /** Parameters then buffers of each module, children after their parent (PyTorch's state_dict order). */
  stateDict(): Map<string, Tensor> {
    const m = new Map<string, Tensor>();
    const walk = (obj: ScriptObject, prefix: string): void => {
      const attrs = obj.type.attributes;
      for (const pass of [0, 1]) {
        attrs.forEach((a, i) => {
          const v = obj.slots[i];
          if ((pass === 0 ? a.isParameter : a.isBuffer) && v instanceof Tensor) m.set(prefix + a.name, v);
        });
      }
      attrs.forEach((a, i) => {
        const v = obj.slots[i];
        if (v instanceof ScriptObject && v.type.isModule) walk(v, `${prefix}${a.name}.`);
      });
    };
    walk(this.object, '');
    return m;
  }
  private collect(pick: (a: ClassType['attributes'][number]) => boolean, recurse: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const walk = (obj: ScriptObject, prefix: string): void => {
      obj.type.attributes.forEach((a, i) => {
        const v = obj.slots[i];
        if (pick(a) && v instanceof Tensor && !seen.has(v)) {
          seen.add(v);
          out.push([prefix + a.name, v]);
        }
      });
      if (!recurse) return;
      obj.type.attributes.forEach((a, i) => {
        const v = obj.slots[i];
        if (v instanceof ScriptObject && v.type.isModule) walk(v, `${prefix}${a.name}.`);
      });
    };
    walk(this.object, '');
    return out;
  }

  /**
   * Sets the `training` attribute of every module. A traced graph was recorded in one mode:
   * this changes what `attr('training')` reads, not the recorded ops (as in PyTorch).
   */
  eval(): this {
    return this.train(false);
  }
  train(mode = true): this {
    const visit = (obj: ScriptObject): void => {
      const i = obj.type.findAttribute('training');
      if (i >= 0) obj.slots[i] = mode;
      for (const v of obj.slots) if (v instanceof ScriptObject && v.type.isModule) visit(v);
    };
    visit(this.object);
    this.invalidateOptimized();
    return this;
  }

  /** Moves every tensor attribute to `device`. */
  to(device: DeviceType): this {
    const moved = new Map<Tensor, Tensor>();
    const seen = new Set<ScriptObject>();
    const visit = (v: unknown): unknown => {
      if (v instanceof Tensor) {
        let m = moved.get(v);
        if (!m) moved.set(v, (m = toDevice(v, device)));
        return m;
      }
      if (v instanceof TupleValue) return v;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = visit(v[i]);
        return v;
      }
      if (v instanceof ScriptObject && !seen.has(v)) {
        seen.add(v);
        for (let i = 0; i < v.slots.length; i++) v.slots[i] = visit(v.slots[i]);
      }
      return v;
    };
    visit(this.object);
    this.invalidateOptimized();
    return this;
  }

  toString(): string {
    return `TracedModule(${this.typeName})`;
  }
}
