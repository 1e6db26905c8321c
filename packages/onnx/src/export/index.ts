/**
 * torch.onnx.export for torchlet: a traced IR graph (torch.jit.trace of JS model code) becomes
 * an ONNX model that onnxruntime runs with the same outputs.
 *
 *   const bytes = await torch.onnx.export(model, [x], { opset: 17 });
 *
 * The graph is run once on the example inputs while it is exported, so every Value has a
 * concrete shape and dtype; shapes are static (as the trace is), integer arguments are read
 * from the run, computations that do not depend on the inputs are folded into initializers,
 * and composite ops without an ONNX emitter are exported through their decomposition.
 * Parameters of a traced module become initializers named by their attribute path (`fc.weight`).
 */
import { Tensor, bindArgs, callOp, getRegistry, wrapScalar, type Overload } from '@torchlet/core';
import {
  Graph, ScriptObject, evaluateOpNode, prim, resolveNodeOverload, tuple, type Node, type Value,
} from '@torchlet/ir';
import { DTYPE_TO_ONNX, encodeModel, type ModelProto, type ValueInfoProto } from '../proto.js';
import { EMITTERS } from './ops.js';
import { ExportGraph, OnnxExportError, valueName, type Names, type OpContext } from './context.js';

export { OnnxExportError } from './context.js';

export interface ExportOptions {
  /** ONNX opset (default 17; 13 ... 21) */
  opset?: number;
  /** names of the ONNX inputs (the flattened tensor inputs, in order) */
  inputNames?: string[];
  /** names of the ONNX outputs (the flattened tensor outputs, in order) */
  outputNames?: string[];
  /** fold computations that do not depend on the inputs into initializers (default true) */
  doConstantFolding?: boolean;
  /** the tracer to use for functions and modules (torchlet's torch.onnx.export passes torch.jit.trace) */
  trace?: Tracer;
  /** ModelProto.graph.name (default: the graph's name) */
  graphName?: string;
}

/** What export needs from a trace: the forward graph, and `self` for a module. */
export interface TracedLike {
  ir: Graph;
  object?: ScriptObject;
}
export type Tracer = (target: unknown, inputs: unknown[]) => Promise<TracedLike>;

let defaultTracer: Tracer | undefined;
/** Lets `export` trace plain functions and modules (torchlet registers torch.jit.trace). */
export function registerTracer(t: Tracer | undefined): void {
  defaultTracer = t;
}

const MIN_OPSET = 13, MAX_OPSET = 21;
const IR_VERSION: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** Ops whose result depends only on the shapes/dtypes of their tensor inputs: folded even when those depend on the inputs. */
const SHAPE_ONLY = new Set(['aten::zeros_like', 'aten::ones_like', 'aten::full_like', 'aten::empty_like', 'aten::new_zeros', 'aten::new_ones', 'aten::new_full', 'aten::new_empty', 'aten::size', 'aten::numel', 'aten::dim']);

function isTracedLike(m: unknown): m is TracedLike {
  return typeof m === 'object' && m !== null && (m as { ir?: unknown }).ir instanceof Graph;
}

function normalizeInputs(x: unknown): unknown[] {
  if (x === undefined) return [];
  if (x instanceof Tensor) return [x];
  if (Array.isArray(x)) return [...x];
  return [x];
}

function containsTensor(v: unknown): boolean {
  if (v instanceof Tensor) return true;
  if (Array.isArray(v)) return v.some(containsTensor);
  if (v instanceof Map) return [...v.values()].some(containsTensor);
  return false;
}

function toIValue(x: unknown): unknown {
  if (Array.isArray(x)) return tuple(x.map(toIValue));
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, toIValue(v)]));
  if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) return new Map(Object.entries(x).map(([k, v]) => [k, toIValue(v)]));
  return x;
}

function valueInfo(name: string, t: Tensor): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: DTYPE_TO_ONNX[t.dtype], shape: { dim: t.shape.map((d) => ({ dim_value: d })) } } } };
}

/**
 * Exports `model` (a function, an nn.Module, a traced ScriptFunction/TracedModule, or anything
 * with a `forward`) run on `exampleInputs` as ONNX bytes.
 */
export async function exportModel(model: unknown, exampleInputs?: unknown, options: ExportOptions = {}): Promise<Uint8Array> {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) throw new OnnxExportError(`torch.onnx.export: opset ${opset} is not supported (${MIN_OPSET} ... ${MAX_OPSET})`);
  const inputs = normalizeInputs(exampleInputs);
  let traced: TracedLike;
  if (isTracedLike(model)) traced = model;
  else {
    const tracer = options.trace ?? defaultTracer;
    if (!tracer) {
      throw new OnnxExportError('torch.onnx.export: pass a traced model (await torch.jit.trace(model, inputs)), or use torchlet\'s torch.onnx.export, which traces functions and modules itself');
    }
    const target = typeof model === 'function' || isModuleLike(model) ? model : forwardOf(model);
    traced = await tracer(target, inputs);
  }
  const ex = new Exporter(traced.ir.copy(), traced.object, opset, options);
  return ex.run(inputs);
}

function isModuleLike(m: unknown): boolean {
  return typeof m === 'object' && m !== null && typeof (m as { namedParameters?: unknown }).namedParameters === 'function' && typeof (m as { train?: unknown }).train === 'function' && !('methodGraph' in m);
}
function forwardOf(m: unknown): unknown {
  const f = (m as { forward?: unknown })?.forward;
  if (typeof f !== 'function') throw new OnnxExportError(`torch.onnx.export: cannot export ${String(m)} (a function, module or traced model is needed)`);
  return (...a: unknown[]) => (f as (...x: unknown[]) => unknown).apply(m, a);
}

class Exporter {
  private readonly g: ExportGraph;
  private readonly env = new Map<Value, unknown>();
  /** values that depend on the graph inputs */
  private readonly dep = new Set<Value>();
  private readonly names = new Map<Value, Names>();
  /** items of containers built by ListConstruct / TupleConstruct / DictConstruct (values), or unpacked from them */
  private readonly items = new Map<Value, readonly Value[]>();
  private readonly alias = new Map<Value, Value>();
  private readonly attrPath = new Map<Value, string>();
  private readonly dictNames = new Map<Value, Map<string, Names>>();
  private readonly onnxInputs: ValueInfoProto[] = [];
  private readonly fold: boolean;

  constructor(
    readonly graph: Graph,
    readonly self: ScriptObject | undefined,
    readonly opset: number,
    readonly options: ExportOptions,
  ) {
    this.g = new ExportGraph(opset);
    this.fold = options.doConstantFolding !== false;
  }

  private fail(n: Node | undefined, msg: string): never {
    throw new OnnxExportError(`torch.onnx.export: ${msg}${n ? `\n  in node: ${n.toString()}` : ''}${n?.source ? `\n  at ${n.source.file}:${n.source.line}` : ''}`);
  }

  // ------------------------------------------------------------------ names

  private resolve(v: Value): Value {
    let x = v;
    for (let a = this.alias.get(x); a; a = this.alias.get(x)) x = a;
    return x;
  }

  /** The ONNX name(s) of a value: emitted, input, or an initializer for a constant tensor. */
  nameOf(v0: Value): Names {
    const v = this.resolve(v0);
    const known = this.names.get(v);
    if (known !== undefined) return known;
    const items = this.items.get(v);
    if (items) return items.map((i) => this.nameOf(i));
    const x = this.env.get(v);
    if (x instanceof Tensor) {
      if (this.dep.has(v)) this.fail(v.node, `internal: ${v} has no ONNX name`);
      const n = this.g.initializer(x, this.attrPath.get(v) ?? v.debugName ?? 'const');
      this.names.set(v, n);
      return n;
    }
    if (Array.isArray(x) && x.every((e) => e instanceof Tensor)) {
      const ns = x.map((t) => this.g.initializer(t as Tensor, v.debugName ?? 'const'));
      this.names.set(v, ns);
      return ns;
    }
    this.fail(v.node, `${v} is not a tensor`);
  }

  // ------------------------------------------------------------------ inputs

  private bindInputs(args: unknown[]): void {
    const ins = this.graph.inputs;
    let k = 0;
    if (this.self) {
      if (!(ins[0]?.type.kind === 'Class')) this.fail(undefined, 'a traced module graph must take self first');
      this.env.set(ins[0]!, this.self);
      k = 1;
    }
    const params = ins.slice(k);
    if (params.length !== args.length) this.fail(undefined, `the model takes ${params.length} inputs, ${args.length} example inputs were given`);
    const userNames = this.options.inputNames ?? [];
    let leaf = 0;
    const leafName = (hint: string): string => {
      const given = userNames[leaf++];
      return given !== undefined ? this.g.reserve(given) : this.g.fresh(hint);
    };
    const bind = (v: unknown, hint: string): Names => {
      if (v instanceof Tensor) {
        const n = leafName(hint);
        this.onnxInputs.push(valueInfo(n, v));
        return n;
      }
      if (Array.isArray(v)) return v.map((e, i) => bind(e, `${hint}_${i}`));
      this.fail(undefined, `input ${hint} is not a tensor or an array of tensors`);
    };
    // the export runs the graph: copies keep in-place ops from writing into the caller's tensors
    const copy = (x: unknown): unknown => (x instanceof Tensor ? (callOp('aten::clone', [x]) as Tensor) : Array.isArray(x) ? x.map(copy) : x instanceof Map ? new Map([...x].map(([k, e]) => [k, copy(e)])) : x);
    params.forEach((p, i) => {
      const x = copy(toIValue(args[i]));
      this.env.set(p, x);
      this.dep.add(p);
      const hint = p.debugName ?? `input_${i}`;
      if (x instanceof Map) {
        const m = new Map<string, Names>();
        for (const [key, t] of x) m.set(String(key), bind(t, `${hint}_${String(key)}`));
        this.dictNames.set(p, m);
      } else this.names.set(p, bind(x, hint));
    });
  }

  // ------------------------------------------------------------------ the walk

  async run(args: unknown[]): Promise<Uint8Array> {
    const g = this.graph;
    if (g.allNodes().some((n) => n.blocks.length > 0)) this.fail(undefined, 'control flow (prim::If / prim::Loop) cannot be exported: export a trace of the model');
    this.bindInputs(args);
    for (let n = g.block.firstNode; n; ) {
      const next = await this.node(n);
      n = next;
    }
    return this.finish();
  }

  /** Processes one node; returns the next node to process. */
  private async node(n: Node): Promise<Node | undefined> {
    const ins = n.inputs.map((v) => this.env.get(this.resolve(v)));
    const anyDep = n.inputs.some((v) => this.dep.has(this.resolve(v)));
    const outDep = (o: Value, x: unknown): void => {
      if (anyDep && containsTensor(x)) this.dep.add(o);
    };
    switch (n.kind) {
      case prim.Constant:
        this.env.set(n.output(), n.hasAttr('value') ? n.attr('value') : null);
        return n.next;
      case prim.GetAttr: {
        const obj = ins[0];
        if (!(obj instanceof ScriptObject)) this.fail(n, 'GetAttr on a value that is not an object');
        const name = n.s('name');
        this.env.set(n.output(), obj.getAttr(name));
        const parent = this.attrPath.get(n.input());
        this.attrPath.set(n.output(), parent ? `${parent}.${name}` : name);
        return n.next;
      }
      case prim.ListConstruct:
      case prim.TupleConstruct: {
        const x = n.kind === prim.TupleConstruct ? tuple(ins) : ins;
        this.env.set(n.output(), x);
        this.items.set(n.output(), n.inputs);
        outDep(n.output(), x);
        return n.next;
      }
      case prim.DictConstruct: {
        const m = new Map<unknown, unknown>();
        const vals: Value[] = [];
        for (let i = 0; i + 1 < ins.length; i += 2) {
          m.set(ins[i], ins[i + 1]);
          vals.push(n.input(i + 1));
        }
        this.env.set(n.output(), m);
        this.items.set(n.output(), vals);
        outDep(n.output(), m);
        return n.next;
      }
      case prim.ListUnpack:
      case prim.TupleUnpack: {
        const src = this.resolve(n.input());
        const x = ins[0] as unknown[];
        if (!Array.isArray(x) || x.length !== n.outputs.length) this.fail(n, 'unpacking a value of another length');
        const items = this.items.get(src);
        const names = this.names.get(src);
        n.outputs.forEach((o, i) => {
          this.env.set(o, x[i]);
          if (items) this.alias.set(o, items[i]!);
          else {
            if (Array.isArray(names)) this.names.set(o, names[i]!);
            outDep(o, x[i]);
          }
        });
        return n.next;
      }
      case prim.TupleIndex: {
        const x = ins[0] as unknown[];
        let i = Number(ins[1]);
        if (i < 0) i += x.length;
        this.env.set(n.output(), x[i]);
        const items = this.items.get(this.resolve(n.input()));
        if (items) this.alias.set(n.output(), items[i]!);
        else {
          const names = this.names.get(this.resolve(n.input()));
          if (Array.isArray(names)) this.names.set(n.output(), names[i]!);
          outDep(n.output(), x[i]);
        }
        return n.next;
      }
      default:
        break;
    }
    if (n.kind.startsWith('prim::') && !getRegistry().overloads(n.kind)) this.fail(n, `${n.kind} cannot be exported`);
    return this.opNode(n, ins, anyDep);
  }

  private async opNode(n: Node, ins: unknown[], anyDep: boolean): Promise<Node | undefined> {
    // a dict input read by key
    if (n.kind === 'aten::__getitem__' && this.dictNames.has(this.resolve(n.input(0)))) {
      const key = String(ins[1]);
      const names = this.dictNames.get(this.resolve(n.input(0)))!;
      const m = ins[0] as Map<unknown, unknown>;
      this.env.set(n.output(), m.get(key));
      this.dep.add(n.output());
      this.names.set(n.output(), names.get(key)!);
      return n.next;
    }
    let ov: Overload;
    try {
      ov = resolveNodeOverload(n);
    } catch (e) {
      this.fail(n, (e as Error).message);
    }
    const inplace = ov.tags.has('inplace') || ov.schema.args.some((a) => a.alias?.write);
    if (inplace && anyDep) this.checkInplace(n);
    let outs: unknown[];
    try {
      outs = evaluateOpNode(n, ins);
    } catch (e) {
      this.fail(n, `running the node on the example inputs failed: ${(e as Error).message}`);
    }
    n.outputs.forEach((o, i) => this.env.set(o, outs[i]));
    const hasTensorOut = outs.some(containsTensor);
    const depOut = anyDep && !SHAPE_ONLY.has(n.kind);
    if (!hasTensorOut || (!depOut && this.fold && !ov.tags.has('nondeterministic'))) return n.next;
    if (!depOut && ov.tags.has('nondeterministic')) this.fail(n, `the random op ${ov.key} cannot be exported (its values would be frozen)`);
    n.outputs.forEach((o, i) => {
      if (containsTensor(outs[i])) this.dep.add(o);
    });
    const key = inplace && ov.inplaceOf ? ov.inplaceOf.schema.qualifiedName : n.kind;
    const emit = EMITTERS[key] ?? (inplace ? EMITTERS[n.kind.replace(/_$/, '')] : undefined);
    if (!emit) {
      if (ov.decl.decompose) return this.decompose(n, ov, ins);
      this.fail(n, `no ONNX export for ${ov.key}`);
    }
    emit(this.context(n, ins, outs));
    n.outputs.forEach((o, i) => {
      if (containsTensor(outs[i]) && !this.names.has(o) && o.hasUses()) this.fail(n, `the exporter of ${ov.key} did not produce output ${i}`);
    });
    return n.next;
  }

  /** An in-place op is exported as its functional form; that is only right when nothing else aliases what it writes. */
  private checkInplace(n: Node): void {
    // one step back along aliasing: a view op (a new view of its input) or an in-place op (the same tensor)
    const step = (v: Value): { next: Value; view: boolean } | undefined => {
      const p = v.node;
      if (p.kind === prim.Param || p.inputs.length === 0 || v.offset !== 0) return undefined;
      let ov: Overload;
      try {
        ov = resolveNodeOverload(p);
      } catch {
        return undefined;
      }
      const ret = ov.schema.returns[0]?.alias;
      if (ov.tags.has('view') || (ret && !ret.write)) return { next: p.input(0), view: true };
      if (ret?.write || ov.tags.has('inplace')) return { next: p.input(0), view: false };
      return undefined;
    };
    const walk = (v: Value): { root: Value; view: boolean } => {
      let view = false;
      for (let s = step(v); s; s = step(v)) {
        view ||= s.view;
        v = s.next;
      }
      return { root: v, view };
    };
    const self = n.input(0);
    const w = walk(self);
    if (w.view) this.fail(n, 'an in-place op on a view cannot be exported to ONNX (it writes through to the viewed tensor); use the out-of-place op');
    // values defined before n that alias the written tensor would still hold the old data in ONNX
    const order = new Map<Node, number>();
    let k = 0;
    for (let m = this.graph.block.firstNode; m; m = m.next) order.set(m, k++);
    const at = order.get(n)!;
    const definedBefore = (u: Value): boolean => u.node.kind === prim.Param || (order.get(u.node) ?? Infinity) < at;
    for (let m = n.next; m; m = m.next) {
      for (const u of m.inputs) {
        if (u.type.kind === 'Tensor' && definedBefore(u) && walk(u).root === w.root) {
          this.fail(n, `an in-place op on a tensor that is read afterwards through an older alias (${u}) cannot be exported to ONNX`);
        }
      }
    }
  }

  /** Exports a composite op through its decomposition: traces it on the node's concrete inputs and inlines the result. */
  private async decompose(n: Node, ov: Overload, ins: unknown[]): Promise<Node | undefined> {
    const tracer = this.options.trace ?? defaultTracer;
    if (!tracer) this.fail(n, `${ov.key} has no ONNX exporter; exporting its decomposition needs the tracer (use torchlet's torch.onnx.export)`);
    const values: unknown[] = [];
    const tensorArgs: { index: number; value: unknown }[] = [];
    ov.schema.args.forEach((a, i) => {
      if (i >= ins.length) return;
      let v = ins[i];
      if (typeof v === 'number' && a.type.kind === 'base' && a.type.name === 'Tensor') v = wrapScalar(v, n.input(i).type.kind === 'float' ? 'float64' : undefined);
      if (containsTensor(v) && !(v instanceof Tensor && v.isWrappedNumber)) tensorArgs.push({ index: i, value: v });
      values.push(v);
    });
    const decl = ov.decl;
    const fn = (...ts: unknown[]): unknown => {
      const vals = [...values];
      tensorArgs.forEach((t, k) => (vals[t.index] = ts[k]));
      const pos: unknown[] = [];
      const kw: Record<string, unknown> = {};
      ov.schema.args.forEach((a, i) => {
        if (i >= vals.length) return;
        if (a.kwargOnly) kw[a.name] = vals[i];
        else pos.push(vals[i]);
      });
      const bound = bindArgs(ov, pos, kw, true);
      if (typeof bound === 'string') throw new OnnxExportError(`${ov.key}: ${bound}`);
      return decl.decompose!(bound);
    };
    const sub = await tracer(fn, tensorArgs.map((t) => t.value));
    const subGraph = sub.ir;
    if (subGraph.allNodes().some((m) => m.kind === n.kind && m.overload === n.overload)) this.fail(n, `${ov.key} decomposes into itself`);
    const g = this.graph;
    const before = n.prev;
    const outs = g.withInsertPoint(n, () => g.insertGraph(subGraph, tensorArgs.map((t) => n.input(t.index))));
    const result = outs[0]!;
    if (n.outputs.length === 1) n.output().replaceAllUsesWith(result);
    else {
      const un = g.create(prim.TupleUnpack, [result], n.outputs.map((o) => o.type));
      un.insertBefore(n);
      n.outputs.forEach((o, i) => o.replaceAllUsesWith(un.output(i)));
    }
    const first = before ? before.next : g.block.firstNode;
    n.destroy();
    return first;
  }

  private context(n: Node, ins: unknown[], outs: unknown[]): OpContext {
    const self = this;
    const g = this.g;
    const tensorAt = (i: number): Tensor => {
      const x = ins[i];
      if (!(x instanceof Tensor)) return self.fail(n, `input ${i} is not a tensor`);
      return x;
    };
    return {
      g,
      node: n,
      opset: this.opset,
      c: (i) => ins[i],
      t: tensorAt,
      isTensor: (i) => ins[i] instanceof Tensor && !(ins[i] as Tensor).isWrappedNumber,
      x: (i) => {
        const nm = self.nameOf(n.input(i));
        if (typeof nm !== 'string') return self.fail(n, `input ${i} is a list`);
        return nm;
      },
      operand(i, dtype) {
        const x = ins[i];
        if (x instanceof Tensor && !x.isWrappedNumber) return g.cast(this.x(i), x.dtype, dtype);
        if (x instanceof Tensor) return g.scalar(x.hostArray[x.offset]!, dtype);
        if (typeof x === 'number' || typeof x === 'boolean') return g.scalar(x, dtype);
        return self.fail(n, `input ${i} is not a tensor or a number`);
      },
      list: (i) => {
        const nm = self.nameOf(n.input(i));
        if (!Array.isArray(nm)) return self.fail(n, `input ${i} is not a tensor list`);
        return nm.map((e) => {
          if (typeof e !== 'string') return self.fail(n, `input ${i} is a nested list`);
          return e;
        });
      },
      out: (i) => outs[i],
      outT: (i) => {
        const x = outs[i];
        if (!(x instanceof Tensor)) return self.fail(n, `output ${i} is not a tensor`);
        return x;
      },
      set: (i, names) => self.names.set(n.output(i), names),
      hint: (i = 0) => valueName(n.output(i)),
      inputKind: (i) => n.input(i).type.kind,
      fail: (msg) => self.fail(n, msg),
    };
  }

  // ------------------------------------------------------------------ outputs

  private finish(): Uint8Array {
    const outputs: ValueInfoProto[] = [];
    const userNames = this.options.outputNames ?? [];
    const flat: { name: string; t: Tensor }[] = [];
    const collect = (v: Value, x: unknown): void => {
      const r = this.resolve(v);
      const items = this.items.get(r);
      if (items) {
        items.forEach((it) => collect(it, this.env.get(this.resolve(it))));
        return;
      }
      if (x === null || x === undefined) return;
      if (x instanceof Tensor) {
        const nm = this.nameOf(r);
        if (typeof nm !== 'string') this.fail(undefined, 'internal: output name');
        flat.push({ name: nm, t: x });
        return;
      }
      if (Array.isArray(x)) {
        const nm = this.nameOf(r);
        if (!Array.isArray(nm)) this.fail(undefined, 'internal: output list');
        x.forEach((e, i) => {
          if (e instanceof Tensor && typeof nm[i] === 'string') flat.push({ name: nm[i] as string, t: e });
        });
        return;
      }
      if (x instanceof Map) {
        this.fail(undefined, 'a dictionary output that is not built in the graph cannot be exported');
      }
      this.fail(undefined, `output ${v} is a ${typeof x}, not a tensor: ONNX outputs are tensors`);
    };
    for (const v of this.graph.outputs) collect(v, this.env.get(this.resolve(v)));
    if (flat.length === 0) this.fail(undefined, 'the model has no tensor outputs');
    flat.forEach((o, i) => {
      const given = userNames[i];
      const name = given !== undefined ? this.g.reserve(given) : this.g.fresh(flat.length === 1 ? 'output' : `output_${i}`);
      this.g.identity(o.name, name);
      outputs.push(valueInfo(name, o.t));
    });
    const model: ModelProto = {
      ir_version: IR_VERSION[this.opset] ?? 8,
      opset_import: [{ domain: '', version: this.opset }],
      producer_name: 'torchlet',
      producer_version: '0.1.0',
      graph: {
        name: this.options.graphName ?? this.graph.name ?? 'main_graph',
        node: this.g.nodes,
        initializer: this.g.initializers,
        input: this.onnxInputs,
        output: outputs,
      },
    };
    return encodeModel(model);
  }
}

