/**
 * torch.jit.save for torchlet: writes a traced function/module (or a module loaded from a
 * TorchScript archive) as a torchlet graph file (schema/torchlet_graph.fbs): classes, the
 * object tree with its tensors, and the IR graphs of every method and called function.
 */
import { Tensor, f32ToF16Bits, getBackend, type DType } from '@torchlet/core';
import {
  ClassType, Graph, ScriptObject, TupleValue, cloneNode, typeToString, type Block, type IRType, type Node, type Value as IRValue,
} from '@torchlet/ir';
import { Builder, type Offset } from 'flatbuffers';
import { deflateSync } from 'fflate';
import { ScriptModule } from '../module.js';
import { ScriptCompileError } from '../errors.js';
import { ScriptFunction, TracedModule, type ParamInfo } from '../trace/traced.js';
import type { OutputSpec } from '../trace/tracer.js';
import * as fb from './fb.js';
import { FILE_IDENTIFIER, FORMAT_VERSION, GraphFormatError, PRODUCER, READER_VERSION } from './format.js';

export interface SaveOptions {
  /** deflate the model (smaller files; loading then has to inflate and copy) */
  compress?: boolean;
  /** extra named files stored with the model (`_extra_files`) */
  extraFiles?: Record<string, Uint8Array | string> | Map<string, Uint8Array | string>;
}

/** Something `save` accepts. */
export type Saveable = ScriptFunction | TracedModule | ScriptModule;

const DTYPE_CODE: Record<DType, fb.DType> = {
  float32: fb.DType.Float32, float64: fb.DType.Float64, float16: fb.DType.Float16, int8: fb.DType.Int8, int16: fb.DType.Int16,
  int32: fb.DType.Int32, int64: fb.DType.Int64, uint8: fb.DType.UInt8, bool: fb.DType.Bool,
};

const BASE_KIND: Partial<Record<IRType['kind'], fb.TypeKind>> = {
  Tensor: fb.TypeKind.Tensor, int: fb.TypeKind.Int, float: fb.TypeKind.Float, bool: fb.TypeKind.Bool, str: fb.TypeKind.Str,
  complex: fb.TypeKind.Complex, NoneType: fb.TypeKind.NoneType, Device: fb.TypeKind.Device, Any: fb.TypeKind.Any,
  number: fb.TypeKind.Number, ScalarType: fb.TypeKind.ScalarType, Layout: fb.TypeKind.Layout, MemoryFormat: fb.TypeKind.MemoryFormat,
  Generator: fb.TypeKind.Generator, Storage: fb.TypeKind.Storage, Stream: fb.TypeKind.Stream,
};

/** A byte vector whose data starts on a 64-byte boundary (flatc's TS output ignores force_align). */
function alignedBytes(b: Builder, data: Uint8Array): Offset {
  const inner = b as unknown as { bb: { setPosition(p: number): void; bytes(): Uint8Array }; space: number };
  b.startVector(1, data.length, 64);
  if (typeof inner.space === 'number' && inner.bb && typeof inner.bb.bytes === 'function') {
    inner.space -= data.length;
    inner.bb.setPosition(inner.space);
    inner.bb.bytes().set(data, inner.space);
  } else {
    for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]!);
  }
  return b.endVector();
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Storage bytes in the file's layout (little-endian; float16 as half bits, int64 as 8-byte ints). */
function storageBytes(dtype: DType, a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  switch (dtype) {
    case 'float16': {
      const out = new Uint16Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = f32ToF16Bits(a[i]!);
      return new Uint8Array(out.buffer);
    }
    case 'int64': {
      const out = new BigInt64Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = BigInt(Math.trunc(a[i]!));
      return new Uint8Array(out.buffer);
    }
    default:
      return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  }
}

/** The module form of what is saved: root object, kind, output specs. */
interface Prepared {
  kind: fb.ModelKind;
  root: ScriptObject;
  /** method graphs by class */
  methodsOf(type: ClassType): [string, Graph][];
  /** the JS-facing signature of a method graph, when known */
  signature(g: Graph): ParamInfo[] | undefined;
  functionGraph(q: string): Graph | undefined;
  outputSpecs: Map<string, OutputSpec>;
  extraFiles: Map<string, Uint8Array>;
}

/** The graph of a function with a `self` input of `type` prepended (a function saved as a module's forward). */
export function withSelf(g: Graph, type: ClassType): Graph {
  const out = new Graph(g.name);
  out.addInput(type, 'self');
  const map = new Map<IRValue, IRValue>();
  for (const v of g.inputs) map.set(v, out.addInput(v.type, v.debugName));
  for (let n = g.block.firstNode; n; n = n.next) out.block.appendNode(cloneNode(out, n, map));
  for (const v of g.outputs) out.registerOutput(map.get(v)!);
  return out;
}

function prepare(m: Saveable): Prepared {
  if (m instanceof ScriptFunction) {
    const type = new ClassType(`__torch__.${m.name}`, { isModule: true });
    const forward = withSelf(m.ir, type);
    const root = new ScriptObject(type);
    return {
      kind: fb.ModelKind.Function,
      root,
      methodsOf: (t) => (t === type ? [['forward', forward]] : []),
      signature: () => undefined,
      functionGraph: () => undefined,
      outputSpecs: m.outputSpec ? new Map([['forward', m.outputSpec]]) : new Map(),
      extraFiles: new Map(),
    };
  }
  if (m instanceof TracedModule) {
    return {
      kind: m.isFunction ? fb.ModelKind.Function : fb.ModelKind.Module,
      root: m.object,
      methodsOf: (t) => [...t.methods].filter((e): e is [string, Graph] => e[1] instanceof Graph),
      signature: (g) => m.signatures.get(g),
      functionGraph: (q) => m.functions.get(q),
      outputSpecs: m.outputSpecs,
      extraFiles: new Map(m.extraFiles),
    };
  }
  if (m instanceof ScriptModule) {
    const unit = m.unit;
    const sigs = new Map<Graph, ParamInfo[]>();
    return {
      signature: (g) => sigs.get(g),
      kind: fb.ModelKind.Module,
      root: m.object,
      methodsOf: (t) => {
        const out: [string, Graph][] = [];
        const names = new Set<string>([...(unit.classInfoOf(t)?.methodDefs.keys() ?? []), ...[...t.methods.keys()]]);
        for (const name of names) {
          const native = t.methods.get(name);
          if (!unit.methodSig(t, name)) {
            if (native instanceof Graph) out.push([name, native]);
            continue;
          }
          try {
            const g = unit.methodGraph(t, name);
            out.push([name, g]);
            sigs.set(g, unit.methodSig(t, name)!.params.map((p) => ({ name: p.name, type: p.type, ...(p.default ? { default: p.default } : {}) })));
          } catch (e) {
            // a method that does not compile cannot be called after loading either: leave it out
            if (!(e instanceof ScriptCompileError)) throw e;
          }
        }
        return out;
      },
      functionGraph: (q) => {
        try {
          return unit.functionGraph(q);
        } catch (e) {
          if (e instanceof ScriptCompileError) return undefined;
          throw e;
        }
      },
      outputSpecs: new Map(),
      extraFiles: new Map(m.extraFiles),
    };
  }
  throw new GraphFormatError(`torch.jit.save expects a traced function or module (torch.jit.trace) or a loaded ScriptModule, got ${String(m)}`);
}

class Writer {
  readonly b: Builder;
  private readonly typeIndex = new Map<string, number>();
  private readonly typeOffsets: Offset[] = [];
  readonly classes: ClassType[] = [];
  private readonly classIndex = new Map<ClassType, number>();
  readonly objects: ScriptObject[] = [];
  private readonly objectIndex = new Map<ScriptObject, number>();
  readonly tensors: Tensor[] = [];
  private readonly tensorIndex = new Map<Tensor, number>();
  private readonly storageIndex = new Map<unknown, number>();
  readonly storageOffsets: Offset[] = [];
  readonly tensorOffsets: Offset[] = [];
  readonly graphs: Graph[] = [];
  private readonly graphIndex = new Map<Graph, number>();
  /** host copies of non-CPU tensors (read before encoding) */
  readonly hostCopies = new Map<Tensor, Tensor>();

  constructor(sizeHint: number) {
    this.b = new Builder(Math.max(1024, Math.min(sizeHint + 65536, 2 ** 30)));
  }

  // ------------------------------------------------------------------ discovery

  classOf(t: ClassType): number {
    let i = this.classIndex.get(t);
    if (i === undefined) {
      i = this.classes.push(t) - 1;
      this.classIndex.set(t, i);
      for (const a of t.attributes) this.visitType(a.type);
      for (const c of t.constants.values()) {
        this.visitType(c.type);
        this.visitValue(c.value);
      }
    }
    return i;
  }
  visitType(t: IRType): void {
    switch (t.kind) {
      case 'List': case 'Optional': case 'Future':
        this.visitType(t.elem);
        break;
      case 'Tuple': case 'Union':
        for (const e of t.kind === 'Tuple' ? t.elems : t.types) this.visitType(e);
        break;
      case 'Dict':
        this.visitType(t.key);
        this.visitType(t.value);
        break;
      case 'Class':
        this.classOf(t);
        break;
      default:
        break;
    }
  }
  objectOf(o: ScriptObject): number {
    let i = this.objectIndex.get(o);
    if (i === undefined) {
      i = this.objects.push(o) - 1;
      this.objectIndex.set(o, i);
      this.classOf(o.type);
      for (const s of o.slots) this.visitValue(s);
    }
    return i;
  }
  visitValue(v: unknown): void {
    if (v instanceof ScriptObject) this.objectOf(v);
    else if (v instanceof Tensor) this.tensorOf(v);
    else if (Array.isArray(v)) for (const e of v) this.visitValue(e);
    else if (v instanceof Map) for (const [k, e] of v) {
      this.visitValue(k);
      this.visitValue(e);
    }
  }
  tensorOf(t: Tensor): number {
    let i = this.tensorIndex.get(t);
    if (i === undefined) {
      if (t.isDisposed) throw new GraphFormatError(`torch.jit.save: a tensor of the model (#${t.id}) was disposed`);
      i = this.tensors.push(t) - 1;
      this.tensorIndex.set(t, i);
    }
    return i;
  }
  graphOf(g: Graph): number {
    let i = this.graphIndex.get(g);
    if (i === undefined) {
      i = this.graphs.push(g) - 1;
      this.graphIndex.set(g, i);
      for (const n of g.allNodes()) {
        for (const o of n.outputs) this.visitType(o.type);
        for (const a of n.attrs.values()) {
          this.visitType(a.type);
          this.visitValue(a.value);
        }
        for (const b of n.blocks) for (const p of b.params) this.visitType(p.type);
      }
      for (const v of g.inputs) this.visitType(v.type);
    }
    return i;
  }

  // ------------------------------------------------------------------ encoding

  type(t: IRType): number {
    const key = typeKey(t, this.classIndex);
    const known = this.typeIndex.get(key);
    if (known !== undefined) return known;
    const b = this.b;
    let elems: number[] = [];
    let name: string | undefined;
    let fields: string[] | undefined;
    let classIndex = -1;
    let kind: fb.TypeKind;
    switch (t.kind) {
      case 'List': case 'Optional': case 'Future':
        kind = t.kind === 'List' ? fb.TypeKind.List : t.kind === 'Optional' ? fb.TypeKind.Optional : fb.TypeKind.Future;
        elems = [this.type(t.elem)];
        break;
      case 'Tuple':
        kind = fb.TypeKind.Tuple;
        elems = t.elems.map((e) => this.type(e));
        name = t.name;
        fields = t.fields ? [...t.fields] : undefined;
        break;
      case 'Union':
        kind = fb.TypeKind.Union;
        elems = t.types.map((e) => this.type(e));
        break;
      case 'Dict':
        kind = fb.TypeKind.Dict;
        elems = [this.type(t.key), this.type(t.value)];
        break;
      case 'Function':
        kind = fb.TypeKind.Function;
        name = t.name;
        break;
      case 'Class':
        kind = fb.TypeKind.Class;
        classIndex = this.classOf(t);
        break;
      default: {
        const k = BASE_KIND[t.kind];
        if (k === undefined) throw new GraphFormatError(`torch.jit.save: type ${typeToString(t)} cannot be saved`);
        kind = k;
      }
    }
    const elemsOff = elems.length ? fb.Type.createElemsVector(b, elems) : 0;
    const nameOff = name !== undefined ? b.createString(name) : 0;
    const fieldsOff = fields ? fb.Type.createFieldsVector(b, fields.map((f) => b.createString(f))) : 0;
    fb.Type.startType(b);
    fb.Type.addKind(b, kind);
    if (elemsOff) fb.Type.addElems(b, elemsOff);
    if (nameOff) fb.Type.addName(b, nameOff);
    if (fieldsOff) fb.Type.addFields(b, fieldsOff);
    if (classIndex >= 0) fb.Type.addClassIndex(b, classIndex);
    const off = fb.Type.endType(b);
    const i = this.typeOffsets.push(off) - 1;
    this.typeIndex.set(key, i);
    return i;
  }

  typesVector(): Offset {
    return fb.Model.createTypesVector(this.b, this.typeOffsets);
  }

  /** Storages and tensors (after every tensor was discovered). */
  encodeTensors(): void {
    const b = this.b;
    for (const t0 of this.tensors) {
      const t = this.hostCopies.get(t0) ?? t0;
      const st = t.storage;
      let si = this.storageIndex.get(st);
      if (si === undefined) {
        const arr = st.array;
        if (!arr) throw new GraphFormatError(`torch.jit.save: tensor #${t0.id} has no host memory`);
        const bytes = storageBytes(st.dtype, arr.subarray(0, st.size) as Float32Array);
        const data = alignedBytes(b, bytes);
        fb.Storage.startStorage(b);
        fb.Storage.addDtype(b, DTYPE_CODE[st.dtype]);
        fb.Storage.addNumel(b, BigInt(st.size));
        fb.Storage.addData(b, data);
        si = this.storageOffsets.push(fb.Storage.endStorage(b)) - 1;
        this.storageIndex.set(st, si);
      }
      const shape = fb.TensorDef.createShapeVector(b, t.shape.map((d) => BigInt(d)));
      const strides = fb.TensorDef.createStridesVector(b, t.strides.map((d) => BigInt(d)));
      fb.TensorDef.startTensorDef(b);
      fb.TensorDef.addStorage(b, si);
      fb.TensorDef.addShape(b, shape);
      fb.TensorDef.addStrides(b, strides);
      fb.TensorDef.addOffset(b, BigInt(t.offset));
      fb.TensorDef.addRequiresGrad(b, t0.requiresGrad);
      this.tensorOffsets.push(fb.TensorDef.endTensorDef(b));
    }
  }

  /** An IValue; `t` (the static type, when known) decides int vs float for numbers. */
  value(v: unknown, t: IRType | undefined): Offset {
    const b = this.b;
    const st = t?.kind === 'Optional' ? t.elem : t;
    let items: Offset[] | undefined, values: Offset[] | undefined, s: Offset = 0;
    let tag: fb.ValueTag, bool = false, int = 0n, float = 0, index = 0, named = 0;
    if (v === null || v === undefined) tag = fb.ValueTag.None;
    else if (typeof v === 'boolean') {
      tag = fb.ValueTag.Bool;
      bool = v;
    } else if (typeof v === 'number') {
      const asInt = st?.kind === 'int' || st?.kind === 'ScalarType' || st?.kind === 'Layout' || st?.kind === 'MemoryFormat' ||
        (st?.kind !== 'float' && st?.kind !== 'complex' && Number.isInteger(v) && !Object.is(v, -0));
      if (asInt && Number.isFinite(v)) {
        tag = fb.ValueTag.Int;
        // INT64_MAX reads as 2^63 in JS: clamp into int64
        int = v >= 2 ** 63 ? 9223372036854775807n : v < -(2 ** 63) ? -9223372036854775808n : BigInt(Math.trunc(v));
      } else {
        tag = fb.ValueTag.Float;
        float = v;
      }
    } else if (typeof v === 'bigint') {
      tag = fb.ValueTag.BigInt;
      s = b.createString(v.toString());
    } else if (typeof v === 'string') {
      tag = st?.kind === 'Device' ? fb.ValueTag.Device : fb.ValueTag.Str;
      s = b.createString(v);
    } else if (v instanceof Tensor) {
      tag = fb.ValueTag.Tensor;
      index = this.tensorOf(v);
    } else if (v instanceof ScriptObject) {
      tag = fb.ValueTag.Obj;
      index = this.objectOf(v);
    } else if (v instanceof TupleValue) {
      tag = fb.ValueTag.Tuple;
      const tt = st?.kind === 'Tuple' ? st : undefined;
      items = v.map((e, i) => this.value(e, tt?.elems[i]));
      if (v.namedType) named = this.type(v.namedType) + 1;
    } else if (Array.isArray(v)) {
      tag = fb.ValueTag.List;
      const et = st?.kind === 'List' ? st.elem : st?.kind === 'Tuple' ? undefined : undefined;
      items = v.map((e, i) => this.value(e, st?.kind === 'Tuple' ? st.elems[i] : et));
      if (st?.kind === 'Tuple') tag = fb.ValueTag.Tuple;
    } else if (v instanceof Map) {
      tag = fb.ValueTag.Dict;
      const kt = st?.kind === 'Dict' ? st.key : undefined, vt = st?.kind === 'Dict' ? st.value : undefined;
      items = [...v.keys()].map((k) => this.value(k, kt));
      values = [...v.values()].map((x) => this.value(x, vt));
    } else {
      const name = (v as object)?.constructor?.name ?? typeof v;
      throw new GraphFormatError(`torch.jit.save: a value of type ${name} cannot be saved${name === 'UnsupportedTensor' ? ` (${String(v)})` : ''}`);
    }
    const itemsOff = items ? fb.Value.createItemsVector(b, items) : 0;
    const valuesOff = values ? fb.Value.createValuesVector(b, values) : 0;
    fb.Value.startValue(b);
    fb.Value.addTag(b, tag);
    if (bool) fb.Value.addB(b, true);
    if (int !== 0n) fb.Value.addI(b, int);
    if (float !== 0 || Object.is(float, -0)) fb.Value.addF(b, float);
    if (s) fb.Value.addS(b, s);
    if (index) fb.Value.addIndex(b, index);
    if (itemsOff) fb.Value.addItems(b, itemsOff);
    if (valuesOff) fb.Value.addValues(b, valuesOff);
    if (named) fb.Value.addNamedType(b, named);
    return fb.Value.endValue(b);
  }

  // ------------------------------------------------------------------ graphs

  graph(g: Graph): Offset {
    const numbers = new Map<IRValue, number>();
    let next = 0;
    const number = (v: IRValue): void => {
      numbers.set(v, next++);
    };
    const numberBlock = (bl: Block): void => {
      bl.params.forEach(number);
      for (const n of bl) {
        n.outputs.forEach(number);
        n.blocks.forEach(numberBlock);
      }
    };
    numberBlock(g.block);
    const b = this.b;
    const valueDef = (v: IRValue): Offset => {
      const ty = this.type(v.type);
      const name = v.debugName !== undefined ? b.createString(v.debugName) : 0;
      fb.ValueDef.startValueDef(b);
      fb.ValueDef.addType(b, ty);
      if (name) fb.ValueDef.addName(b, name);
      return fb.ValueDef.endValueDef(b);
    };
    const ref = (v: IRValue): number => {
      const i = numbers.get(v);
      if (i === undefined) throw new GraphFormatError(`torch.jit.save: ${g.name ?? 'graph'} uses ${v} outside its scope`);
      return i;
    };
    const node = (n: Node): Offset => {
      const kind = b.createString(n.kind);
      const overload = n.overload !== undefined ? b.createString(n.overload) : 0;
      const inputs = fb.NodeDef.createInputsVector(b, n.inputs.map(ref));
      const outputs = fb.NodeDef.createOutputsVector(b, n.outputs.map(valueDef));
      const attrs = [...n.attrs].map(([k, a]) => {
        const name = b.createString(k);
        const ty = this.type(a.type);
        const val = this.value(a.value, a.type);
        fb.Attribute.startAttribute(b);
        fb.Attribute.addName(b, name);
        fb.Attribute.addType(b, ty);
        fb.Attribute.addValue(b, val);
        return fb.Attribute.endAttribute(b);
      });
      const attrsOff = attrs.length ? fb.NodeDef.createAttributesVector(b, attrs) : 0;
      const blocks = n.blocks.length ? fb.NodeDef.createBlocksVector(b, n.blocks.map(block)) : 0;
      let source = 0;
      if (n.source) {
        const file = b.createString(n.source.file);
        const text = n.source.text !== undefined ? b.createString(n.source.text) : 0;
        fb.SourceDef.startSourceDef(b);
        fb.SourceDef.addFile(b, file);
        fb.SourceDef.addLine(b, n.source.line);
        if (n.source.col !== undefined) fb.SourceDef.addCol(b, n.source.col);
        if (text) fb.SourceDef.addText(b, text);
        source = fb.SourceDef.endSourceDef(b);
      }
      fb.NodeDef.startNodeDef(b);
      fb.NodeDef.addKind(b, kind);
      if (overload) fb.NodeDef.addOverload(b, overload);
      fb.NodeDef.addInputs(b, inputs);
      fb.NodeDef.addOutputs(b, outputs);
      if (attrsOff) fb.NodeDef.addAttributes(b, attrsOff);
      if (blocks) fb.NodeDef.addBlocks(b, blocks);
      if (source) fb.NodeDef.addSource(b, source);
      return fb.NodeDef.endNodeDef(b);
    };
    const block = (bl: Block): Offset => {
      const params = fb.BlockDef.createParamsVector(b, bl.params.map(valueDef));
      const nodes = fb.BlockDef.createNodesVector(b, bl.nodes().map(node));
      const returns = fb.BlockDef.createReturnsVector(b, bl.returns.map(ref));
      fb.BlockDef.startBlockDef(b);
      fb.BlockDef.addParams(b, params);
      fb.BlockDef.addNodes(b, nodes);
      fb.BlockDef.addReturns(b, returns);
      return fb.BlockDef.endBlockDef(b);
    };
    const top = block(g.block);
    const name = g.name !== undefined ? b.createString(g.name) : 0;
    fb.GraphDef.startGraphDef(b);
    if (name) fb.GraphDef.addName(b, name);
    fb.GraphDef.addBlock(b, top);
    return fb.GraphDef.endGraphDef(b);
  }

  classDef(t: ClassType, methods: [string, number][], signature: (g: Graph) => ParamInfo[] | undefined): Offset {
    const b = this.b;
    const name = b.createString(t.name);
    const attrs = t.attributes.map((a) => {
      const n = b.createString(a.name);
      const ty = this.type(a.type);
      fb.ClassAttribute.startClassAttribute(b);
      fb.ClassAttribute.addName(b, n);
      fb.ClassAttribute.addType(b, ty);
      if (a.isParameter) fb.ClassAttribute.addIsParameter(b, true);
      if (a.isBuffer) fb.ClassAttribute.addIsBuffer(b, true);
      return fb.ClassAttribute.endClassAttribute(b);
    });
    const consts = [...t.constants].map(([k, c]) => {
      const n = b.createString(k);
      const ty = this.type(c.type);
      const v = this.value(c.value, c.type);
      fb.ClassConstant.startClassConstant(b);
      fb.ClassConstant.addName(b, n);
      fb.ClassConstant.addType(b, ty);
      fb.ClassConstant.addValue(b, v);
      return fb.ClassConstant.endClassConstant(b);
    });
    const ms = methods.map(([k, gi]) => {
      const n = b.createString(k);
      const sig = signature(this.graphs[gi]!);
      const params = sig
        ? fb.Method.createParamsVector(b, sig.map((p) => {
          const pn = b.createString(p.name);
          const ty = this.type(p.type);
          const dv = p.default ? this.value(p.default.value, p.type) : 0;
          fb.ParamDef.startParamDef(b);
          fb.ParamDef.addName(b, pn);
          fb.ParamDef.addType(b, ty);
          if (p.default) {
            fb.ParamDef.addHasDefault(b, true);
            fb.ParamDef.addDefaultValue(b, dv);
          }
          return fb.ParamDef.endParamDef(b);
        }))
        : 0;
      fb.Method.startMethod(b);
      fb.Method.addName(b, n);
      fb.Method.addGraph(b, gi);
      if (params) fb.Method.addParams(b, params);
      return fb.Method.endMethod(b);
    });
    const attrsOff = fb.ClassDef.createAttributesVector(b, attrs);
    const constsOff = fb.ClassDef.createConstantsVector(b, consts);
    const msOff = fb.ClassDef.createMethodsVector(b, ms);
    fb.ClassDef.startClassDef(b);
    fb.ClassDef.addName(b, name);
    if (t.isModule) fb.ClassDef.addIsModule(b, true);
    if (t.isInterface) fb.ClassDef.addIsInterface(b, true);
    fb.ClassDef.addAttributes(b, attrsOff);
    fb.ClassDef.addConstants(b, constsOff);
    fb.ClassDef.addMethods(b, msOff);
    return fb.ClassDef.endClassDef(b);
  }

  objectDef(o: ScriptObject): Offset {
    const b = this.b;
    const slots = o.slots.map((s, i) => this.value(s, o.type.attributes[i]?.type));
    const slotsOff = fb.ObjectDef.createSlotsVector(b, slots);
    fb.ObjectDef.startObjectDef(b);
    fb.ObjectDef.addClassIndex(b, this.classOf(o.type));
    fb.ObjectDef.addSlots(b, slotsOff);
    return fb.ObjectDef.endObjectDef(b);
  }
}

function typeKey(t: IRType, classes: Map<ClassType, number>): string {
  const k = (x: IRType): string => {
    switch (x.kind) {
      case 'Class': return `C${classes.get(x) ?? `?${x.name}`}`;
      case 'List': return `L(${k(x.elem)})`;
      case 'Optional': return `O(${k(x.elem)})`;
      case 'Future': return `F(${k(x.elem)})`;
      case 'Tuple': return `T${x.name ?? ''}[${x.fields?.join(',') ?? ''}](${x.elems.map(k).join(',')})`;
      case 'Union': return `U(${x.types.map(k).join(',')})`;
      case 'Dict': return `D(${k(x.key)},${k(x.value)})`;
      case 'Function': return `Fn(${x.name})`;
      default: return x.kind;
    }
  };
  return k(t);
}

function tensorBytesHint(root: ScriptObject): number {
  let total = 0;
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v instanceof Tensor) {
      if (!seen.has(v.storage)) {
        seen.add(v.storage);
        total += v.storage.size * 8 + 128;
      }
    } else if (v instanceof ScriptObject) {
      if (seen.has(v)) return;
      seen.add(v);
      v.slots.forEach(walk);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v instanceof Map) v.forEach(walk);
  };
  walk(root);
  return total;
}

/**
 * torch.jit.save: the model as a torchlet graph file. Accepts traced functions and modules
 * (`torch.jit.trace`) and modules loaded from TorchScript archives (their compiled methods are
 * saved as graphs). Load it back with `torch.jit.load`.
 */
export async function save(m: Saveable, options: SaveOptions = {}): Promise<Uint8Array> {
  if (!littleEndian()) throw new GraphFormatError('torch.jit.save: big-endian hosts are not supported');
  const p = prepare(m);
  const w = new Writer(tensorBytesHint(p.root));

  // discovery: objects, classes, graphs (methods of every class, called functions), tensors
  w.objectOf(p.root);
  const methodGraphs = new Map<ClassType, [string, number][]>();
  const functions = new Map<string, number>();
  for (let done = 0; done < w.classes.length || pendingFunctions(w, functions, p); ) {
    for (; done < w.classes.length; done++) {
      const t = w.classes[done]!;
      methodGraphs.set(t, p.methodsOf(t).map(([k, g]) => [k, w.graphOf(g)]));
    }
  }
  // non-CPU tensors are read back to the host first
  for (const t of w.tensors) {
    if (t.device !== 'cpu') {
      const host = await getBackend(t.device).read(t);
      w.hostCopies.set(t, Tensor.fromArray(host, t.shape, t.dtype));
    }
  }

  const b = w.b;
  w.encodeTensors();
  const storages = fb.Model.createStoragesVector(b, w.storageOffsets);
  const tensors = fb.Model.createTensorsVector(b, w.tensorOffsets);
  const graphs = fb.Model.createGraphsVector(b, w.graphs.map((g) => w.graph(g)));
  const objects = fb.Model.createObjectsVector(b, w.objects.map((o) => w.objectDef(o)));
  const classes = fb.Model.createClassesVector(b, w.classes.map((c) => w.classDef(c, methodGraphs.get(c) ?? [], p.signature)));
  const fns = fb.Model.createFunctionsVector(b, [...functions].map(([q, gi]) => {
    const n = b.createString(q);
    fb.NamedGraph.startNamedGraph(b);
    fb.NamedGraph.addName(b, n);
    fb.NamedGraph.addGraph(b, gi);
    return fb.NamedGraph.endNamedGraph(b);
  }));
  const extras = new Map(p.extraFiles);
  const given = options.extraFiles instanceof Map ? [...options.extraFiles] : Object.entries(options.extraFiles ?? {});
  for (const [k, v] of given) extras.set(k, typeof v === 'string' ? new TextEncoder().encode(v) : v);
  const extraFiles = fb.Model.createExtraFilesVector(b, [...extras].map(([k, v]) => {
    const n = b.createString(k);
    const d = b.createByteVector(v);
    fb.ExtraFile.startExtraFile(b);
    fb.ExtraFile.addName(b, n);
    fb.ExtraFile.addData(b, d);
    return fb.ExtraFile.endExtraFile(b);
  }));
  const metadata = b.createString(JSON.stringify({ outputSpecs: Object.fromEntries(p.outputSpecs) }));
  const types = w.typesVector();
  fb.Model.startModel(b);
  fb.Model.addKind(b, p.kind);
  fb.Model.addTypes(b, types);
  fb.Model.addClasses(b, classes);
  fb.Model.addStorages(b, storages);
  fb.Model.addTensors(b, tensors);
  fb.Model.addObjects(b, objects);
  fb.Model.addGraphs(b, graphs);
  fb.Model.addFunctions(b, fns);
  fb.Model.addRoot(b, 0);
  fb.Model.addExtraFiles(b, extraFiles);
  fb.Model.addMetadata(b, metadata);
  b.finish(fb.Model.endModel(b));
  const model = b.asUint8Array();

  const payload = options.compress ? deflateSync(model, { level: 6 }) : model;
  const fbb = new Builder(payload.length + 1024);
  const data = alignedBytes(fbb, payload);
  const producer = fbb.createString(PRODUCER);
  fb.File.startFile(fbb);
  fb.File.addFormatVersion(fbb, FORMAT_VERSION);
  fb.File.addMinReaderVersion(fbb, READER_VERSION);
  fb.File.addProducer(fbb, producer);
  fb.File.addCompression(fbb, options.compress ? fb.Compression.Deflate : fb.Compression.None);
  fb.File.addModelSize(fbb, BigInt(model.length));
  fb.File.addModel(fbb, data);
  fbb.finish(fb.File.endFile(fbb), FILE_IDENTIFIER);
  return fbb.asUint8Array().slice();
}

/** Adds the graphs of functions called (prim::CallFunction) by graphs found so far; true if any were added. */
function pendingFunctions(w: Writer, functions: Map<string, number>, p: Prepared): boolean {
  let added = false;
  for (let i = 0; i < w.graphs.length; i++) {
    for (const n of w.graphs[i]!.allNodes()) {
      if (n.kind !== 'prim::CallFunction') continue;
      const q = n.s('name');
      if (functions.has(q)) continue;
      const g = p.functionGraph(q);
      if (!g) continue;
      functions.set(q, w.graphOf(g));
      added = true;
    }
  }
  return added;
}
