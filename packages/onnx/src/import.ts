import * as coreTensor from '@torchlet/core';
import { getRegistry, type Overload, type SchemaArg, type SchemaType, type Tensor } from '@torchlet/core';
import {
  BoolType, FloatType, Graph, IntType, ListOf, NoneType, OptionalOf, TensorType, eliminateDeadCode, evaluateOpNode, instantiate, schemaOf,
  type Block, type IRType, type Node, type Value,
} from '@torchlet/ir';
import { Lowering } from './lower.js';
import { registerOnnxOps } from './ops/index.js';
import {
  OnnxFormatError, tensorFromProto, ONNX_DTYPE_NAMES, ONNX_DTYPES,
  type AttributeProto, type ExternalDataResolver, type GraphProto, type ModelProto, type NodeProto, type TypeProto,
} from './proto.js';

export class OnnxImportError extends Error {
  override name = 'OnnxImportError';
}

export interface InputInfo {
  name: string;
  /** 'tensor' | 'sequence' | 'optional' */
  kind: string;
  /** torchlet dtype name when known */
  elemType?: string;
  /** fixed dims as numbers, symbolic ones as strings, unknown as null */
  shape?: (number | string | null)[];
}

export interface ImportedModel {
  graph: Graph;
  inputs: InputInfo[];
  outputNames: string[];
  opset: number;
}

const utf8 = new TextDecoder();

function irTypeOf(t: TypeProto | undefined): IRType {
  if (!t) return TensorType;
  if (t.sequence_type) return ListOf(irTypeOf(t.sequence_type.elem_type));
  if (t.optional_type) return OptionalOf(irTypeOf(t.optional_type.elem_type));
  return TensorType;
}

/** AttributeProto.type, or (for writers that leave it out) the kind of the field that is set. */
function attrType(a: AttributeProto): number | undefined {
  if (a.type) return a.type;
  if (a.f !== undefined) return 1;
  if (a.i !== undefined) return 2;
  if (a.s !== undefined) return 3;
  if (a.t !== undefined) return 4;
  if (a.g !== undefined) return 5;
  if (a.floats?.length) return 6;
  if (a.ints?.length) return 7;
  if (a.strings?.length) return 8;
  if (a.tensors?.length) return 9;
  return undefined;
}

function attrValue(a: AttributeProto, external?: ExternalDataResolver): unknown {
  switch (attrType(a)) {
    case 1: return a.f ?? 0;
    case 2: return Number(a.i ?? 0);
    case 3: return utf8.decode(a.s ?? new Uint8Array());
    case 4:
      if (!a.t) throw new OnnxImportError(`attribute '${a.name}' holds no tensor`);
      return tensorFromProto(a.t, external);
    case 6: return (a.floats ?? []).map(Number);
    case 7: return (a.ints ?? []).map(Number);
    case 8: return (a.strings ?? []).map((s) => utf8.decode(s));
    case 9: return (a.tensors ?? []).map((t) => tensorFromProto(t, external));
    default:
      throw new OnnxImportError(`attribute '${a.name}' of type ${a.type} is not supported`);
  }
}

// attributes that later opsets turned into inputs (same meaning, other name)
const ATTR_AS_INPUT_RENAME: Record<string, Record<string, string>> = { Pad: { value: 'constant_value' }, TopK: { k: 'K' } };

/** ops whose `Tensor[]` input takes all remaining ONNX inputs (elsewhere `Tensor[]` is one sequence value) */
const VARIADIC = new Set(['Sum', 'Max', 'Min', 'Mean', 'Concat', 'Einsum', 'SequenceConstruct', 'Adagrad', 'Momentum', 'Adam']);
const TRAINING = new Set(['Adagrad', 'Momentum', 'Adam']);

/** Inputs of older opsets that sit at other positions than in the newest signature. */
function remapInputs(opType: string, opset: number, names: string[]): string[] {
  if (opType === 'Resize' && opset < 11) return [names[0] ?? '', '', names[1] ?? ''];
  return names;
}

/** An older opset's attribute given where the op now takes an input tensor. */
function attrAsTensor(a: AttributeProto, v: unknown): Tensor {
  if (isTensor(v)) return v;
  const { tensor } = coreTensor;
  if (a.type === 7 || a.type === 2) return tensor(v as number | number[], { dtype: 'int64' });
  if (a.type === 6 || a.type === 1) return tensor(v as number | number[], { dtype: 'float32' });
  throw new OnnxImportError(`attribute '${a.name}' cannot be used as an input tensor`);
}

interface Scope {
  values: Map<string, Value>;
  parent?: Scope;
  /** every name some node of this graph produces (to tell a cycle from a dangling input) */
  produced?: Map<string, NodeProto>;
}
function lookup(s: Scope, name: string): Value | undefined {
  for (let c: Scope | undefined = s; c; c = c.parent) {
    const v = c.values.get(name);
    if (v) return v;
  }
  return undefined;
}

const NONDETERMINISTIC = new Set(['onnx::RandomNormal', 'onnx::RandomUniform', 'onnx::RandomNormalLike', 'onnx::RandomUniformLike', 'onnx::Multinomial', 'onnx::Bernoulli', 'onnx::Dropout']);

class Importer {
  readonly graph: Graph;
  readonly lowering: Lowering;
  readonly unsupported = new Set<string>();
  private readonly reg = getRegistry();

  constructor(
    readonly opset: number,
    readonly external: ExternalDataResolver | undefined,
    name: string,
  ) {
    this.graph = new Graph(name || 'onnx');
    this.lowering = new Lowering(this.graph, opset);
  }

  private constant(value: unknown, type?: IRType): Value {
    return this.graph.insertConstant(value, type);
  }

  importGraph(gp: GraphProto, scope: Scope, block: Block, asBlockParams: boolean): Value[] {
    const g = this.graph;
    const inits = new Set((gp.initializer ?? []).map((t) => t.name ?? ''));
    const params: Value[] = [];
    for (const inp of gp.input ?? []) {
      if (inits.has(inp.name)) continue;
      const v = asBlockParams ? block.addParam(irTypeOf(inp.type), sanitize(inp.name)) : g.addInput(irTypeOf(inp.type), sanitize(inp.name));
      scope.values.set(inp.name, v);
      params.push(v);
      const tt = inp.type?.tensor_type;
      if (tt) {
        const dtype = tt.elem_type ? ONNX_DTYPES[tt.elem_type] : undefined;
        const shape = tt.shape ? (tt.shape.dim ?? []).map((d) => (d.dim_value !== undefined && d.dim_param === undefined ? Number(d.dim_value) : null)) : undefined;
        this.lowering.setInfo(v, { ...(dtype ? { dtype } : {}), ...(shape ? { shape } : {}) });
      }
    }
    return g.withInsertPoint(block, () => {
      for (const t of gp.initializer ?? []) {
        scope.values.set(t.name ?? '', this.constant(tensorFromProto(t, this.external), TensorType).setDebugName(sanitize(t.name ?? 'init')));
      }
      scope.produced = new Map();
      for (const n of gp.node ?? []) for (const o of n.output ?? []) if (o) scope.produced.set(o, n);
      for (const n of gp.node ?? []) this.importNode(n, scope);
      return params;
    });
  }

  private input(scope: Scope, name: string, node: NodeProto): Value | undefined {
    if (!name) return undefined;
    const v = lookup(scope, name);
    if (!v) {
      for (let c: Scope | undefined = scope; c; c = c.parent) {
        const later = c.produced?.get(name);
        if (later) {
          throw new OnnxImportError(`node ${describe(node)}: input '${name}' is produced by node ${describe(later)}, which does not come before it: the graph has a cycle (or its nodes are not in topological order)`);
        }
      }
      throw new OnnxImportError(`node ${describe(node)}: input '${name}' is not produced by any node, initializer or graph input (a dangling input)`);
    }
    return v;
  }

  private bindOutputs(node: NodeProto, scope: Scope, values: readonly Value[]): void {
    (node.output ?? []).forEach((name, i) => {
      if (!name) return;
      const v = values[i];
      if (!v) throw new OnnxImportError(`node ${describe(node)}: produces ${values.length} outputs, the model names ${node.output!.length}`);
      v.setDebugName(sanitize(name));
      scope.values.set(name, v);
    });
  }

  importNode(node: NodeProto, scope: Scope): void {
    const domain = node.domain ?? '';
    if (domain === 'ai.onnx.preview.training' && TRAINING.has(node.op_type)) {
      // the optimizers: plain math on their inputs (Gradient, which needs autodiff, is not supported)
    } else if (domain !== '' && domain !== 'ai.onnx') {
      this.unsupported.add(`${domain}.${node.op_type}`);
      return this.placeholder(node, scope);
    }
    switch (node.op_type) {
      case 'Constant': return this.importConstant(node, scope);
      case 'If': return this.importIf(node, scope);
      case 'Loop': return this.importLoop(node, scope);
      case 'Scan': return this.importScan(node, scope);
      case 'SequenceMap': return this.importSequenceMap(node, scope);
    }
    const overloads = this.reg.overloads(`onnx::${node.op_type}`);
    if (!overloads) {
      this.unsupported.add(`${node.op_type} (opset ${this.opset})`);
      return this.placeholder(node, scope);
    }
    const ov = overloads[0]!;
    const attr = this.attrGetter(node, ov);
    const nOut = (node.output ?? []).reduce((m, o, i) => (o ? i + 1 : m), 0);
    const ins = remapInputs(node.op_type, this.opset, node.input ?? []).map((nm) => this.input(scope, nm, node));
    const lowered = this.lowering.lower(node.op_type, ins, attr, nOut);
    if (lowered) {
      let outs = lowered;
      const last = lowered[0]!.node;
      if (last.kind !== 'prim::Param' && last.kind !== 'prim::Constant' && !last.hasAttr('onnx_op')) {
        last.setAttr('onnx_op', node.op_type);
        if (node.name) last.setAttr('onnx_name', node.name);
        outs = this.fold(last) ?? lowered;
      }
      this.bindOutputs(node, scope, outs);
      return;
    }
    const inputs = this.nodeInputs(node, scope, ov);
    const types = schemaOf(ov).returns.map((r) => instantiate(r));
    const n = this.graph.insert(ov.schema.qualifiedName, inputs, types, { overload: ov.key });
    n.setAttr('onnx_op', node.op_type);
    if (node.name) n.setAttr('onnx_name', node.name);
    const r = ov.schema.returns;
    if (r.length === 1 && isTensorList(r[0]!.type) && !SEQUENCE_RESULT.has(node.op_type)) {
      // a variable number of tensor outputs (Split): unpack the list
      const k = (node.output ?? []).length;
      const un = this.graph.insert('prim::ListUnpack', [n.output()], new Array(k).fill(TensorType));
      this.bindOutputs(node, scope, un.outputs);
      return;
    }
    const outs = this.fold(n) ?? n.outputs;
    this.lowering.propagate(node.op_type, ins, outs, attr);
    this.bindOutputs(node, scope, outs);
  }

  /** Attribute values by name, with the onnx:: schema's defaults for absent ones. */
  private attrGetter(node: NodeProto, ov: Overload): (name: string) => unknown {
    const attrs = new Map((node.attribute ?? []).map((a) => [a.name, a]));
    return (name) => {
      const a = attrs.get(name);
      if (a) return attrValue(a, this.external);
      const arg = ov.schema.args.find((x) => x.name === name);
      if (arg?.kwargOnly && !arg.hasDefault && arg.type.kind !== 'optional') {
        throw new OnnxImportError(`node ${describe(node)}: required attribute '${name}' is missing`);
      }
      return arg?.hasDefault ? (arg.default ?? null) : null;
    };
  }

  /**
   * Constant folding while importing (so that the lowering sees constant shapes): a node whose
   * inputs are all constants runs once, through the interpreter's `evaluateOpNode`.
   */
  private fold(n: Node): Value[] | undefined {
    if (!n.overload || n.inputs.some((v) => v.node.kind !== 'prim::Constant') || NONDETERMINISTIC.has(n.kind)) return undefined;
    let results: unknown[];
    try {
      results = evaluateOpNode(n, n.inputs.map((v) => v.constantValue()!.value));
    } catch {
      return undefined; // the error surfaces when the model runs, with the node named
    }
    if (results.length !== n.outputs.length || results.some((x) => !(x instanceof coreTensor.Tensor))) return undefined;
    const consts = this.graph.withInsertPoint(n, () => results.map((x) => this.constant(x, TensorType)));
    n.outputs.forEach((o, i) => o.replaceAllUsesWith(consts[i]!));
    n.destroy();
    return consts;
  }

  /** A value the node cannot do without: an empty name is an error too. */
  private need(scope: Scope, name: string | undefined, node: NodeProto, what: string): Value {
    if (!name) throw new OnnxImportError(`node ${describe(node)}: ${what} has no name`);
    return this.input(scope, name, node)!;
  }

  /** Outputs of an unsupported node (import fails at its end, naming every unsupported op). */
  private placeholder(node: NodeProto, scope: Scope): void {
    const none = this.constant(null, NoneType);
    this.bindOutputs(node, scope, (node.output ?? []).map(() => none));
  }

  private nodeInputs(node: NodeProto, scope: Scope, ov: Overload): Value[] {
    const attrs = new Map((node.attribute ?? []).map((a) => [a.name, a]));
    const rename = ATTR_AS_INPUT_RENAME[node.op_type] ?? {};
    for (const [from, to] of Object.entries(rename)) {
      const a = attrs.get(from);
      if (a) {
        attrs.delete(from);
        attrs.set(to, { ...a, name: to });
      }
    }
    const names = remapInputs(node.op_type, this.opset, node.input ?? []);
    const out: Value[] = [];
    let pos = 0;
    const args = ov.schema.args;
    for (const arg of args) {
      if (!arg.kwargOnly) {
        if (isTensorList(arg.type) && VARIADIC.has(node.op_type)) {
          const items = names.slice(pos).map((nm) => this.input(scope, nm, node)!).filter(Boolean);
          pos = names.length;
          out.push(this.graph.insert('prim::ListConstruct', items, [ListOf(TensorType)]).output());
          continue;
        }
        const name = names[pos++] ?? '';
        const a = attrs.get(arg.name);
        if (!name && a) {
          // an older opset's attribute that is an input now
          out.push(this.constant(attrAsTensor(a, attrValue(a, this.external)), TensorType));
          attrs.delete(arg.name);
          continue;
        }
        const v = this.input(scope, name, node);
        if (v) out.push(v);
        else if (arg.hasDefault || arg.type.kind === 'optional') out.push(this.constant(null, NoneType));
        else throw new OnnxImportError(`node ${describe(node)}: required input '${arg.name}' is missing`);
        continue;
      }
      out.push(this.attributeInput(node, arg, instantiate(schemaOf(ov).args[args.indexOf(arg)]!.type), attrs));
    }
    if (pos < names.length && names.slice(pos).some(Boolean)) {
      throw new OnnxImportError(`node ${describe(node)}: has ${names.length} inputs, torchlet's ${node.op_type} takes ${args.filter((a) => !a.kwargOnly).length}`);
    }
    return out;
  }

  private attributeInput(node: NodeProto, arg: SchemaArg, irType: IRType, attrs: Map<string, AttributeProto>): Value {
    if (arg.name === '_opset') return this.constant(this.opset, IntType);
    if (arg.name === '_outputs') return this.constant((node.output ?? []).length, IntType);
    const a = attrs.get(arg.name);
    if (a) {
      let v = attrValue(a, this.external);
      const want = arg.type.kind === 'optional' ? arg.type.elem : arg.type;
      if (want.kind === 'base' && want.name === 'Tensor' && !isTensor(v)) throw new OnnxImportError(`node ${describe(node)}: attribute '${arg.name}' must be a tensor`);
      if (want.kind === 'base' && want.name === 'float' && typeof v === 'number') return this.constant(v, FloatType);
      if (want.kind === 'list' && !Array.isArray(v)) v = [v];
      return this.constant(v, isTensor(v) ? TensorType : irType.kind === 'Optional' ? (irType as { elem: IRType }).elem : irType);
    }
    if (arg.hasDefault) return this.constant(arg.default ?? null, arg.default === null || arg.default === undefined ? NoneType : irType.kind === 'Optional' ? (irType as { elem: IRType }).elem : irType);
    if (arg.type.kind === 'optional') return this.constant(null, NoneType);
    throw new OnnxImportError(`node ${describe(node)}: required attribute '${arg.name}' is missing`);
  }

  private importConstant(node: NodeProto, scope: Scope): void {
    const a = node.attribute?.[0];
    if (!a) throw new OnnxImportError(`node ${describe(node)}: Constant without a value`);
    let t: Tensor;
    const { tensor } = coreTensor;
    switch (a.name) {
      case 'value':
        if (!a.t) throw new OnnxImportError(`node ${describe(node)}: Constant 'value' holds no tensor`);
        t = tensorFromProto(a.t, this.external);
        break;
      case 'value_float': t = tensor(a.f ?? 0, { dtype: 'float32' }); break;
      case 'value_floats': t = tensor((a.floats ?? []).map(Number), { dtype: 'float32' }); break;
      case 'value_int': t = tensor(Number(a.i ?? 0), { dtype: 'int64' }); break;
      case 'value_ints': t = tensor((a.ints ?? []).map(Number), { dtype: 'int64' }); break;
      default: throw new OnnxImportError(`node ${describe(node)}: Constant '${a.name}' is not supported`);
    }
    const v = this.constant(t, TensorType);
    this.bindOutputs(node, scope, [v]);
  }

  private subgraph(node: NodeProto, name: string): GraphProto {
    const a = node.attribute?.find((x) => x.name === name);
    if (!a?.g) throw new OnnxImportError(`node ${describe(node)}: missing subgraph '${name}'`);
    return a.g;
  }

  private importIf(node: NodeProto, scope: Scope): void {
    const g = this.graph;
    const cond = g.insert('onnx::_ToBool', [this.need(scope, node.input?.[0], node, 'the condition input')], [BoolType], { overload: 'onnx::_ToBool' }).output();
    const nOut = (node.output ?? []).length;
    const thenG = this.subgraph(node, 'then_branch'), elseG = this.subgraph(node, 'else_branch');
    const n = g.insert('prim::If', [cond], (thenG.output ?? []).map((o) => irTypeOf(o.type)).slice(0, nOut));
    for (const sub of [thenG, elseG]) {
      const b = n.addBlock();
      const inner: Scope = { values: new Map(), parent: scope };
      this.importGraph(sub, inner, b, true);
      if ((sub.output ?? []).length !== n.outputs.length) throw new OnnxImportError(`node ${describe(node)}: its branches return ${(thenG.output ?? []).length} and ${(elseG.output ?? []).length} values for ${nOut} outputs`);
      for (const o of sub.output ?? []) b.registerReturn(this.need(inner, o.name, node, 'a branch output'));
    }
    this.bindOutputs(node, scope, n.outputs);
  }

  /** ONNX Loop -> prim::Loop; scan outputs are carried as lists and stacked after the loop. */
  private importLoop(node: NodeProto, scope: Scope): void {
    const g = this.graph;
    const ins = node.input ?? [];
    const body = this.subgraph(node, 'body');
    const maxTrip = g.insert('onnx::_ToInt', [ins[0] ? this.input(scope, ins[0], node)! : this.constant(null, NoneType)], [IntType], { overload: 'onnx::_ToInt' }).output();
    const cond0 = g.insert('onnx::_ToBool', [ins[1] ? this.input(scope, ins[1], node)! : this.constant(null, NoneType)], [BoolType], { overload: 'onnx::_ToBool' }).output();
    const carried = ins.slice(2).map((nm) => this.need(scope, nm, node, 'a loop-carried input'));
    const nCarried = carried.length;
    const nScan = (body.output ?? []).length - 1 - nCarried;
    if ((body.input ?? []).length !== 2 + nCarried || nScan < 0) {
      throw new OnnxImportError(`node ${describe(node)}: the body takes ${(body.input ?? []).length} inputs and returns ${(body.output ?? []).length} values; with ${nCarried} loop-carried values it must take ${2 + nCarried} and return at least ${1 + nCarried}`);
    }
    const emptyLists = Array.from({ length: nScan }, () => g.insert('prim::ListConstruct', [], [ListOf(TensorType)]).output());
    const loop = g.insert('prim::Loop', [maxTrip, cond0, ...carried, ...emptyLists], [...carried.map((v) => v.type), ...emptyLists.map(() => ListOf(TensorType))]);
    const b = loop.addBlock();
    const iter = b.addParam(IntType, 'i');
    const inner: Scope = { values: new Map(), parent: scope };
    const bodyInputs = body.input ?? [];
    const carriedParams = carried.map((v, k) => b.addParam(v.type, sanitize(bodyInputs[k + 2]?.name ?? 'v')));
    const listParams = emptyLists.map(() => b.addParam(ListOf(TensorType), 'scan'));
    g.withInsertPoint(b, () => {
      if (bodyInputs[0]) inner.values.set(bodyInputs[0].name, g.insert('onnx::_IntToTensor', [iter], [TensorType], { overload: 'onnx::_IntToTensor' }).output());
      if (bodyInputs[1]) inner.values.set(bodyInputs[1].name, g.insert('onnx::_BoolToTensor', [this.constant(true, BoolType)], [TensorType], { overload: 'onnx::_BoolToTensor' }).output());
      carriedParams.forEach((p, k) => inner.values.set(bodyInputs[k + 2]!.name, p));
      const fakeBody: GraphProto = { ...body, input: [] };
      this.importGraph(fakeBody, inner, b, true);
      const outs = (body.output ?? []).map((o) => this.need(inner, o.name, node, 'a body output'));
      const condOut = g.insert('onnx::_ToBool', [outs[0]!], [BoolType], { overload: 'onnx::_ToBool' }).output();
      b.registerReturn(condOut);
      for (let k = 0; k < nCarried; k++) b.registerReturn(outs[1 + k]!);
      for (let k = 0; k < nScan; k++) {
        b.registerReturn(g.insert('onnx::_Append', [listParams[k]!, outs[1 + nCarried + k]!], [ListOf(TensorType)], { overload: 'onnx::_Append' }).output());
      }
    });
    const results = loop.outputs.slice(0, nCarried);
    const stacked = loop.outputs.slice(nCarried).map((l) =>
      g.insert('onnx::_ScanStack', [l, this.constant(0, IntType), this.constant(0, IntType)], [TensorType], { overload: 'onnx::_ScanStack' }).output(),
    );
    this.bindOutputs(node, scope, [...results, ...stacked]);
  }

  /** SequenceMap -> a prim::Loop over the first sequence; sequence inputs are indexed, tensors passed whole. */
  private importSequenceMap(node: NodeProto, scope: Scope): void {
    const g = this.graph;
    const body = this.subgraph(node, 'body');
    const ins = (node.input ?? []).map((nm) => this.need(scope, nm, node, 'an input'));
    const bodyIn = body.input ?? [];
    const nOut = (body.output ?? []).length;
    if (!ins.length || bodyIn.length !== ins.length || nOut !== (node.output ?? []).length) {
      throw new OnnxImportError(`node ${describe(node)}: ${ins.length} inputs and ${(node.output ?? []).length} outputs do not fit a body of ${bodyIn.length} inputs and ${nOut} outputs`);
    }
    const isSeq = ins.map((v) => v.type.kind === 'List');
    if (!isSeq[0]) throw new OnnxImportError(`node ${describe(node)}: the first input must be a sequence`);
    const len = g.insert('onnx::SequenceLength', [ins[0]!], [TensorType], { overload: 'onnx::SequenceLength' }).output();
    const trip = g.insert('onnx::_ToInt', [len], [IntType], { overload: 'onnx::_ToInt' }).output();
    const emptyLists = Array.from({ length: nOut }, () => g.insert('prim::ListConstruct', [], [ListOf(TensorType)]).output());
    const loop = g.insert('prim::Loop', [trip, this.constant(true, BoolType), ...emptyLists], emptyLists.map(() => ListOf(TensorType)));
    const b = loop.addBlock();
    const iter = b.addParam(IntType, 'i');
    const listParams = emptyLists.map(() => b.addParam(ListOf(TensorType), 'out'));
    const inner: Scope = { values: new Map(), parent: scope };
    g.withInsertPoint(b, () => {
      const pos = g.insert('onnx::_IntToTensor', [iter], [TensorType], { overload: 'onnx::_IntToTensor' }).output();
      ins.forEach((v, k) => {
        const item = isSeq[k] ? g.insert('onnx::SequenceAt', [v, pos], [TensorType], { overload: 'onnx::SequenceAt' }).output() : v;
        inner.values.set(bodyIn[k]!.name, item);
      });
      this.importGraph({ ...body, input: [] }, inner, b, true);
      const outs = (body.output ?? []).map((o) => this.need(inner, o.name, node, 'a body output'));
      b.registerReturn(this.constant(true, BoolType));
      outs.forEach((o, k) => b.registerReturn(g.insert('onnx::_Append', [listParams[k]!, o], [ListOf(TensorType)], { overload: 'onnx::_Append' }).output()));
    });
    this.bindOutputs(node, scope, loop.outputs);
  }

  private importScan(node: NodeProto, scope: Scope): void {
    const g = this.graph;
    const attrs = new Map((node.attribute ?? []).map((a) => [a.name, a]));
    const body = this.subgraph(node, 'body');
    const nScanIn = Number(attrs.get('num_scan_inputs')?.i ?? 0);
    const names = node.input ?? [];
    // opset 8: a leading (optional) sequence_lens input and a batch axis 0 on every input and output
    const old = this.opset < 9;
    if (old && names[0]) {
      this.unsupported.add(`Scan (opset ${this.opset}) with sequence_lens`);
      return this.placeholder(node, scope);
    }
    const ins = (old ? names.slice(1) : names).map((nm) => this.need(scope, nm, node, 'a Scan input'));
    const nState = ins.length - nScanIn;
    if (nScanIn < 1 || nState < 0 || (body.input ?? []).length !== ins.length || (body.output ?? []).length < nState) {
      throw new OnnxImportError(`node ${describe(node)}: ${ins.length} inputs with num_scan_inputs=${nScanIn} do not fit a body of ${(body.input ?? []).length} inputs and ${(body.output ?? []).length} outputs`);
    }
    const ints = (n: string) => ((attrs.get(n)?.ints ?? []) as number[]).map(Number);
    const dirs = old ? ints('directions') : ints('scan_input_directions');
    const spec = { inAxes: old ? [] : ints('scan_input_axes'), inDirs: dirs, outAxes: old ? [] : ints('scan_output_axes'), outDirs: old ? [] : ints('scan_output_directions') };
    if (!old) {
      this.bindOutputs(node, scope, this.scanLoop(node, body, ins.slice(0, nState), ins.slice(nState), spec, scope));
      return;
    }
    // opset 8: an outer loop over the batch, each step a scan over one batch element
    const nOut = (body.output ?? []).length;
    const batch = g.insert('onnx::_ScanLength', [ins[nState]!, this.constant(0, IntType)], [IntType], { overload: 'onnx::_ScanLength' }).output();
    const emptyLists = Array.from({ length: nOut }, () => g.insert('prim::ListConstruct', [], [ListOf(TensorType)]).output());
    const loop = g.insert('prim::Loop', [batch, this.constant(true, BoolType), ...emptyLists], emptyLists.map(() => ListOf(TensorType)));
    const b = loop.addBlock();
    const iter = b.addParam(IntType, 'b');
    const listParams = emptyLists.map(() => b.addParam(ListOf(TensorType), 'out'));
    g.withInsertPoint(b, () => {
      const pick = (x: Value) => g.insert('onnx::_ScanSlice', [x, iter, this.constant(0, IntType), this.constant(0, IntType)], [TensorType], { overload: 'onnx::_ScanSlice' }).output();
      const outs = this.scanLoop(node, body, ins.slice(0, nState).map(pick), ins.slice(nState).map(pick), spec, scope);
      b.registerReturn(this.constant(true, BoolType));
      outs.forEach((o, k) => b.registerReturn(g.insert('onnx::_Append', [listParams[k]!, o], [ListOf(TensorType)], { overload: 'onnx::_Append' }).output()));
    });
    const stacked = loop.outputs.map((l) => g.insert('onnx::_ScanStack', [l, this.constant(0, IntType), this.constant(0, IntType)], [TensorType], { overload: 'onnx::_ScanStack' }).output());
    this.bindOutputs(node, scope, stacked);
  }

  /** The scan proper (at the insertion point): returns the final states, then the stacked scan outputs. */
  private scanLoop(node: NodeProto, body: GraphProto, states: Value[], scans: Value[], spec: { inAxes: number[]; inDirs: number[]; outAxes: number[]; outDirs: number[] }, scope: Scope): Value[] {
    const g = this.graph;
    const nState = states.length;
    const nScanOut = (body.output ?? []).length - nState;
    const len = g.insert('onnx::_ScanLength', [scans[0]!, this.constant(spec.inAxes[0] ?? 0, IntType)], [IntType], { overload: 'onnx::_ScanLength' }).output();
    const emptyLists = Array.from({ length: nScanOut }, () => g.insert('prim::ListConstruct', [], [ListOf(TensorType)]).output());
    const loop = g.insert('prim::Loop', [len, this.constant(true, BoolType), ...states, ...emptyLists], [...states.map(() => TensorType), ...emptyLists.map(() => ListOf(TensorType))]);
    const b = loop.addBlock();
    const iter = b.addParam(IntType, 'i');
    const stateParams = states.map(() => b.addParam(TensorType, 'state'));
    const listParams = emptyLists.map(() => b.addParam(ListOf(TensorType), 'scan'));
    const inner: Scope = { values: new Map(), parent: scope };
    const bodyIn = body.input ?? [];
    g.withInsertPoint(b, () => {
      stateParams.forEach((p, k) => inner.values.set(bodyIn[k]!.name, p));
      scans.forEach((x, k) => {
        const sl = g.insert('onnx::_ScanSlice', [x, iter, this.constant(spec.inAxes[k] ?? 0, IntType), this.constant(spec.inDirs[k] ?? 0, IntType)], [TensorType], { overload: 'onnx::_ScanSlice' }).output();
        inner.values.set(bodyIn[nState + k]!.name, sl);
      });
      this.importGraph({ ...body, input: [] }, inner, b, true);
      const outs = (body.output ?? []).map((o) => this.need(inner, o.name, node, 'a body output'));
      b.registerReturn(this.constant(true, BoolType));
      for (let k = 0; k < nState; k++) b.registerReturn(outs[k]!);
      for (let k = 0; k < nScanOut; k++) b.registerReturn(g.insert('onnx::_Append', [listParams[k]!, outs[nState + k]!], [ListOf(TensorType)], { overload: 'onnx::_Append' }).output());
    });
    const stacked = loop.outputs.slice(nState).map((l, k) =>
      g.insert('onnx::_ScanStack', [l, this.constant(spec.outAxes[k] ?? 0, IntType), this.constant(spec.outDirs[k] ?? 0, IntType)], [TensorType], { overload: 'onnx::_ScanStack' }).output(),
    );
    return [...loop.outputs.slice(0, nState), ...stacked];
  }
}


const SEQUENCE_RESULT = new Set(['SequenceConstruct', 'SequenceEmpty', 'SequenceInsert', 'SequenceErase', 'SplitToSequence', '_Append']);

function isTensorList(t: SchemaType): boolean {
  return t.kind === 'list' && t.elem.kind === 'base' && t.elem.name === 'Tensor';
}
function isTensor(v: unknown): v is Tensor {
  return v instanceof coreTensor.Tensor;
}
function describe(n: NodeProto): string {
  return `'${n.name || (n.output ?? [])[0] || '?'}' (${n.op_type})`;
}
function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.]/g, '_');
  return /^\d+$/.test(s) || s === '' ? `v${s}` : s;
}

export function importModel(model: ModelProto, external?: ExternalDataResolver): ImportedModel {
  registerOnnxOps();
  normalize(model);
  try {
    return importChecked(model, external);
  } catch (e) {
    if (e instanceof OnnxImportError || e instanceof OnnxFormatError) throw e;
    // a malformed model that slipped past the checks: still one of torchlet's errors
    const err = new OnnxImportError(`malformed model (internal error while importing: ${(e as Error)?.message ?? String(e)})`);
    err.cause = e;
    throw err;
  }
}

/** Fills in the string fields a (corrupt or minimal) writer may have left out. */
function normalize(model: ModelProto): void {
  const graph = (g: GraphProto | undefined): void => {
    if (!g) return;
    for (const list of [g.input, g.output, g.value_info]) for (const v of list ?? []) v.name ??= '';
    for (const t of g.initializer ?? []) t.name ??= '';
    for (const n of g.node ?? []) {
      n.op_type ??= '';
      n.input = (n.input ?? []).map((x) => x ?? '');
      n.output = (n.output ?? []).map((x) => x ?? '');
      for (const a of n.attribute ?? []) {
        a.name ??= '';
        graph(a.g);
        for (const sg of a.graphs ?? []) graph(sg);
      }
    }
  };
  graph(model.graph);
}

function importChecked(model: ModelProto, external?: ExternalDataResolver): ImportedModel {
  const gp = model.graph;
  if (!gp) throw new OnnxFormatError('the model has no graph');
  const opset = Number((model.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 1);
  if (opset > 18) throw new OnnxImportError(`opset ${opset} is newer than torchlet supports (7 to 18)`);
  const imp = new Importer(opset, external, gp.name ?? '');
  const scope: Scope = { values: new Map() };
  imp.importGraph(gp, scope, imp.graph.block, false);
  if (imp.unsupported.size) {
    throw new OnnxImportError(`unsupported ONNX ops: ${[...imp.unsupported].join(', ')}`);
  }
  const outputNames: string[] = [];
  for (const o of gp.output ?? []) {
    const v = lookup(scope, o.name);
    if (!v) throw new OnnxImportError(`graph output '${o.name}' is not produced by any node`);
    imp.graph.registerOutput(v);
    outputNames.push(o.name);
  }
  eliminateDeadCode(imp.graph);
  const inits = new Set((gp.initializer ?? []).map((t) => t.name));
  const inputs: InputInfo[] = (gp.input ?? [])
    .filter((i) => !inits.has(i.name))
    .map((i) => {
      const tt = i.type?.tensor_type;
      const info: InputInfo = { name: i.name, kind: i.type?.sequence_type ? 'sequence' : i.type?.optional_type ? 'optional' : 'tensor' };
      if (tt?.elem_type) info.elemType = ONNX_DTYPES[tt.elem_type] ?? ONNX_DTYPE_NAMES[tt.elem_type] ?? String(tt.elem_type);
      if (tt?.shape) info.shape = (tt.shape.dim ?? []).map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : d.dim_param ?? null));
      return info;
    });
  return { graph: imp.graph, inputs, outputNames, opset };
}
