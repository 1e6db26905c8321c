/**
 * The tracer: runs JS model code once and records every registry op the eager API dispatches
 * (reported by core's dispatch observer) into an IR graph.
 *
 * - Inputs become graph inputs (nested arrays -> tuples, plain objects / Maps -> Dict(str, Tensor)).
 * - Tensors produced by a recorded op map to that op's output Values; in-place ops rebind the
 *   tensor they write to their output, so later uses see the mutated value. Views are recorded as
 *   view ops, so replaying an in-place op on a view writes through to its base as in eager mode.
 * - Module parameters and buffers are read from `self` with `prim::GetAttr` chains (the traced
 *   module keeps the module's tensors as attributes); other captured tensors become constants.
 * - JS numbers, lists and options passed to ops become `prim::Constant`s: shapes read in JS
 *   (`x.shape`) are specialised to the example inputs, as in PyTorch's tracer.
 * - Reads of traced tensor values into JS (item, tolist, data, dataSync, hostArray) and tensors
 *   created outside the registry during the trace produce TracerWarnings (errors with `strict`).
 */
import {
  Tensor, callOp, dispatchDepth, isDType, keep, nextTensorId, scalarTypeCode, setDispatchObserver, setTensorReadHook, tidy,
  type Args, type DispatchObserver, type Overload, type SchemaType, type TensorReadKind,
} from '@torchlet/core';
import {
  AnyType, BoolType, ClassType, DeviceType as DeviceIRType, DictOf, FloatType, Graph, IntType, LayoutType, ListOf, MemoryFormatType,
  NoneType, OptionalOf, ScriptObject, StrType, TensorType, TupleOf, prim, returnTypesFor, typesEqual, type IRType, type SourceLocation, type Value,
} from '@torchlet/ir';
import { Module } from '@torchlet/nn';
import { TracerWarning, TracingError, callerLocation } from './warnings.js';

/** How a traced function's JS output is rebuilt from the graph's output value. */
export type OutputSpec =
  | { kind: 'value' }
  | { kind: 'array'; items: OutputSpec[] }
  | { kind: 'object'; keys: string[]; items: OutputSpec[] }
  | { kind: 'map'; keys: string[]; items: OutputSpec[] };

export interface TraceOptions {
  /** throw a TracingError where a TracerWarning would be emitted */
  strict?: boolean;
  /** re-run the function (and the traced graph) on the example inputs, or `checkInputs`, and compare */
  checkTrace?: boolean;
  /** argument lists to check the trace with (implies checkTrace) */
  checkInputs?: unknown[][];
  /** tolerance of the output comparison of checkTrace (default rtol 1e-5, atol 1e-5) */
  checkTolerance?: { rtol?: number; atol?: number };
  /** receives each warning (default: console.warn) */
  onWarning?: (w: TracerWarning) => void;
  /** names of the graph inputs (default: the function's parameter names, else input_<i>) */
  inputNames?: string[];
  /** record the JS call site of each op as the node's source location (default true) */
  sourceLocations?: boolean;
  /** name of the graph / traced class (default: the function or module class name) */
  name?: string;
}

/** What a trace produced (before it is wrapped in a ScriptFunction / TracedModule). */
export interface TraceResult {
  graph: Graph;
  /** the module object (`self`, graph input 0) when a Module was traced */
  self?: ScriptObject;
  output: OutputSpec;
  warnings: TracerWarning[];
}

/** Ops that return JS values computed from tensor metadata only (not data): no warning. */
const METADATA_OPS = new Set([
  'aten::size', 'aten::dim', 'aten::numel', 'aten::len', 'aten::stride', 'aten::is_contiguous', 'aten::is_floating_point',
  'aten::is_complex', 'aten::element_size', 'prim::dtype', 'prim::device', 'prim::layout', 'prim::is_cuda', 'prim::requires_grad',
  'aten::sym_size', 'aten::sym_numel', 'aten::nbytes', 'aten::itemsize', 'aten::__is__', 'aten::__isnot__', 'prim::device', 'aten::get_device',
]);

function isMetadataOp(q: string): boolean {
  return METADATA_OPS.has(q) || /^prim::is_/.test(q);
}

function containsTensor(v: unknown): boolean {
  if (v instanceof Tensor) return true;
  if (Array.isArray(v)) return v.some(containsTensor);
  return false;
}

const READ_WHAT: Record<TensorReadKind, string> = {
  item: 'tensor.item()',
  tolist: 'tensor.tolist()',
  data: 'tensor.data()',
  dataSync: 'tensor.dataSync()',
  host: "reading a tensor's storage (hostArray / contiguousArray())",
};

let active: Recorder | undefined;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** Parameter names of a JS function's source (best effort; undefined entries where unknown). */
export function parameterNames(fn: unknown): (string | undefined)[] {
  if (typeof fn !== 'function') return [];
  let src: string;
  try {
    src = Function.prototype.toString.call(fn);
  } catch {
    return [];
  }
  src = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  let params: string | undefined;
  const arrowOne = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrowOne) params = arrowOne[1];
  else {
    const open = src.indexOf('(');
    if (open < 0) return [];
    let depth = 0, close = -1;
    for (let i = open; i < src.length; i++) {
      if (src[i] === '(') depth++;
      else if (src[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    if (close < 0) return [];
    params = src.slice(open + 1, close);
  }
  if (!params.trim()) return [];
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < params.length; i++) {
    const ch = params[i]!;
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(params.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(params.slice(start));
  return parts.map((p) => {
    const m = /^\s*([A-Za-z_$][\w$]*)\s*(?:[:=?].*)?$/s.exec(p);
    return m && !p.trim().startsWith('...') ? m[1] : undefined;
  });
}

function fnName(fn: unknown): string | undefined {
  const n = typeof fn === 'function' ? fn.name : undefined;
  return n && /^[A-Za-z_$][\w$]*$/.test(n) ? n : undefined;
}

/** One trace in progress. */
export class Recorder implements DispatchObserver {
  readonly graph: Graph;
  readonly values = new Map<Tensor, Value>();
  readonly warnings: TracerWarning[] = [];
  private readonly startId = nextTensorId();
  /** storages written by in-place ops during the trace */
  private readonly written = new Set<unknown>();
  /** constants made from tensors created during the trace (cloned), by the original's storage */
  private readonly freshConstants: { value: Value; storage: unknown }[] = [];
  private readonly scalarConsts = new Map<string, Value>();
  private readonly warned = new Set<string>();
  private busy = 0;
  private prevObserver: DispatchObserver | undefined;
  private prevHook: ((t: Tensor, k: TensorReadKind) => void) | undefined;
  /** module tree of a traced Module: tensor -> dotted attribute path, and the GetAttr cache */
  private attrPaths = new Map<Tensor, string>();
  private readonly attrValues = new Map<string, Value>();
  selfValue: Value | undefined;
  selfObject: ScriptObject | undefined;
  /** where torch.jit.trace was called from */
  site: SourceLocation | undefined;

  constructor(
    name: string,
    private readonly options: TraceOptions,
    private readonly quiet = false,
  ) {
    this.graph = new Graph(name);
  }

  // ------------------------------------------------------------------ install / uninstall

  start(): void {
    if (active) throw new TracingError('torch.jit.trace: another trace is already running (traces cannot nest or overlap)');
    active = this;
    this.prevObserver = setDispatchObserver(this);
    this.prevHook = setTensorReadHook((t, k) => this.onRead(t, k));
  }

  stop(): void {
    if (active !== this) return;
    active = undefined;
    setDispatchObserver(this.prevObserver);
    setTensorReadHook(this.prevHook);
  }

  // ------------------------------------------------------------------ warnings

  warn(message: string, kind: string, location = this.location()): void {
    const key = `${kind}|${location ? `${location.file}:${location.line}:${location.col}` : message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    if (this.options.strict) throw new TracingError(message, kind, location);
    const w = new TracerWarning(message, kind, location);
    this.warnings.push(w);
    if (this.quiet) return;
    if (this.options.onWarning) this.options.onWarning(w);
    else console.warn(`TracerWarning: ${w.message}`);
  }

  private location(): SourceLocation | undefined {
    return this.options.sourceLocations === false ? undefined : callerLocation();
  }

  // ------------------------------------------------------------------ inputs

  /** Adds graph input(s) for one example argument; returns the JS value the function is called with. */
  addInput(x: unknown, name: string, path: string): void {
    const g = this.graph;
    const type = this.inputType(x, path);
    const v = g.addInput(type, name);
    this.bindInput(x, v, name);
  }

  private inputType(x: unknown, path: string): IRType {
    if (x instanceof Tensor) return TensorType;
    if (Array.isArray(x)) return TupleOf(x.map((e, i) => this.inputType(e, `${path}[${i}]`)));
    if (x instanceof Map || isPlainObject(x)) {
      const entries = x instanceof Map ? [...x] : Object.entries(x);
      for (const [k, e] of entries) {
        if (typeof k !== 'string') throw new TracingError(`torch.jit.trace: dictionary inputs need string keys (${path} has a ${typeof k} key)`);
        if (!(e instanceof Tensor)) throw new TracingError(`torch.jit.trace: dictionary inputs must hold tensors only (${path}[${JSON.stringify(k)}] is ${describe(e)})`);
      }
      return DictOf(StrType, TensorType);
    }
    throw new TracingError(
      `torch.jit.trace: type '${describe(x)}' cannot be traced (${path}). Only tensors and (possibly nested) arrays and objects of tensors can be inputs; pass other values through a closure: trace((x) => f(x, opts), [x])`,
    );
  }

  private bindInput(x: unknown, v: Value, name: string): void {
    const g = this.graph;
    if (x instanceof Tensor) {
      if (!this.values.has(x)) this.values.set(x, v);
      return;
    }
    if (Array.isArray(x)) {
      const t = v.type.kind === 'Tuple' ? v.type.elems : [];
      const n = g.insert(prim.TupleUnpack, [v], t);
      x.forEach((e, i) => {
        const o = n.output(i);
        if (e instanceof Tensor) o.setDebugName(`${name}_${i}`);
        this.bindInput(e, o, `${name}_${i}`);
      });
      return;
    }
    const entries = x instanceof Map ? [...(x as Map<string, unknown>)] : Object.entries(x as Record<string, unknown>);
    for (const [k, e] of entries) {
      const key = this.constant(k, StrType);
      const n = g.insert('aten::__getitem__', [v, key], [TensorType], { overload: 'aten::__getitem__.Dict_str' });
      n.output().setDebugName(`${name}_${k}`);
      if (!this.values.has(e as Tensor)) this.values.set(e as Tensor, n.output());
    }
  }

  // ------------------------------------------------------------------ modules

  /** `self` for a traced Module: a ScriptObject tree mirroring the module tree (sharing its tensors). */
  addSelf(m: Module, className: string): void {
    const types = new Map<string, ClassType[]>();
    const build = (mod: Module, name: string, prefix: string, seen: Map<Module, ScriptObject>): ScriptObject => {
      const prev = seen.get(mod);
      if (prev) return prev;
      const attrs: { name: string; type: IRType; value: unknown; isParameter?: boolean; isBuffer?: boolean }[] = [];
      attrs.push({ name: 'training', type: BoolType, value: mod.training });
      const own = mod as unknown as Record<string, unknown>;
      for (const [k, p] of mod.namedParameters('', false)) {
        attrs.push({ name: k, type: TensorType, value: p, isParameter: true });
        if (!this.attrPaths.has(p)) this.attrPaths.set(p, prefix + k);
      }
      for (const [k, b] of mod.namedBuffers('', false)) {
        attrs.push({ name: k, type: TensorType, value: b, isBuffer: true });
        if (!this.attrPaths.has(b)) this.attrPaths.set(b, prefix + k);
      }
      const children: [string, ScriptObject][] = [];
      for (const [k, c] of mod.namedChildren()) {
        const child = build(c, c.constructor.name, `${prefix}${k}.`, seen);
        children.push([k, child]);
        attrs.push({ name: k, type: child.type, value: child });
      }
      // parameters registered as None keep a NoneType slot, as TorchScript does
      for (const k of Object.keys(own)) {
        if (own[k] === null && !attrs.some((a) => a.name === k) && isRegisteredNull(mod, k)) attrs.push({ name: k, type: NoneType, value: null });
      }
      const qn = `__torch__.${name}`;
      const candidates = types.get(qn) ?? [];
      let type = candidates.find((t) => sameAttributes(t, attrs));
      if (!type) {
        type = new ClassType(candidates.length ? `${qn}___torch_mangle_${candidates.length}` : qn, { isModule: true });
        for (const a of attrs) type.addAttribute(a.name, a.type, { isParameter: a.isParameter, isBuffer: a.isBuffer });
        candidates.push(type);
        types.set(qn, candidates);
      }
      const obj = new ScriptObject(type);
      for (const a of attrs) obj.setAttr(a.name, a.value);
      seen.set(mod, obj);
      return obj;
    };
    const self = build(m, className, '', new Map());
    this.selfObject = self;
    this.selfValue = this.graph.addInput(self.type, 'self');
  }

  private attrValue(path: string): Value {
    let v = this.attrValues.get(path);
    if (v) return v;
    const dot = path.lastIndexOf('.');
    const parent = dot < 0 ? this.selfValue! : this.attrValue(path.slice(0, dot));
    const name = path.slice(dot + 1);
    const obj = this.objectAt(path.slice(0, Math.max(0, dot)));
    const t = obj.type.attributeType(name) ?? TensorType;
    const n = this.graph.insert(prim.GetAttr, [parent], [t], { attrs: { name } });
    n.output().setDebugName(name);
    v = n.output();
    this.attrValues.set(path, v);
    return v;
  }

  private objectAt(path: string): ScriptObject {
    let o = this.selfObject!;
    if (path) for (const p of path.split('.')) o = o.getAttr(p) as ScriptObject;
    return o;
  }

  // ------------------------------------------------------------------ values

  constant(value: unknown, type: IRType): Value {
    const cacheable = value === null || typeof value !== 'object';
    const key = cacheable ? `${type.kind}|${typeof value}|${String(value)}` : '';
    if (cacheable) {
      const c = this.scalarConsts.get(key);
      if (c) return c;
    }
    const v = this.graph.insertConstant(value, type);
    if (cacheable) this.scalarConsts.set(key, v);
    return v;
  }

  tensorValue(t: Tensor): Value {
    const known = this.values.get(t);
    if (known) return known;
    if (t.isWrappedNumber && t.ndim === 0 && t.device === 'cpu') {
      const x = t.hostArray[t.offset]!;
      if (t.dtype === 'bool') return this.constant(x !== 0, BoolType);
      return this.constant(x, t.dtype === 'float64' || t.dtype === 'float32' || t.dtype === 'float16' ? FloatType : IntType);
    }
    const path = this.attrPaths.get(t);
    if (path !== undefined) {
      const v = this.attrValue(path);
      this.values.set(t, v);
      return v;
    }
    if (t.isDisposed) throw new TracingError(`torch.jit.trace: a disposed tensor (#${t.id}) was passed to an op`);
    let c = t;
    const fresh = t.id >= this.startId;
    if (fresh) {
      this.warn(
        'A tensor created outside the op registry during tracing (torch.tensor, Tensor.empty / fromArray, or values written from JavaScript) is registered as a constant in the trace. ' +
          'You can safely ignore this warning if it is the same every time you call this function. In any other case, this might cause the trace to be incorrect.',
        'constant',
      );
      // the trace keeps the value it had here (the eager code may dispose or mutate its tensor later)
      this.busy++;
      try {
        c = keep(callOp('aten::clone', [t]) as Tensor);
      } finally {
        this.busy--;
      }
    }
    const v = this.graph.insertConstant(c, TensorType);
    if (fresh) this.freshConstants.push({ value: v, storage: t.storage });
    this.values.set(t, v);
    return v;
  }

  /** The Value of a JS argument bound to a schema argument. */
  argValue(x: unknown, st: SchemaType | undefined): Value {
    if (x instanceof Tensor) return this.tensorValue(x);
    if (x === null || x === undefined) return this.constant(null, NoneType);
    const base = st ? stripOptional(st) : undefined;
    if (Array.isArray(x)) {
      const elemSt = base?.kind === 'list' ? base.elem : undefined;
      const tensorElems = elemSt ? hasTensor(elemSt) : x.some((e) => e instanceof Tensor);
      if (tensorElems || x.some((e) => e instanceof Tensor)) {
        const items = x.map((e) => this.argValue(e, elemSt));
        const optional = elemSt?.kind === 'optional' || x.some((e) => e === null || e === undefined);
        const et = optional ? OptionalOf(TensorType) : TensorType;
        return this.graph.insert(prim.ListConstruct, items, [ListOf(et)]).output();
      }
      if (base?.kind === 'tuple') return this.constant(x, TupleOf(base.elems.map((e, i) => scalarIRType(e, x[i]))));
      return this.constant([...x].map((e) => (isDType(e) ? scalarTypeCode[e] : e)), ListOf(elemSt ? scalarIRType(elemSt, x[0]) : inferElem(x)));
    }
    if (isDType(x) && (!base || (base.kind === 'base' && (base.name === 'ScalarType' || base.name === 'int')))) return this.constant(scalarTypeCode[x], IntType);
    return this.constant(x, base ? scalarIRType(base, x) : inferScalar(x));
  }

  // ------------------------------------------------------------------ the observer

  /** Before an op runs: tensors created during the trace are captured now, before an in-place op changes them. */
  beforeOp(ov: Overload, args: Args): void {
    this.prevObserver?.beforeOp?.(ov, args);
    if (this.busy > 0) return;
    this.busy++;
    try {
      const visit = (x: unknown): void => {
        if (x instanceof Tensor) {
          if (!x.isWrappedNumber && x.id >= this.startId && !this.values.has(x) && !this.attrPaths.has(x)) this.tensorValue(x);
        } else if (Array.isArray(x)) x.forEach(visit);
      };
      for (const a of ov.schema.args) visit(args[a.name]);
    } finally {
      this.busy--;
    }
  }

  onOp(ov: Overload, args: Args, result: unknown): void {
    this.prevObserver?.onOp(ov, args, result);
    if (this.busy > 0) return;
    this.busy++;
    try {
      this.record(ov, args, result);
    } finally {
      this.busy--;
    }
  }

  private record(ov: Overload, args: Args, result: unknown): void {
    const g = this.graph;
    const s = ov.schema;
    // builtins on JS values only (int/str/list arithmetic run by a TorchScript interpreter): their
    // results reach later ops as JS values, i.e. constants; PyTorch's tracer does not record them either
    const writesTensor = s.args.some((a) => a.alias?.write && containsTensor(args[a.name]));
    if (!containsTensor(result) && !writesTensor) {
      // a JS value (metadata like size/dim, or data read through an op): later ops see it as a
      // constant, so the node is not recorded; reading data this way is reported
      const fromData = s.args.some((a) => this.derived(args[a.name])) || (s.varargs && this.derived(args['...']));
      if (fromData && !isMetadataOp(s.qualifiedName) && (typeof result === 'number' || typeof result === 'boolean' || Array.isArray(result))) {
        this.warn(`${ov.key} returned a JavaScript value computed from tensor data (${describe(result)}); later ops see it as a constant, so the trace might not generalize to other inputs.`, 'scalar-result');
      }
      return;
    }
    const inputs = s.args.map((a) => this.argValue(args[a.name], a.type));
    const va = args['...'];
    if (s.varargs && Array.isArray(va)) for (const x of va) inputs.push(this.argValue(x, undefined));
    let outTypes: IRType[];
    try {
      outTypes = returnTypesFor(ov, inputs.map((v) => v.type));
    } catch {
      outTypes = s.returns.map(() => AnyType);
    }
    let source = this.options.sourceLocations === false ? undefined : callerLocation();
    // ops inside library code (nn modules) have no user frame but the trace call itself
    if (source && this.site && source.file === this.site.file && source.line === this.site.line && source.col === this.site.col) source = undefined;
    const node = g.insert(s.qualifiedName, inputs, outTypes, source ? { overload: ov.key, source } : { overload: ov.key });

    // storages written in place (for fresh constants that must be copied per run)
    s.args.forEach((a) => {
      if (!(a.alias?.write || (ov.tags.has('inplace') && a.name === 'self'))) return;
      const t = args[a.name];
      if (t instanceof Tensor) this.written.add(t.storage);
    });

    // bind results to outputs
    const outs = node.outputs;
    let results: unknown[];
    if (outs.length === 0) results = [];
    else if (outs.length === 1 && !(s.returnsTuple && s.returns.length > 1)) results = [result];
    else results = Array.isArray(result) ? result : [result];
    outs.forEach((o, i) => {
      const r = results[i];
      if (r instanceof Tensor) {
        this.values.set(r, o);
        return;
      }
      if (Array.isArray(r) && r.length > 0 && r.every((e) => e instanceof Tensor) && o.type.kind === 'List') {
        const un = g.insert(prim.ListUnpack, [o], r.map(() => TensorType));
        r.forEach((e, k) => this.values.set(e as Tensor, un.output(k)));
        return;
      }
    });
  }

  /** Does a value hold a tensor computed from the inputs or attributes (not a constant)? */
  private derived(x: unknown): boolean {
    if (x instanceof Tensor) {
      const v = this.values.get(x);
      return v !== undefined && v.node.kind !== prim.Constant;
    }
    return Array.isArray(x) && x.some((e) => this.derived(e));
  }

  private onRead(t: Tensor, kind: TensorReadKind): void {
    if (this.busy > 0 || dispatchDepth() > 0) return;
    this.prevHook?.(t, kind);
    const v = this.values.get(t);
    // a tensor that no traced op produced or consumed is a constant: reading it is harmless
    if (!v || v.node.kind === prim.Constant) return;
    this.busy++;
    try {
      const what = READ_WHAT[kind];
      this.warn(
        kind === 'host'
          ? `${what} of a traced tensor: JavaScript computation on its values is not recorded, so values derived from it will be treated as constants in the trace. This means that the trace might not generalize to other inputs!`
          : `Converting a tensor to a JavaScript value (${what}) might cause the trace to be incorrect. We can't record the data flow of JavaScript values, so this value will be treated as a constant in the future. This means that the trace might not generalize to other inputs! (A tensor used as a condition or loop bound is read this way.)`,
        kind,
      );
    } finally {
      this.busy--;
    }
  }

  // ------------------------------------------------------------------ outputs

  outputValue(r: unknown, path: string): { value: Value; spec: OutputSpec } {
    const g = this.graph;
    if (r instanceof Tensor) return { value: this.tensorValue(r), spec: { kind: 'value' } };
    if (Array.isArray(r)) {
      const items = r.map((e, i) => this.outputValue(e, `${path}[${i}]`));
      const n = g.insert(prim.TupleConstruct, items.map((i) => i.value), [TupleOf(items.map((i) => i.value.type))]);
      return { value: n.output(), spec: { kind: 'array', items: items.map((i) => i.spec) } };
    }
    if (r instanceof Map || isPlainObject(r)) {
      const entries = r instanceof Map ? [...r] : Object.entries(r);
      const keys: string[] = [];
      const items: { value: Value; spec: OutputSpec }[] = [];
      const ins: Value[] = [];
      let vt: IRType | undefined;
      for (const [k, e] of entries) {
        if (typeof k !== 'string') throw new TracingError(`torch.jit.trace: output dictionaries need string keys (${path})`);
        const item = this.outputValue(e, `${path}[${JSON.stringify(k)}]`);
        // values of different types (a tensor and a list...) make a Dict(str, Any), which JS code returns freely
        vt = vt === undefined ? item.value.type : typesEqual(vt, item.value.type) ? vt : AnyType;
        keys.push(k);
        items.push(item);
        ins.push(this.constant(k, StrType), item.value);
      }
      const n = g.insert(prim.DictConstruct, ins, [DictOf(StrType, vt ?? TensorType)]);
      return { value: n.output(), spec: { kind: r instanceof Map ? 'map' : 'object', keys, items: items.map((i) => i.spec) } };
    }
    if (r === null || r === undefined) return { value: this.constant(null, NoneType), spec: { kind: 'value' } };
    if (typeof r === 'number' || typeof r === 'boolean' || typeof r === 'string') {
      this.warn(`output ${path} is a JavaScript ${typeof r} (${String(r)}); the trace returns it as a constant.`, 'output', undefined);
      return { value: this.constant(r, inferScalar(r)), spec: { kind: 'value' } };
    }
    throw new TracingError(`torch.jit.trace: output ${path} of type '${describe(r)}' cannot be traced (only tensors, arrays and objects of tensors)`);
  }

  /** Fresh constants that the trace writes in place get copied per run, so every run starts from the traced value. */
  finish(): void {
    const g = this.graph;
    for (const { value, storage } of this.freshConstants) {
      if (!this.written.has(storage) || !value.hasUses()) continue;
      const clone = g.create('aten::clone', [value, this.noneConstantBefore(value)], [TensorType]);
      clone.overload = 'aten::clone';
      clone.insertAfter(value.node);
      value.replaceUsesWhere(clone.output(), (u) => u.user !== clone);
    }
  }

  private noneConstantBefore(v: Value): Value {
    const c = this.graph.createConstant(null, NoneType);
    c.insertBefore(v.node);
    return c.output();
  }
}

function isRegisteredNull(mod: Module, key: string): boolean {
  const slots = (mod as unknown as { _slots?: Map<string, string> })._slots;
  return slots?.get(key) === 'param' || slots?.get(key) === 'buffer';
}

function sameAttributes(t: ClassType, attrs: { name: string; type: IRType; isParameter?: boolean; isBuffer?: boolean }[]): boolean {
  if (t.attributes.length !== attrs.length) return false;
  return attrs.every((a, i) => {
    const b = t.attributes[i]!;
    return b.name === a.name && b.type === a.type && !!b.isParameter === !!a.isParameter && !!b.isBuffer === !!a.isBuffer;
  });
}

function stripOptional(t: SchemaType): SchemaType {
  return t.kind === 'optional' ? t.elem : t;
}
function hasTensor(t: SchemaType): boolean {
  const b = stripOptional(t);
  return b.kind === 'base' && b.name === 'Tensor';
}

function scalarIRType(t: SchemaType, x: unknown): IRType {
  const b = stripOptional(t);
  if (b.kind !== 'base') return inferScalar(x);
  switch (b.name) {
    case 'int': return typeof x === 'number' && !Number.isInteger(x) ? FloatType : IntType;
    case 'float': return FloatType;
    case 'bool': return typeof x === 'boolean' ? BoolType : inferScalar(x);
    case 'str': return StrType;
    case 'Device': return DeviceIRType;
    case 'ScalarType': return IntType;
    case 'Layout': return LayoutType;
    case 'MemoryFormat': return MemoryFormatType;
    default: return inferScalar(x);
  }
}

function inferScalar(x: unknown): IRType {
  if (typeof x === 'boolean') return BoolType;
  if (typeof x === 'number') return Number.isInteger(x) ? IntType : FloatType;
  if (typeof x === 'bigint') return IntType;
  if (typeof x === 'string') return StrType;
  if (x === null || x === undefined) return NoneType;
  return AnyType;
}

function inferElem(x: unknown[]): IRType {
  if (x.length === 0) return IntType;
  if (x.every((e) => typeof e === 'boolean')) return BoolType;
  if (x.every((e) => typeof e === 'number' && Number.isInteger(e))) return IntType;
  if (x.every((e) => typeof e === 'number')) return FloatType;
  return AnyType;
}

export function describe(v: unknown): string {
  if (v === null) return 'None';
  if (v === undefined) return 'undefined';
  if (v instanceof Tensor) return `Tensor(${v.dtype}[${v.shape.join(', ')}])`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'number') return Number.isInteger(v) ? `int ${v}` : `float ${v}`;
  if (typeof v === 'boolean') return `bool ${v}`;
  if (typeof v === 'string') return `str ${JSON.stringify(v)}`;
  if (typeof v === 'function') return 'function';
  if (v instanceof Map) return 'Map';
  return (v as object).constructor?.name ?? typeof v;
}

/**
 * Runs `fn(...args)` under a Recorder and returns the graph. With a Module, `self` is graph input
 * 0 and its parameters/buffers are attributes. The function runs inside a `tidy` scope: tensors
 * it creates and does not return are disposed afterwards (outputs are disposed too: the trace
 * keeps what it needs).
 */
export async function record(target: unknown, args: unknown[], options: TraceOptions, quiet = false): Promise<TraceResult> {
  const isModule = target instanceof Module;
  // anything else with a forward (a loaded ScriptModule / TracedModule) is traced as a function of its inputs
  if (!isModule && typeof target !== 'function' && typeof (target as { forward?: unknown } | null)?.forward === 'function') {
    const obj = target as { forward: (...a: unknown[]) => unknown; typeName?: string; optimizedGraph?: (m: string) => unknown };
    // a loaded module builds its optimised graph on first use: build it now, not as part of the trace
    obj.optimizedGraph?.('forward');
    const wrapped = (...a: unknown[]): unknown => obj.forward(...a);
    return record(wrapped, args, { ...options, name: options.name ?? obj.typeName?.split('.').pop() ?? 'forward', inputNames: options.inputNames ?? graphInputNames(target) }, quiet);
  }
  const fn = isModule ? (target as Module).forward : target;
  if (typeof fn !== 'function') throw new TracingError(`torch.jit.trace expects a function or an nn.Module, got ${describe(target)}`);
  const name = options.name ?? (isModule ? target.constructor.name : fnName(fn) ?? 'traced_fn');
  const rec = new Recorder(name, options, quiet);
  if (options.sourceLocations !== false) rec.site = callerLocation();
  if (isModule) rec.addSelf(target as Module, options.name ?? target.constructor.name);
  const names = options.inputNames ?? parameterNames(fn);
  // a tensor passed twice would make its uses indistinguishable: later positions get a copy
  const copies: Tensor[] = [];
  args = distinctTensors(args, new Set(), copies);
  args.forEach((a, i) => rec.addInput(a, sanitize(names[i]) ?? `input_${i}`, sanitize(names[i]) ?? `input ${i}`));
  let outputs: { value: Value; spec: OutputSpec } | undefined;
  const run = (): unknown => (isModule ? (target as Module).forward(...args) : (fn as (...a: unknown[]) => unknown)(...args));
  rec.start();
  try {
    await tidy(async () => {
      const r = await run();
      outputs = rec.outputValue(r, 'output');
      return undefined;
    });
  } finally {
    rec.stop();
    for (const c of copies) c.dispose();
  }
  rec.graph.registerOutput(outputs!.value);
  rec.finish();
  return { graph: rec.graph, self: rec.selfObject, output: outputs!.spec, warnings: rec.warnings };
}

function distinctTensors(args: unknown[], seen: Set<Tensor>, copies: Tensor[]): unknown[] {
  const visit = (x: unknown): unknown => {
    if (x instanceof Tensor) {
      if (!seen.has(x)) {
        seen.add(x);
        return x;
      }
      const c = callOp('aten::clone', [x]) as Tensor;
      seen.add(c);
      copies.push(c);
      return c;
    }
    if (Array.isArray(x)) return x.map(visit);
    if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, visit(v)]));
    if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, visit(v)]));
    return x;
  };
  return args.map(visit);
}

/** Parameter names of a loaded module's forward graph (after self). */
function graphInputNames(m: unknown): string[] | undefined {
  try {
    const g = (m as { methodGraph?: (n: string) => { inputs: readonly Value[] } }).methodGraph?.('forward');
    return g?.inputs.slice(1).map((v, i) => (v.debugName ?? `input_${i}`).replace(/\.\d+$/, ''));
  } catch {
    return undefined;
  }
}

function sanitize(s: string | undefined): string | undefined {
  if (!s) return undefined;
  return s.replace(/\$/g, '_');
}
