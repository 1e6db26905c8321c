/**
 * Reads a torchlet graph file (schema/torchlet_graph.fbs) back into a TracedModule. Tensor
 * storages view the file's bytes when the dtype's array type matches and the data is aligned
 * (float32/float64/int8/int16/int32/uint8/bool of an uncompressed file); float16 and int64 are
 * converted.
 */
import { Storage, Tensor, f16BitsToF32, storageArrayCtor, type DType, type StorageArray } from '@torchlet/core';
import {
  AnyType, BoolType, ClassType, ComplexType, DeviceType, DictOf, FloatType, FunctionOf, FutureOf, GeneratorType, Graph, IntType,
  LayoutType, ListOf, MemoryFormatType, NamedTupleOf, NoneType, NumberType, OptionalOf, ScalarTypeType, ScriptObject, StorageType,
  StrType, StreamType, TensorType, TupleOf, UnionOf, tuple, type Block, type IRType, type InferenceOptions, type TupleType, type Value as IRValue,
} from '@torchlet/ir';
import { ByteBuffer } from 'flatbuffers';
import { inflateSync } from 'fflate';
import { TracedModule, type ParamInfo } from '../trace/traced.js';
import type { OutputSpec } from '../trace/tracer.js';
import * as fb from './fb.js';
import { GraphFormatError, READER_VERSION, isGraphFile } from './format.js';

const DTYPES: Record<number, DType> = {
  [fb.DType.Float32]: 'float32', [fb.DType.Float64]: 'float64', [fb.DType.Float16]: 'float16', [fb.DType.Int8]: 'int8',
  [fb.DType.Int16]: 'int16', [fb.DType.Int32]: 'int32', [fb.DType.Int64]: 'int64', [fb.DType.UInt8]: 'uint8', [fb.DType.Bool]: 'bool',
};
const ITEM: Record<DType, number> = { float32: 4, float64: 8, float16: 2, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, bool: 1 };

const BASE: Partial<Record<fb.TypeKind, IRType>> = {
  [fb.TypeKind.Tensor]: TensorType, [fb.TypeKind.Int]: IntType, [fb.TypeKind.Float]: FloatType, [fb.TypeKind.Bool]: BoolType,
  [fb.TypeKind.Str]: StrType, [fb.TypeKind.Complex]: ComplexType, [fb.TypeKind.NoneType]: NoneType, [fb.TypeKind.Device]: DeviceType,
  [fb.TypeKind.Any]: AnyType, [fb.TypeKind.Number]: NumberType, [fb.TypeKind.ScalarType]: ScalarTypeType, [fb.TypeKind.Layout]: LayoutType,
  [fb.TypeKind.MemoryFormat]: MemoryFormatType, [fb.TypeKind.Generator]: GeneratorType, [fb.TypeKind.Storage]: StorageType,
  [fb.TypeKind.Stream]: StreamType,
};

export interface FileInfo {
  formatVersion: number;
  minReaderVersion: number;
  producer: string;
  compressed: boolean;
}

/** Reads the envelope: versions, producer, compression. Throws a GraphFormatError for files this build cannot read. */
export function readFileInfo(bytes: Uint8Array): { info: FileInfo; file: fb.File } {
  if (!isGraphFile(bytes)) throw new GraphFormatError('not a torchlet graph file (no TLGF identifier)');
  if (bytes.length < 16) throw new GraphFormatError('torchlet graph file: truncated');
  const file = fb.File.getRootAsFile(new ByteBuffer(bytes));
  let info: FileInfo;
  try {
    info = { formatVersion: file.formatVersion(), minReaderVersion: file.minReaderVersion(), producer: file.producer() ?? 'unknown', compressed: file.compression() === fb.Compression.Deflate };
  } catch (e) {
    throw new GraphFormatError(`torchlet graph file: damaged header (${(e as Error).message})`);
  }
  if (info.minReaderVersion > READER_VERSION) {
    throw new GraphFormatError(
      `this torchlet graph file was written by ${info.producer} (format version ${info.formatVersion}) and needs a reader of version ${info.minReaderVersion}; ` +
        `this torchlet reads format versions up to ${READER_VERSION}. Upgrade torchlet to load it.`,
    );
  }
  return { info, file };
}

/** torch.jit.load for torchlet graph files (`optimize`: see TracedModuleOptions; default true). */
export function loadGraphFile(bytes: Uint8Array, opts: { optimize?: boolean | InferenceOptions } = {}): TracedModule {
  const { info, file } = readFileInfo(bytes);
  let model = file.modelArray();
  if (!model) throw new GraphFormatError('torchlet graph file: it holds no model');
  if (info.compressed) {
    try {
      model = inflateSync(model, { out: new Uint8Array(Number(file.modelSize())) });
    } catch (e) {
      throw new GraphFormatError(`torchlet graph file: the compressed model is damaged (${(e as Error).message})`);
    }
  }
  try {
    return new Reader(fb.Model.getRootAsModel(new ByteBuffer(model)), info, opts.optimize ?? true).module();
  } catch (e) {
    if (e instanceof GraphFormatError) throw e;
    throw new GraphFormatError(`torchlet graph file: damaged model (${(e as Error).message})`);
  }
}

class Reader {
  private readonly types: (IRType | undefined)[] = [];
  private readonly classes: ClassType[] = [];
  private readonly storages: (Storage | undefined)[] = [];
  private readonly tensors: (Tensor | undefined)[] = [];
  private readonly objects: ScriptObject[] = [];
  private readonly graphs: (Graph | undefined)[] = [];
  /** storages already owned by a tensor (further views retain them) */
  private readonly owned = new Set<Storage>();
  readonly signatures = new Map<Graph, ParamInfo[]>();

  constructor(
    readonly m: fb.Model,
    readonly info: FileInfo,
    readonly optimize: boolean | InferenceOptions,
  ) {}

  module(): TracedModule {
    const m = this.m;
    // class shells first (types refer to them), then their attributes
    for (let i = 0; i < m.classesLength(); i++) {
      const c = m.classes(i)!;
      this.classes.push(new ClassType(c.name() ?? `__torch__.Class${i}`, { isModule: c.isModule(), isInterface: c.isInterface() }));
    }
    for (let i = 0; i < m.classesLength(); i++) {
      const c = m.classes(i)!, t = this.classes[i]!;
      for (let k = 0; k < c.attributesLength(); k++) {
        const a = c.attributes(k)!;
        t.addAttribute(a.name() ?? `_${k}`, this.type(a.type()), { isParameter: a.isParameter(), isBuffer: a.isBuffer() });
      }
    }
    // objects: shells, then slots (objects may refer to each other)
    for (let i = 0; i < m.objectsLength(); i++) {
      const o = m.objects(i)!;
      const t = this.classes[o.classIndex()];
      if (!t) throw new GraphFormatError(`object ${i} has an unknown class ${o.classIndex()}`);
      this.objects.push(new ScriptObject(t));
    }
    for (let i = 0; i < m.objectsLength(); i++) {
      const o = m.objects(i)!, obj = this.objects[i]!;
      for (let k = 0; k < o.slotsLength(); k++) obj.slots[k] = this.value(o.slots(k)!);
    }
    for (let i = 0; i < m.classesLength(); i++) {
      const c = m.classes(i)!, t = this.classes[i]!;
      for (let k = 0; k < c.constantsLength(); k++) {
        const x = c.constants(k)!;
        t.constants.set(x.name() ?? `_${k}`, { value: this.value(x.value()!), type: this.type(x.type()) });
      }
      for (let k = 0; k < c.methodsLength(); k++) {
        const me = c.methods(k)!;
        const g = this.graph(me.graph());
        t.methods.set(me.name() ?? `_${k}`, g);
        if (me.paramsLength() > 0) {
          const params: ParamInfo[] = [];
          for (let j = 0; j < me.paramsLength(); j++) {
            const p = me.params(j)!;
            const dv = p.defaultValue();
            params.push({ name: p.name() ?? `input_${j}`, type: this.type(p.type()), ...(p.hasDefault() && dv ? { default: { value: this.value(dv) } } : {}) });
          }
          this.signatures.set(g, params);
        }
      }
    }
    const functions = new Map<string, Graph>();
    for (let i = 0; i < m.functionsLength(); i++) {
      const f = m.functions(i)!;
      functions.set(f.name() ?? `_${i}`, this.graph(f.graph()));
    }
    const extraFiles = new Map<string, Uint8Array>();
    for (let i = 0; i < m.extraFilesLength(); i++) {
      const e = m.extraFiles(i)!;
      extraFiles.set(e.name() ?? `_${i}`, e.dataArray()?.slice() ?? new Uint8Array(0));
    }
    let outputSpecs = new Map<string, OutputSpec>();
    const meta = m.metadata();
    if (meta) {
      try {
        const j = JSON.parse(meta) as { outputSpecs?: Record<string, OutputSpec> };
        outputSpecs = new Map(Object.entries(j.outputSpecs ?? {}));
      } catch {
        throw new GraphFormatError('torchlet graph file: damaged metadata');
      }
    }
    const root = this.objects[m.root()];
    if (!root) throw new GraphFormatError('torchlet graph file: no root object');
    return new TracedModule(root, { functions, outputSpecs, version: this.info.formatVersion, extraFiles, isFunction: m.kind() === fb.ModelKind.Function, signatures: this.signatures, optimize: this.optimize });
  }

  type(i: number): IRType {
    const known = this.types[i];
    if (known) return known;
    const t = this.m.types(i);
    if (!t) throw new GraphFormatError(`unknown type ${i}`);
    const elems = (): IRType[] => {
      const out: IRType[] = [];
      for (let k = 0; k < t.elemsLength(); k++) out.push(this.type(t.elems(k)!));
      return out;
    };
    let r: IRType;
    const kind: fb.TypeKind = t.kind();
    const base = BASE[kind];
    if (base) r = base;
    else {
      switch (kind) {
        case fb.TypeKind.List: r = ListOf(elems()[0]!); break;
        case fb.TypeKind.Optional: r = OptionalOf(elems()[0]!); break;
        case fb.TypeKind.Future: r = FutureOf(elems()[0]!); break;
        case fb.TypeKind.Union: r = UnionOf(elems()); break;
        case fb.TypeKind.Dict: {
          const [k, v] = elems();
          r = DictOf(k!, v!);
          break;
        }
        case fb.TypeKind.Tuple: {
          const name = t.name();
          if (name) {
            const fields: string[] = [];
            for (let k = 0; k < t.fieldsLength(); k++) fields.push(t.fields(k));
            r = NamedTupleOf(name, fields, elems());
          } else r = TupleOf(elems());
          break;
        }
        case fb.TypeKind.Function: r = FunctionOf(t.name() ?? ''); break;
        case fb.TypeKind.Class: {
          const c = this.classes[t.classIndex()];
          if (!c) throw new GraphFormatError(`type ${i} refers to an unknown class`);
          r = c;
          break;
        }
        default:
          throw new GraphFormatError(`type ${i} has an unknown kind ${kind} (written by a newer torchlet?)`);
      }
    }
    this.types[i] = r;
    return r;
  }

  storage(i: number): Storage {
    const known = this.storages[i];
    if (known) return known;
    const s = this.m.storages(i);
    if (!s) throw new GraphFormatError(`unknown storage ${i}`);
    const dtype = DTYPES[s.dtype()];
    if (!dtype) throw new GraphFormatError(`storage ${i} has an unknown dtype ${s.dtype()}`);
    const n = Number(s.numel());
    const bytes = s.dataArray() ?? new Uint8Array(0);
    if (bytes.length !== n * ITEM[dtype]) throw new GraphFormatError(`storage ${i}: ${bytes.length} bytes for ${n} ${dtype} elements`);
    const st = new Storage('cpu', dtype, n, storageArray(dtype, bytes, n));
    this.storages[i] = st;
    return st;
  }

  tensor(i: number): Tensor {
    const known = this.tensors[i];
    if (known) return known;
    const d = this.m.tensors(i);
    if (!d) throw new GraphFormatError(`unknown tensor ${i}`);
    const st = this.storage(d.storage());
    const shape: number[] = [], strides: number[] = [];
    for (let k = 0; k < d.shapeLength(); k++) shape.push(Number(d.shape(k)));
    for (let k = 0; k < d.stridesLength(); k++) strides.push(Number(d.strides(k)));
    const offset = Number(d.offset());
    if (strides.length !== shape.length || shape.some((x) => x < 0 || !Number.isInteger(x))) throw new GraphFormatError(`tensor ${i}: bad shape/strides`);
    let maxIndex = offset;
    for (let k = 0; k < shape.length; k++) if (shape[k]! > 0) maxIndex += (shape[k]! - 1) * Math.max(0, strides[k]!);
    if (shape.every((x) => x > 0) && (offset < 0 || maxIndex >= Math.max(st.size, 1))) throw new GraphFormatError(`tensor ${i}: view [${shape}] at offset ${offset} exceeds its storage of ${st.size} elements`);
    const t = new Tensor(this.owned.has(st) ? st.retain() : st, shape, strides, offset);
    this.owned.add(st);
    t.requiresGrad = d.requiresGrad();
    this.tensors[i] = t;
    return t;
  }

  value(v: fb.Value): unknown {
    const items = (): unknown[] => {
      const out: unknown[] = [];
      for (let k = 0; k < v.itemsLength(); k++) out.push(this.value(v.items(k)!));
      return out;
    };
    switch (v.tag()) {
      case fb.ValueTag.None: return null;
      case fb.ValueTag.Bool: return v.b();
      case fb.ValueTag.Int: return Number(v.i());
      case fb.ValueTag.Float: return v.f();
      case fb.ValueTag.Str:
      case fb.ValueTag.Device: return v.s() ?? '';
      case fb.ValueTag.BigInt: return BigInt(v.s() ?? '0');
      case fb.ValueTag.Tensor: return this.tensor(v.index());
      case fb.ValueTag.Obj: {
        const o = this.objects[v.index()];
        if (!o) throw new GraphFormatError(`unknown object ${v.index()}`);
        return o;
      }
      case fb.ValueTag.List: return items();
      case fb.ValueTag.Tuple: {
        const nt = v.namedType();
        return tuple(items(), nt ? (this.type(nt - 1) as TupleType) : undefined);
      }
      case fb.ValueTag.Dict: {
        const keys = items();
        const m = new Map<unknown, unknown>();
        keys.forEach((k, i) => m.set(k, this.value(v.values(i)!)));
        return m;
      }
      default:
        throw new GraphFormatError(`a value has an unknown tag ${v.tag()} (written by a newer torchlet?)`);
    }
  }

  graph(i: number): Graph {
    const known = this.graphs[i];
    if (known) return known;
    const gd = this.m.graphs(i);
    if (!gd) throw new GraphFormatError(`unknown graph ${i}`);
    const g = new Graph(gd.name() ?? undefined);
    this.graphs[i] = g;
    const values: IRValue[] = [];
    const ref = (k: number): IRValue => {
      const v = values[k];
      if (!v) throw new GraphFormatError(`graph ${g.name ?? i}: value ${k} is used before it is defined`);
      return v;
    };
    const block = (bd: fb.BlockDef, bl: Block): void => {
      for (let k = 0; k < bd.paramsLength(); k++) {
        const p = bd.params(k)!;
        values.push(bl.addParam(this.type(p.type()), p.name() ?? undefined));
      }
      for (let k = 0; k < bd.nodesLength(); k++) {
        const nd = bd.nodes(k)!;
        const ins: IRValue[] = [];
        for (let j = 0; j < nd.inputsLength(); j++) ins.push(ref(nd.inputs(j)!));
        const n = g.create(nd.kind() ?? 'prim::Uninitialized', ins, []);
        for (let j = 0; j < nd.outputsLength(); j++) {
          const o = nd.outputs(j)!;
          values.push(n.addOutput(this.type(o.type()), o.name() ?? undefined));
        }
        const ov = nd.overload();
        if (ov) n.overload = ov;
        for (let j = 0; j < nd.attributesLength(); j++) {
          const a = nd.attributes(j)!;
          n.attrs.set(a.name() ?? `_${j}`, { value: this.value(a.value()!), type: this.type(a.type()) });
        }
        const src = nd.source();
        if (src) {
          const text = src.text();
          n.source = { file: src.file() ?? '', line: src.line(), ...(src.col() ? { col: src.col() } : {}), ...(text ? { text } : {}) };
        }
        bl.appendNode(n);
        for (let j = 0; j < nd.blocksLength(); j++) block(nd.blocks(j)!, n.addBlock());
      }
      for (let k = 0; k < bd.returnsLength(); k++) bl.registerReturn(ref(bd.returns(k)!));
    };
    const top = gd.block();
    if (!top) throw new GraphFormatError(`graph ${i} has no body`);
    block(top, g.block);
    return g;
  }
}

/** Storage array over the file bytes when possible (no copy), else a converted copy. */
function storageArray(dtype: DType, bytes: Uint8Array, n: number): StorageArray {
  const off = bytes.byteOffset;
  switch (dtype) {
    case 'float32':
      return off % 4 === 0 ? new Float32Array(bytes.buffer, off, n) : new Float32Array(bytes.slice().buffer, 0, n);
    case 'float64':
      return off % 8 === 0 ? new Float64Array(bytes.buffer, off, n) : new Float64Array(bytes.slice().buffer, 0, n);
    case 'int32':
      return off % 4 === 0 ? new Int32Array(bytes.buffer, off, n) : new Int32Array(bytes.slice().buffer, 0, n);
    case 'int16':
      return off % 2 === 0 ? new Int16Array(bytes.buffer, off, n) : new Int16Array(bytes.slice().buffer, 0, n);
    case 'int8':
      return new Int8Array(bytes.buffer, off, n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(bytes.buffer, off, n);
    case 'float16': {
      const dv = new DataView(bytes.buffer, off, bytes.length);
      const out = new storageArrayCtor.float16(n);
      for (let i = 0; i < n; i++) out[i] = f16BitsToF32(dv.getUint16(i * 2, true));
      return out;
    }
    case 'int64': {
      const dv = new DataView(bytes.buffer, off, bytes.length);
      const out = new storageArrayCtor.int64(n);
      for (let i = 0; i < n; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
      return out;
    }
    default:
      return dtype satisfies never;
  }
}
