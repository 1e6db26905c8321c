/**
 * The one interpreter: runs a Graph on runtime values (see values.ts for the representation).
 *
 * - prim:: control and data nodes (If, Loop, GetAttr/SetAttr, CallMethod/CallFunction,
 *   tuple/list/dict construction, RaiseException, ...) are evaluated here; every other node is
 *   a registry op run with `runOverload` (its `overload` key, or one resolved once from the
 *   inputs' static types).
 * - int vs float: a float-typed Value feeding a `Tensor` parameter becomes a wrapped float64
 *   scalar tensor (so `torch.add(int_tensor, 2.0)` promotes to float); an integral float
 *   feeding a `Scalar` parameter is wrapped the same way when the op is an internal builtin or
 *   has an integral tensor argument (where promotion depends on it).
 * - Memory: every tensor a registry op returns (that is not one of its inputs) is owned by the
 *   run. It is disposed right after the last use of the last Value holding it (liveness), unless
 *   it was stored into a list/tuple/dict/object. Whatever is left when the run ends is disposed
 *   unless reachable from the inputs (e.g. stored on a module) or the outputs.
 * - Device reads are awaited only where a host value is needed (Int/Float/Bool/item of a
 *   non-CPU tensor, data-dependent ops).
 * - `TORCHLET_DEBUG=1` prints each graph the first time it runs.
 */
import {
  Tensor, getBackend, getRegistry, isFloating, parseDType, runOverload, toDevice, wrapScalar, type Args, type Overload,
  type SchemaArg, type SchemaType,
} from '@torchlet/core';
import { formatSource, prim, type Block, type Graph, type Node, type SourceLocation, type Value } from './graph.js';
import { printGraph, printNode } from './printer.js';
import { parseType } from './parser.js';
import { computeLiveness } from './passes/liveness.js';
import { argAliases, argEscapes, matchNodeOverload, schemaDefault, schemaOf } from './schema_match.js';
import { isSubtype, typesEqual, type ClassType, type IRType, type NativeFunction } from './types.js';
import { ScriptObject, TupleValue, tuple, type IValue } from './values.js';

/** Something the interpreter can call: a graph (methods take self first) or a native function. */
export type Callable = Graph | NativeFunction;

export interface InterpreterOptions {
  /** a method of an object whose class has no entry in `type.methods` (lazy compilation) */
  resolveMethod?: (obj: ScriptObject, name: string) => Callable | undefined;
  /** a free function by qualified name (`__torch__.torch.nn.functional.relu`) */
  resolveFunction?: (qualifiedName: string) => Callable | undefined;
  /** prim::Print output (default console.log) */
  print?: (line: string) => void;
  /** print graphs before running them (default: TORCHLET_DEBUG=1 in the environment) */
  debug?: boolean;
}

/** An error raised by a node (prim::RaiseException or a failing op), with its location. */
export class ScriptError extends Error {
  /** `builtins.ValueError` for RaiseException with a class, else undefined */
  pythonClass: string | undefined;
  /** innermost first: where it happened, then the call sites */
  readonly trace: { node: string; source?: SourceLocation }[] = [];
  /** the failing node (not enumerable: error reporters that walk properties must not walk the graph) */
  declare readonly node: Node;
  constructor(
    message: string,
    node: Node,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ScriptError';
    Object.defineProperty(this, 'node', { value: node, enumerable: false });
  }
  /** the first line of the message (without locations) */
  get reason(): string {
    return this.message.split('\n')[0]!;
  }
}

const HOST_OPS = new Set([
  'aten::Int.Tensor', 'aten::Float.Tensor', 'aten::Bool.Tensor', 'aten::item', 'aten::ScalarImplicit', 'aten::IntImplicit',
  'aten::FloatImplicit', 'aten::eq.Tensor_list', 'aten::ne.Tensor_list', 'aten::str', 'aten::format', 'aten::is_nonzero',
  'aten::equal', 'aten::tolist', 'prim::tolist',
]);
/** internal ops whose `t`/varargs arguments are only printed: float-typed values inside them are marked */
const FORMAT_OPS = new Set(['aten::str', 'aten::format', 'aten::tensor', 'aten::as_tensor.list']);

function debugFromEnv(): boolean {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.TORCHLET_DEBUG === '1';
}

// ---------------------------------------------------------------------------------------- plans

interface OpPlan {
  ov: Overload;
  /** schema args in order */
  args: readonly SchemaArg[];
  /** static IR types of the schema args are not needed; the input Values carry theirs */
  escapes: readonly boolean[];
  /** some argument escapes (goes into a container the op mutates) */
  anyEscapes: boolean;
  internal: boolean;
  host: boolean;
  /** number of results the schema returns as a tuple (-1: a single value) */
  tupleReturns: number;
  defaults: unknown[];
  /** per input: its value goes to the registry as it is (no conversion for its schema/static type) */
  direct: boolean[];
  /** str/format/tensor: float-typed values inside the arguments are marked */
  markFloats: boolean;
  /** a float-typed value feeds a Scalar argument (wrapping depends on integral tensor arguments) */
  floatToScalar: boolean;
  /** some output's static type turns arrays into tuples */
  typedOuts: boolean;
}

type MaybePromise<T> = T | Promise<T>;

/** A node with what the interpreter caches about it. */
interface Step {
  readonly node: Node;
  /** registry op: its plan, built the first time the node runs */
  op: OpPlan | undefined;
  /** prim::Constant with an immutable value (tensor, number, string, None): the value, once run */
  constant: IValue | typeof NOT_CACHED;
  /** values whose last use is this node */
  readonly dies: readonly Value[] | undefined;
}

interface BlockPlan {
  readonly steps: readonly Step[];
  readonly deadParams: readonly Value[];
  readonly diesAtEnd: readonly Value[];
}

interface GraphPlan {
  version: number;
  /** size of a frame (Values are indexed by id) */
  frameSize: number;
  blocks: Map<Block, BlockPlan>;
  isinstance: Map<Node, IRType[]>;
}

const NOT_CACHED: unique symbol = Symbol('not cached');
/** a frame slot with no value (never defined, or freed) */
const UNSET: unique symbol = Symbol('unset');

/** Per-run ownership of tensors. */
class RunState {
  /** live Value slots holding each tensor */
  readonly refs = new Map<Tensor, number>();
  /** tensors the run created (op results that are not op inputs) */
  readonly created = new Set<Tensor>();
  /** created tensors stored into a container or object: freed only by the final sweep */
  readonly escaped = new Set<Tensor>();

  hold(v: IValue): void {
    if (v instanceof Tensor) this.refs.set(v, (this.refs.get(v) ?? 0) + 1);
  }
  release(v: IValue): void {
    if (!(v instanceof Tensor)) return;
    const n = (this.refs.get(v) ?? 0) - 1;
    if (n > 0) {
      this.refs.set(v, n);
      return;
    }
    this.refs.delete(v);
    if (this.created.has(v) && !this.escaped.has(v)) {
      this.created.delete(v);
      v.dispose();
    }
  }
  escape(v: IValue): void {
    if (v instanceof Tensor) {
      if (this.created.has(v)) this.escaped.add(v);
    } else if (Array.isArray(v)) for (const e of v) this.escape(e);
    else if (v instanceof Map) for (const [k, e] of v) {
      this.escape(k);
      this.escape(e);
    }
  }
  /** disposes created tensors that are not reachable from `roots` */
  sweep(roots: readonly IValue[]): void {
    if (this.created.size === 0) return;
    const keep = new Set<Tensor>();
    const seen = new Set<object>();
    const walk = (v: IValue): void => {
      if (v instanceof Tensor) keep.add(v);
      else if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return;
        seen.add(v);
        if (Array.isArray(v)) for (const e of v) walk(e);
        else if (v instanceof Map) for (const [k, e] of v) {
          walk(k);
          walk(e);
        }
        else if (v instanceof ScriptObject) for (const e of v.slots) walk(e);
      }
    };
    for (const r of roots) walk(r);
    for (const t of this.created) if (!keep.has(t)) t.dispose();
    this.created.clear();
    this.escaped.clear();
    this.refs.clear();
  }
}

/** Runtime values of one graph invocation, indexed by Value id. */
type Env = (IValue | typeof UNSET)[];

export class Interpreter {
  private readonly plans = new WeakMap<Graph, GraphPlan>();
  private readonly printed = new WeakSet<Graph>();
  private readonly debug: boolean;

  constructor(readonly options: InterpreterOptions = {}) {
    this.debug = options.debug ?? debugFromEnv();
  }

  /**
   * Runs `graph` on `inputs`; resolves to its outputs. Inputs are never freed; intermediate
   * tensors are. The caller owns the returned tensors.
   */
  async run(graph: Graph, inputs: readonly IValue[]): Promise<IValue[]> {
    const st = new RunState();
    let outs: IValue[] | undefined;
    try {
      const r = this.invoke(graph, inputs, st);
      outs = r instanceof Promise ? await r : r;
      return outs;
    } finally {
      for (const o of outs ?? []) st.escape(o);
      st.sweep([...inputs, ...(outs ?? [])]);
    }
  }

  /** Calls a callable (graph or native function) the way prim::CallMethod does; for tests and loaders. */
  async call(c: Callable, args: readonly IValue[]): Promise<IValue[]> {
    if (typeof c === 'function') return [await c([...args])];
    return this.run(c, args);
  }

  /** Drops cached analyses of `graph` (they are also rebuilt automatically when it changes). */
  invalidate(graph: Graph): void {
    this.plans.delete(graph);
  }

  // ------------------------------------------------------------------ graph invocation

  private plan(g: Graph): GraphPlan {
    let p = this.plans.get(g);
    if (!p || p.version !== g.version) {
      const blocks = new Map<Block, BlockPlan>();
      for (const [b, live] of computeLiveness(g).blocks) {
        const steps: Step[] = [];
        for (let n = b.firstNode; n; n = n.next) steps.push({ node: n, op: undefined, constant: NOT_CACHED, dies: live.diesAfter.get(n) });
        blocks.set(b, { steps, deadParams: live.deadParams, diesAtEnd: live.diesAtEnd });
      }
      p = { version: g.version, frameSize: g.valueIdBound, blocks, isinstance: new Map() };
      this.plans.set(g, p);
    }
    return p;
  }

  /** Runs a graph; synchronous unless a node has to wait (a device read, an async native call). */
  private invoke(g: Graph, inputs: readonly IValue[], st: RunState): MaybePromise<IValue[]> {
    if (inputs.length !== g.inputs.length) {
      throw new Error(`${g.name ?? 'graph'} expects ${g.inputs.length} inputs (${g.inputs.map((v) => v.toString()).join(', ')}), got ${inputs.length}`);
    }
    if (this.debug && !this.printed.has(g)) {
      this.printed.add(g);
      console.log(`[torchlet] running ${g.name ?? 'graph'}:\n${printGraph(g)}`);
    }
    const plan = this.plan(g);
    const env: Env = new Array<IValue | typeof UNSET>(plan.frameSize).fill(UNSET);
    return this.runBlock(g.block, inputs, env, plan, st);
  }

  /**
   * Runs a block with `params`; returns its return values with one reference held for the
   * caller (who must store them into Value slots without holding again, or release them).
   * Synchronous until a node returns a promise; the rest of the block then continues after it.
   */
  private runBlock(b: Block, params: readonly IValue[], env: Env, plan: GraphPlan, st: RunState): MaybePromise<IValue[]> {
    const bp = plan.blocks.get(b)!;
    const ps = b.params;
    for (let i = 0; i < ps.length; i++) {
      env[ps[i]!.id] = params[i];
      st.hold(params[i]);
    }
    for (const p of bp.deadParams) this.kill(p, env, st);
    return this.runSteps(0, b, bp, env, plan, st);
  }

  private runSteps(from: number, b: Block, bp: BlockPlan, env: Env, plan: GraphPlan, st: RunState): MaybePromise<IValue[]> {
    const steps = bp.steps;
    for (let k = from; k < steps.length; k++) {
      const step = steps[k]!;
      const r = this.execNode(step, env, plan, st);
      if (r !== undefined) {
        return r.then(() => {
          if (step.dies) for (const v of step.dies) this.kill(v, env, st);
          return this.runSteps(k + 1, b, bp, env, plan, st);
        });
      }
      if (step.dies) for (const v of step.dies) this.kill(v, env, st);
    }
    const rets = b.returns.map((v) => this.get(v, env));
    for (const r of rets) st.hold(r);
    for (const v of bp.diesAtEnd) this.kill(v, env, st);
    return rets;
  }

  private kill(v: Value, env: Env, st: RunState): void {
    const x = env[v.id];
    if (x === UNSET) return;
    env[v.id] = UNSET;
    st.release(x);
  }

  /** Stores a node result into its Value slot (taking one reference). */
  private define(v: Value, x: IValue, env: Env, st: RunState): void {
    env[v.id] = x;
    st.hold(x);
  }

  private get(v: Value, env: Env): IValue {
    const x = env[v.id];
    if (x === UNSET) throw new Error(`internal: value ${v} has no runtime value (used after it was freed, or defined in a block that did not run)`);
    return x;
  }

  // ------------------------------------------------------------------ nodes

  private execNode(step: Step, env: Env, plan: GraphPlan, st: RunState): void | Promise<void> {
    const n = step.node;
    try {
      // registry ops (most nodes) go straight to their cached plan
      const op = step.op;
      if (op) {
        const r = this.runOp(n, op, env, st);
        if (r !== undefined) return r.catch((e: unknown) => Promise.reject(this.wrapError(e, n)));
        return undefined;
      }
      if (step.constant !== NOT_CACHED) {
        this.define(n.outputs[0]!, step.constant, env, st);
        return undefined;
      }
      const r = this.execNodeInner(step, env, plan, st);
      if (r !== undefined) return r.catch((e: unknown) => Promise.reject(this.wrapError(e, n)));
      return undefined;
    } catch (e) {
      throw this.wrapError(e, n);
    }
  }

  private wrapError(e: unknown, n: Node): ScriptError {
    if (e instanceof ScriptError) {
      // an error from a called graph: add this call site
      if (e.trace[e.trace.length - 1]?.node !== printNode(n)) {
        e.trace.push(n.source ? { node: printNode(n), source: n.source } : { node: printNode(n) });
        e.message += `\n  called from: ${n.kind}${n.source ? ` at ${formatSource(n.source)}` : ''}${n.source?.text ? `\n    ${n.source.text.trim()}` : ''}`;
      }
      return e;
    }
    const msg = e instanceof Error ? e.message : String(e);
    const where = n.source ? ` at ${formatSource(n.source)}` : '';
    const text = n.source?.text ? `\n    ${n.source.text.trim()}` : '';
    const err = new ScriptError(`${msg}\n  in node: ${printNode(n)}${where ? `\n  source:${where}` : ''}${text}`, n, e);
    err.trace.push(n.source ? { node: printNode(n), source: n.source } : { node: printNode(n) });
    if (e instanceof Error && e.stack) err.stack = `${err.name}: ${err.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
    return err;
  }

  private execNodeInner(step: Step, env: Env, plan: GraphPlan, st: RunState): void | Promise<void> {
    const n = step.node;
    switch (n.kind) {
      case prim.Constant: {
        const v = n.hasAttr('value') ? n.attr('value') : null;
        if (typeof v !== 'object' || v === null || v instanceof Tensor || (isFlatList(v) && onlyReadByOps(n.output()))) {
          // immutable (or only read): the plan can hand it out directly next time
          step.constant = v;
        }
        this.define(n.outputs[0]!, freshConstant(v), env, st);
        return;
      }
      case prim.If: {
        const c = this.get(n.inputs[0]!, env);
        return this.runIf(n, truthy(c), env, plan, st);
      }
      case prim.Loop:
        return this.runLoop(n, env, plan, st);
      case prim.GetAttr: {
        const obj = this.get(n.inputs[0]!, env);
        const name = n.s('name');
        if (obj instanceof ScriptObject) this.define(n.outputs[0]!, obj.getAttr(name), env, st);
        else if (obj instanceof TupleValue && obj.namedType) this.define(n.outputs[0]!, obj.field(name), env, st);
        else throw new TypeError(`cannot read attribute '${name}' of ${describe(obj)}`);
        return;
      }
      case prim.SetAttr: {
        const obj = this.get(n.inputs[0]!, env);
        if (!(obj instanceof ScriptObject)) throw new TypeError(`cannot set attribute '${n.s('name')}' of ${describe(obj)}`);
        const v = this.get(n.inputs[1]!, env);
        st.escape(v);
        obj.setAttr(n.s('name'), v);
        return;
      }
      case prim.CallMethod: {
        const obj = this.get(n.inputs[0]!, env);
        if (!(obj instanceof ScriptObject)) throw new TypeError(`cannot call method '${n.s('name')}' of ${describe(obj)}`);
        const fn = this.method(obj, n.s('name'));
        return this.callAndBind(n, fn, n.inputs.map((v) => this.get(v, env)), env, st);
      }
      case prim.CallFunction: {
        const name = n.s('name');
        const fn = this.options.resolveFunction?.(name);
        if (!fn) throw new Error(`unknown function '${name}' (no resolveFunction callback provides it)`);
        return this.callAndBind(n, fn, n.inputs.map((v) => this.get(v, env)), env, st);
      }
      case prim.Enter: {
        const obj = this.get(n.inputs[0]!, env);
        if (!(obj instanceof ScriptObject)) throw new TypeError(`'with' needs an object, got ${describe(obj)}`);
        return this.callAndBind(n, this.method(obj, '__enter__'), [obj], env, st);
      }
      case prim.Exit: {
        const obj = this.get(n.inputs[0]!, env);
        if (!(obj instanceof ScriptObject)) throw new TypeError(`'with' needs an object, got ${describe(obj)}`);
        const fn = this.method(obj, '__exit__');
        const arity = typeof fn === 'function' ? 4 : fn.inputs.length;
        return this.callAndBind(n, fn, [obj, ...new Array<null>(Math.max(0, arity - 1)).fill(null)], env, st);
      }
      case prim.CreateObject: {
        const t = n.output().type;
        if (t.kind !== 'Class') throw new TypeError(`prim::CreateObject needs a class output type, got ${t.kind}`);
        this.define(n.outputs[0]!, new ScriptObject(t as ClassType), env, st);
        return;
      }
      case prim.TupleConstruct: {
        const items = n.inputs.map((v) => this.get(v, env));
        for (const x of items) st.escape(x);
        const t = n.output().type;
        this.define(n.outputs[0]!, tuple(items, t.kind === 'Tuple' && t.name ? t : undefined), env, st);
        return;
      }
      case prim.ListConstruct: {
        const items = n.inputs.map((v) => this.get(v, env));
        for (const x of items) st.escape(x);
        this.define(n.outputs[0]!, items, env, st);
        return;
      }
      case prim.DictConstruct: {
        const m = new Map<unknown, unknown>();
        for (let i = 0; i + 1 < n.inputs.length; i += 2) {
          const k = this.get(n.inputs[i]!, env), v = this.get(n.inputs[i + 1]!, env);
          st.escape(k);
          st.escape(v);
          m.set(k, v);
        }
        this.define(n.outputs[0]!, m, env, st);
        return;
      }
      case prim.TupleUnpack:
      case prim.ListUnpack: {
        const t = this.get(n.inputs[0]!, env);
        if (!Array.isArray(t)) throw new TypeError(`cannot unpack ${describe(t)}`);
        if (t.length !== n.outputs.length) {
          throw new RangeError(n.kind === prim.ListUnpack ? `Expected ${n.outputs.length} elements in a list but found ${t.length}` : `expected a tuple of ${n.outputs.length} elements, got ${t.length}`);
        }
        t.forEach((x, i) => this.define(n.outputs[i]!, x, env, st));
        return;
      }
      case prim.TupleIndex: {
        const t = this.get(n.inputs[0]!, env) as unknown[];
        const i = Number(this.get(n.inputs[1]!, env));
        const j = i < 0 ? i + t.length : i;
        if (j < 0 || j >= t.length) throw new RangeError('tuple index out of range');
        this.define(n.outputs[0]!, t[j], env, st);
        return;
      }
      case prim.TupleSlice: {
        const t = this.get(n.inputs[0]!, env) as unknown[];
        const beg = Number(n.attr('beg')), end = n.hasAttr('end') ? Number(n.attr('end')) : t.length;
        const step = n.hasAttr('step') ? Number(n.attr('step')) : 1;
        const items: unknown[] = [];
        for (let i = beg; i < Math.min(end, t.length); i += step) items.push(t[i]);
        this.define(n.outputs[0]!, tuple(items), env, st);
        return;
      }
      case prim.RaiseException: {
        const msg = String(this.get(n.inputs[0]!, env));
        const cls = n.inputs.length > 1 ? this.get(n.inputs[1]!, env) : null;
        // PyTorch's wording: `builtins.ValueError: msg`, `RuntimeError: AssertionError: msg`
        const err = new ScriptError(`${typeof cls === 'string' ? cls : 'RuntimeError'}: ${msg}${n.source ? `\n  raised at ${formatSource(n.source)}` : ''}${n.source?.text ? `\n    ${n.source.text.trim()}` : ''}`, n);
        err.pythonClass = typeof cls === 'string' ? cls : undefined;
        err.trace.push(n.source ? { node: printNode(n), source: n.source } : { node: printNode(n) });
        throw err;
      }
      case prim.Uninitialized:
        this.define(n.outputs[0]!, undefined, env, st);
        return;
      case prim.uncheckedCast:
        this.define(n.outputs[0]!, this.get(n.inputs[0]!, env), env, st);
        return;
      case prim.isinstance: {
        let types = plan.isinstance.get(n);
        if (!types) {
          const names = n.attr('types');
          types = (Array.isArray(names) ? names : [names]).map((s) => parseType(String(s)));
          plan.isinstance.set(n, types);
        }
        const v = this.get(n.inputs[0]!, env), st0 = n.input().type;
        this.define(n.outputs[0]!, types.some((t) => isInstance(v, st0, t)), env, st);
        return;
      }
      case prim.Print: {
        const temps: Tensor[] = [];
        const parts = n.inputs.map((v, i) => formatForPrint(this.get(n.inputs[i]!, env), v.type, temps));
        (this.options.print ?? console.log)(parts.join(' '));
        for (const t of temps) t.dispose();
        return;
      }
      default: {
        const p = makeOpPlan(n);
        step.op = p;
        return this.runOp(n, p, env, st);
      }
    }
  }

  private method(obj: ScriptObject, name: string): Callable {
    const m = obj.type.methods.get(name) as Callable | undefined;
    const fn = m ?? this.options.resolveMethod?.(obj, name);
    if (!fn) throw new Error(`'${obj.type.name}' object has no method '${name}'`);
    return fn;
  }

  private callAndBind(n: Node, fn: Callable, args: IValue[], env: Env, st: RunState): void | Promise<void> {
    if (typeof fn === 'function') {
      const bindNative = (r: IValue): void => {
        const results = n.outputs.length === 1 ? [r] : n.outputs.length === 0 ? [] : (r as IValue[]);
        for (const r2 of results) st.hold(r2);
        this.bindResults(n, results, env, st);
      };
      const r = fn(args);
      if (r instanceof Promise) return r.then(bindNative);
      bindNative(r);
      return;
    }
    const r = this.invoke(fn, args, st);
    if (r instanceof Promise) return r.then((results) => this.bindResults(n, results, env, st));
    this.bindResults(n, r, env, st);
  }

  /** Stores a callee's results (one reference held each) into the call node's outputs. */
  private bindResults(n: Node, results: IValue[], env: Env, st: RunState): void {
    if (n.outputs.length === 0) {
      // a procedure (e.g. __exit__ returning None): drop its result
      for (const r of results) st.release(r);
      return;
    }
    if (results.length !== n.outputs.length) throw new Error(`${n.kind}: callee returned ${results.length} values for ${n.outputs.length} outputs`);
    // the callee's references move into our Value slots
    n.outputs.forEach((o, i) => (env[o.id] = results[i]));
  }

  private runIf(n: Node, cond: boolean, env: Env, plan: GraphPlan, st: RunState): void | Promise<void> {
    const b = n.blocks[cond ? 0 : 1];
    if (!b) throw new Error('prim::If needs two blocks');
    const bind = (rets: IValue[]): void => {
      const outs = n.outputs;
      for (let i = 0; i < outs.length; i++) env[outs[i]!.id] = rets[i];
    };
    const r = this.runBlock(b, [], env, plan, st);
    if (r instanceof Promise) return r.then(bind);
    bind(r);
  }

  private runLoop(n: Node, env: Env, plan: GraphPlan, st: RunState): void | Promise<void> {
    const maxTrip = Number(this.get(n.inputs[0]!, env));
    let cond = truthy(this.get(n.inputs[1]!, env));
    const nCarried = n.inputs.length - 2;
    let carried: IValue[] = new Array(nCarried);
    for (let k = 0; k < nCarried; k++) {
      carried[k] = this.get(n.inputs[k + 2]!, env);
      st.hold(carried[k]);
    }
    const body = n.blocks[0]!;
    let i = 0;
    // one iteration's results: the carried values move on, the condition is read and dropped
    const next = (rets: IValue[]): void => {
      for (const c of carried) st.release(c);
      cond = truthy(rets[0]);
      st.release(rets[0]);
      carried = rets.slice(1);
      i++;
    };
    const finish = (): void => {
      const outs = n.outputs;
      for (let k = 0; k < outs.length; k++) env[outs[k]!.id] = carried[k];
    };
    const params = (): IValue[] => {
      const ps: IValue[] = new Array(nCarried + 1);
      ps[0] = i;
      for (let k = 0; k < nCarried; k++) ps[k + 1] = carried[k];
      return ps;
    };
    while (cond && i < maxTrip) {
      const r = this.runBlock(body, params(), env, plan, st);
      if (r instanceof Promise) {
        return (async () => {
          next(await r);
          while (cond && i < maxTrip) {
            const r2 = this.runBlock(body, params(), env, plan, st);
            next(r2 instanceof Promise ? await r2 : r2);
          }
          finish();
        })();
      }
      next(r);
    }
    finish();
  }

  // ------------------------------------------------------------------ registry ops

  private runOp(n: Node, p: OpPlan, env: Env, st: RunState): void | Promise<void> {
    const ins = n.inputs;
    const values: IValue[] = new Array(ins.length);
    for (let i = 0; i < ins.length; i++) values[i] = this.get(ins[i]!, env);
    if (p.host && values.some(onDevice)) return this.runOpOnHost(n, p, values, env, st);
    this.runOpWith(n, p, values, env, st);
  }

  private async runOpOnHost(n: Node, p: OpPlan, values: IValue[], env: Env, st: RunState): Promise<void> {
    const device = (values.find(onDevice) as Tensor).device;
    const temps: Tensor[] = [];
    const host = await Promise.all(values.map((v) => toHost(v, temps)));
    try {
      this.runOpWith(n, p, host, env, st, (t) => toDevice(t, device));
    } finally {
      for (const t of temps) t.dispose();
    }
  }

  private runOpWith(n: Node, p: OpPlan, values: IValue[], env: Env, st: RunState, moveResult?: (t: Tensor) => Tensor): void {
    const results = callOpNode(n, p, values);
    if (p.anyEscapes) for (let i = 0; i < values.length && i < p.escapes.length; i++) if (p.escapes[i]) st.escape(values[i]);
    const inputs = new InputTensors(values);
    const outs = n.outputs;
    for (let i = 0; i < outs.length; i++) {
      let x = results[i];
      if (moveResult) x = mapTensors(x, moveResult);
      this.adopt(x, inputs, st);
      this.define(outs[i]!, x, env, st);
    }
  }

  /** Records the tensors of an op result that the run now owns. */
  private adopt(x: IValue, inputs: InputTensors, st: RunState): void {
    if (x instanceof Tensor) {
      if (!inputs.has(x)) st.created.add(x);
    } else if (Array.isArray(x)) {
      for (const e of x) {
        if (e instanceof Tensor && !inputs.has(e)) {
          st.created.add(e);
          st.escaped.add(e);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------- op calls

/** Resolves the registry overload of an op node (its `overload` key, else from its inputs' static types). */
export function resolveNodeOverload(n: Node): Overload {
  const reg = getRegistry();
  if (n.overload !== undefined) {
    const ov = reg.overload(n.overload);
    if (!ov) throw new Error(`op overload '${n.overload}' is not in torchlet's op registry`);
    return ov;
  }
  return matchNodeOverload(n.kind, n.inputs.map((v) => v.type), reg).overload;
}

function makeOpPlan(n: Node): OpPlan {
  const ov = resolveNodeOverload(n);
  const s = ov.schema;
  const sargs = schemaOf(ov).args;
  const defaults = s.args.map((a, i) => (a.hasDefault ? toRegistryValue(schemaDefault(sargs[i]!).value, a.type, undefined, []) : null));
  for (let i = n.inputs.length; i < s.args.length; i++) {
    const a = s.args[i]!;
    if (!a.hasDefault && a.type.kind !== 'optional') throw new Error(`${ov.key}: missing required argument '${a.name}' (the node has ${n.inputs.length} inputs)`);
  }
  const tupleReturns = s.returnsTuple && s.returns.length !== 1 ? s.returns.length : s.varargs && n.outputs.length !== 1 ? n.outputs.length : -1;
  const escapes = argEscapes(ov);
  const markFloats = FORMAT_OPS.has(ov.key);
  const direct = n.inputs.map((v, i) => !markFloats && i < s.args.length && passesDirectly(s.args[i]!.type, v.type));
  const floatToScalar = n.inputs.some((v, i) => i < s.args.length && isScalarParam(s.args[i]!.type) && isFloatType(v.type));
  return {
    ov,
    args: s.args,
    escapes,
    anyEscapes: escapes.some(Boolean),
    internal: (ov.op.variants ?? ['function']).length === 0,
    host: HOST_OPS.has(ov.key) || (ov.decl.cpuDynamic !== undefined && !ov.decl.cpu),
    tupleReturns,
    defaults,
    direct,
    markFloats,
    floatToScalar,
    typedOuts: n.outputs.some((o) => containsTuple(o.type)),
  };
}

const DIRECT_BASE = new Set(['Tensor', 'int', 'float', 'bool', 'str']);
/** A value of static type `st` needs no conversion for a parameter of schema type `t` (see toRegistryValue). */
function passesDirectly(t: SchemaType, st: IRType): boolean {
  if (t.kind === 'optional') {
    if (st.kind === 'NoneType') return true;
    return t.elem.kind === 'base' && t.elem.name === 'Tensor' && st.kind === 'Tensor';
  }
  if (t.kind !== 'base' || !DIRECT_BASE.has(t.name)) return false;
  return t.name === 'Tensor' ? st.kind === 'Tensor' : st.kind === t.name || (t.name === 'float' && st.kind === 'int');
}
function isScalarParam(t: SchemaType): boolean {
  const b = t.kind === 'optional' ? t.elem : t;
  return b.kind === 'base' && (b.name === 'Scalar' || b.name === 'number');
}

/**
 * Runs a registry op node on input values synchronously (CPU values; no ownership tracking) and
 * returns one value per node output. Used by the interpreter and by constant folding.
 */
export function evaluateOpNode(n: Node, values: readonly IValue[]): IValue[] {
  return callOpNode(n, makeOpPlan(n), values);
}

function callOpNode(n: Node, p: OpPlan, values: readonly IValue[]): IValue[] {
  const temps: Tensor[] = [];
  const args: Args = {};
  const nArgs = p.args.length;
  let hasIntegralTensor = false;
  if (p.floatToScalar && !p.internal) for (const v of values) if (v instanceof Tensor && !isFloating(v.dtype)) hasIntegralTensor = true;
  const markFloats = p.markFloats;
  const direct = p.direct;
  for (let i = 0; i < nArgs; i++) {
    const a = p.args[i]!;
    if (i < values.length) {
      if (direct[i]) {
        args[a.name] = values[i] ?? null;
        continue;
      }
      const staticType = n.inputs[i]!.type;
      let v = values[i];
      if (markFloats) v = markFloatValues(v, staticType, temps);
      args[a.name] = toRegistryValue(v, a.type, staticType, temps, p.internal || hasIntegralTensor);
    } else {
      const d = p.defaults[i];
      args[a.name] = Array.isArray(d) ? [...d] : d;
    }
  }
  if (values.length > nArgs) {
    args['...'] = values.slice(nArgs).map((v, k) => (markFloats ? markFloatValues(v, n.inputs[nArgs + k]!.type, temps) : v));
  }
  let r: unknown;
  try {
    r = runOverload(p.ov, args);
  } finally {
    if (temps.length) {
      const keep = new Set<Tensor>();
      collectTensors(r, keep);
      for (const t of temps) if (!keep.has(t)) t.dispose();
    }
  }
  const outs = n.outputs;
  let results: IValue[];
  if (outs.length === 0) results = p.tupleReturns >= 0 && Array.isArray(r) ? (r as IValue[]) : r instanceof Tensor ? [r] : [];
  else if (p.tupleReturns >= 0 || outs.length > 1) results = r as IValue[];
  else results = [r];
  if (results.length < outs.length) throw new Error(`${p.ov.key} returned ${results.length} values for ${outs.length} outputs`);
  if (results.length > outs.length) disposeUnnamed(results, outs.length, values);
  if (!p.typedOuts) return results.length === outs.length ? results : results.slice(0, outs.length);
  return outs.map((o, i) => asStaticType(results[i], o.type));
}

/** Results past the node's outputs (an op returning more than the graph names) are freed unless they are inputs or named results. */
function disposeUnnamed(results: readonly IValue[], named: number, values: readonly IValue[]): void {
  const keep = new Set<Tensor>();
  collectTensors(values as IValue, keep);
  for (let i = 0; i < named; i++) collectTensors(results[i], keep);
  for (let i = named; i < results.length; i++) {
    const x = results[i];
    if (x instanceof Tensor && !keep.has(x)) {
      keep.add(x);
      x.dispose();
    }
  }
}

/** The tensors among an op's argument values (through lists, tuples and dicts), for ownership checks. */
class InputTensors {
  private set: Set<Tensor> | undefined;
  constructor(private readonly values: readonly IValue[]) {
    for (const v of values) {
      if (typeof v === 'object' && v !== null && !(v instanceof Tensor)) {
        this.set = new Set();
        collectTensors(values as IValue, this.set);
        return;
      }
    }
  }
  has(t: Tensor): boolean {
    return this.set ? this.set.has(t) : this.values.includes(t);
  }
}

// ---------------------------------------------------------------------------------------- helpers

function describe(v: IValue): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof Tensor) return 'a Tensor';
  if (v instanceof ScriptObject) return `a '${v.type.name}' object`;
  if (v instanceof TupleValue) return 'a tuple';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a dict';
  return `a ${typeof v}`;
}

function truthy(c: IValue): boolean {
  if (typeof c === 'boolean') return c;
  if (typeof c === 'number') return c !== 0;
  if (c instanceof Tensor) {
    if (c.numel() !== 1) throw new Error('Boolean value of Tensor with more than one value is ambiguous');
    return Number(c.item()) !== 0;
  }
  return Boolean(c);
}

function isFlatList(v: unknown): v is unknown[] {
  return Array.isArray(v) && !(v instanceof TupleValue) && v.every((e) => typeof e !== 'object' || e === null);
}

/** Every use of `v` is a registry op argument without an alias annotation (neither mutated nor returned). */
function onlyReadByOps(v: Value): boolean {
  for (const u of v.uses) {
    const k = u.user.kind;
    if (k.startsWith('prim::')) return false;
    let ov: Overload;
    try {
      ov = resolveNodeOverload(u.user);
    } catch {
      return false;
    }
    const aliases = argAliases(ov);
    if (u.offset >= aliases.length || aliases[u.offset]) return false;
  }
  return true;
}

/** Constant lists/dicts are copied per use so that mutation cannot change the graph's constant. */
function freshConstant(v: unknown): unknown {
  if (v instanceof TupleValue) return v;
  if (Array.isArray(v)) return v.map(freshConstant);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, freshConstant(x)]));
  return v;
}

function onDevice(v: IValue): boolean {
  if (v instanceof Tensor) return v.device !== 'cpu';
  if (Array.isArray(v)) return v.some(onDevice);
  return false;
}

async function toHost(v: IValue, temps: Tensor[]): Promise<IValue> {
  if (v instanceof Tensor && v.device !== 'cpu') {
    const a = await getBackend(v.device).read(v);
    const t = Tensor.fromArray(a, v.shape, v.dtype);
    t.isWrappedNumber = v.isWrappedNumber;
    temps.push(t);
    return t;
  }
  if (Array.isArray(v)) {
    const items = await Promise.all(v.map((e) => toHost(e, temps)));
    return v instanceof TupleValue ? tuple(items) : items;
  }
  return v;
}

/** Tensors in a value, through lists, tuples and dicts (an op result found here is not new). */
function collectTensors(v: IValue, out: Set<Tensor>): void {
  if (v instanceof Tensor) out.add(v);
  else if (Array.isArray(v)) for (const e of v) collectTensors(e, out);
  else if (v instanceof Map) for (const [k, e] of v) {
    collectTensors(k, out);
    collectTensors(e, out);
  }
}

function mapTensors(v: IValue, f: (t: Tensor) => Tensor): IValue {
  if (v instanceof Tensor) return f(v);
  if (v instanceof TupleValue) return tuple(v.map((e) => mapTensors(e, f)));
  if (Array.isArray(v)) return v.map((e) => mapTensors(e, f));
  return v;
}

/** Arrays become TupleValues where the static type says tuple (op results are plain arrays). */
function asStaticType(v: IValue, t: IRType): IValue {
  if (t.kind === 'Optional') return v === null ? v : asStaticType(v, t.elem);
  if (t.kind === 'Tuple' && Array.isArray(v)) {
    if (v instanceof TupleValue) return v;
    return tuple(v.map((e, i) => asStaticType(e, t.elems[i] ?? t)), t.name ? t : undefined);
  }
  if (t.kind === 'List' && Array.isArray(v) && containsTuple(t.elem)) {
    for (let i = 0; i < v.length; i++) v[i] = asStaticType(v[i], t.elem);
  }
  return v;
}
function containsTuple(t: IRType): boolean {
  return t.kind === 'Tuple' || ((t.kind === 'List' || t.kind === 'Optional') && containsTuple(t.elem));
}

function isFloatType(t: IRType | undefined): boolean {
  return t !== undefined && (t.kind === 'float' || (t.kind === 'Optional' && t.elem.kind === 'float'));
}

/**
 * Converts an interpreter value to what the registry expects for a schema argument type:
 * float-typed numbers to wrapped float64 scalars for Tensor (and, when promotion depends on it,
 * Scalar) parameters, dtype codes to DTypes, device strings to device types, single ints to int[N].
 */
function toRegistryValue(v: IValue, t: SchemaType, staticType: IRType | undefined, temps: Tensor[], wrapFloatScalars = false): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'optional':
      return toRegistryValue(v, t.elem, staticType?.kind === 'Optional' ? staticType.elem : staticType, temps, wrapFloatScalars);
    case 'base':
      switch (t.name) {
        case 'Tensor':
          if (typeof v === 'number' || typeof v === 'boolean') {
            const w = wrapScalar(v, typeof v === 'boolean' ? 'bool' : isFloatType(staticType) || !Number.isInteger(v) ? 'float64' : 'int64');
            temps.push(w);
            return w;
          }
          return v;
        case 'Scalar':
        case 'number':
          if (typeof v === 'number' && wrapFloatScalars && Number.isInteger(v) && isFloatType(staticType)) {
            const w = wrapScalar(v, 'float64');
            temps.push(w);
            return w;
          }
          return v;
        case 'ScalarType':
          return typeof v === 'number' || typeof v === 'string' ? parseDType(v) : v;
        case 'Device':
          return typeof v === 'string' ? v.split(':')[0] : v;
        default:
          return v;
      }
    case 'list':
      if (!Array.isArray(v)) {
        if (typeof v === 'number' && t.elem.kind === 'base' && (t.elem.name === 'int' || t.elem.name === 'float')) return new Array(t.size ?? 1).fill(v);
        return v;
      }
      if (t.size !== undefined && v.length === 1 && t.size > 1 && t.elem.kind === 'base' && t.elem.name === 'int') return new Array(t.size).fill(v[0]);
      if (t.elem.kind === 'base' && t.elem.name === 'Tensor') {
        // Tensor[] given as a list of numbers is not valid TorchScript; pass through
        return v;
      }
      return v;
    default:
      return v;
  }
}

/** For str()/format(): float-typed values inside `v` become wrapped float64 scalars so they print as floats. */
function markFloatValues(v: IValue, t: IRType, temps: Tensor[]): IValue {
  if (typeof v === 'number' && isFloatType(t) && Number.isInteger(v)) {
    const w = wrapScalar(v, 'float64');
    temps.push(w);
    return w;
  }
  if (Array.isArray(v)) {
    if (t.kind === 'List') {
      if (!containsFloat(t.elem)) return v;
      return v.map((e) => markFloatValues(e, t.elem, temps));
    }
    if (t.kind === 'Tuple') {
      if (!t.elems.some(containsFloat)) return v;
      return tuple(v.map((e, i) => markFloatValues(e, t.elems[i] ?? t, temps)));
    }
  }
  if (v instanceof Map && t.kind === 'Dict' && containsFloat(t.value)) {
    return new Map([...v].map(([k, x]) => [k, markFloatValues(x, t.value, temps)]));
  }
  return v;
}
function containsFloat(t: IRType): boolean {
  switch (t.kind) {
    case 'float': return true;
    case 'List': case 'Optional': return containsFloat(t.elem);
    case 'Tuple': return t.elems.some(containsFloat);
    case 'Dict': return containsFloat(t.value);
    default: return false;
  }
}

function formatForPrint(v: IValue, t: IRType, temps: Tensor[]): string {
  const m = markFloatValues(v, t, temps);
  const reg = getRegistry();
  return String(runOverload(reg.overload('aten::str')!, { elem: m }));
}

/** Runtime isinstance: the static type decides when it is precise, the value otherwise. */
function isInstance(v: IValue, staticType: IRType, t: IRType): boolean {
  if (staticType.kind !== 'Any' && staticType.kind !== 'Optional' && staticType.kind !== 'Union' && staticType.kind !== 'number') {
    return isSubtype(staticType, t);
  }
  return valueHasType(v, t);
}

function valueHasType(v: IValue, t: IRType): boolean {
  switch (t.kind) {
    case 'Any': return true;
    case 'Tensor': return v instanceof Tensor;
    case 'int': return typeof v === 'number' && Number.isInteger(v);
    case 'float': return typeof v === 'number';
    case 'number': return typeof v === 'number' || typeof v === 'boolean';
    case 'bool': return typeof v === 'boolean';
    case 'str': return typeof v === 'string';
    case 'NoneType': return v === null || v === undefined;
    case 'Optional': return v === null || v === undefined || valueHasType(v, t.elem);
    case 'Union': return t.types.some((u) => valueHasType(v, u));
    case 'List': return Array.isArray(v) && !(v instanceof TupleValue) && v.every((e) => valueHasType(e, t.elem));
    case 'Tuple': return v instanceof TupleValue && v.length === t.elems.length && v.every((e, i) => valueHasType(e, t.elems[i]!));
    case 'Dict': return v instanceof Map;
    case 'Class': return v instanceof ScriptObject && (v.type.name === t.name || typesEqual(v.type, t));
    case 'Device': return typeof v === 'string';
    default: return false;
  }
}
