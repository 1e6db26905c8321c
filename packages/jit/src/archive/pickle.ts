import { Storage, Tensor, f16BitsToF32, keep, type DType, type StorageArray } from '@torchlet/core';
import { PickleError } from '../errors.js';

/**
 * A safe unpickler for the pickle subset PyTorch writes (`data.pkl`, `constants.pkl` of
 * `torch.jit.save` archives, and `torch.save` state dicts). Nothing is ever executed: GLOBALs are
 * resolved against an allow-list and every callable is one of a handful of known reconstructors.
 */

// ------------------------------------------------------------------------- values

/** A `torch.<Name>Storage` dtype token (the second element of a storage persistent id). */
export class StorageType {
  constructor(readonly name: string) {}
  /** `Float` for `FloatStorage` */
  get scalarName(): string {
    return this.name.replace(/Storage$/, '');
  }
}

/** Where `torch.<X>Storage` maps in torchlet, and how many bytes one element takes in the file. */
const STORAGE_DTYPES: Record<string, { dtype: DType | null; itemSize: number; torchName: string }> = {
  ByteStorage: { dtype: 'uint8', itemSize: 1, torchName: 'uint8' },
  CharStorage: { dtype: 'int8', itemSize: 1, torchName: 'int8' },
  ShortStorage: { dtype: 'int16', itemSize: 2, torchName: 'int16' },
  IntStorage: { dtype: 'int32', itemSize: 4, torchName: 'int32' },
  LongStorage: { dtype: 'int64', itemSize: 8, torchName: 'int64' },
  HalfStorage: { dtype: 'float16', itemSize: 2, torchName: 'float16' },
  FloatStorage: { dtype: 'float32', itemSize: 4, torchName: 'float32' },
  DoubleStorage: { dtype: 'float64', itemSize: 8, torchName: 'float64' },
  BoolStorage: { dtype: 'bool', itemSize: 1, torchName: 'bool' },
  // known to PyTorch, not representable in torchlet: loaded as UnsupportedTensor placeholders
  ComplexHalfStorage: { dtype: null, itemSize: 4, torchName: 'complex32' },
  ComplexFloatStorage: { dtype: null, itemSize: 8, torchName: 'complex64' },
  ComplexDoubleStorage: { dtype: null, itemSize: 16, torchName: 'complex128' },
  BFloat16Storage: { dtype: null, itemSize: 2, torchName: 'bfloat16' },
  QInt8Storage: { dtype: null, itemSize: 1, torchName: 'qint8' },
  QUInt8Storage: { dtype: null, itemSize: 1, torchName: 'quint8' },
  QInt32Storage: { dtype: null, itemSize: 4, torchName: 'qint32' },
  QUInt4x2Storage: { dtype: null, itemSize: 1, torchName: 'quint4x2' },
  QUInt2x4Storage: { dtype: null, itemSize: 1, torchName: 'quint2x4' },
  Float8_e5m2Storage: { dtype: null, itemSize: 1, torchName: 'float8_e5m2' },
  Float8_e4m3fnStorage: { dtype: null, itemSize: 1, torchName: 'float8_e4m3fn' },
  Float8_e5m2fnuzStorage: { dtype: null, itemSize: 1, torchName: 'float8_e5m2fnuz' },
  Float8_e4m3fnuzStorage: { dtype: null, itemSize: 1, torchName: 'float8_e4m3fnuz' },
  UInt16Storage: { dtype: null, itemSize: 2, torchName: 'uint16' },
  UInt32Storage: { dtype: null, itemSize: 4, torchName: 'uint32' },
  UInt64Storage: { dtype: null, itemSize: 8, torchName: 'uint64' },
};

export function storageInfo(t: StorageType): { dtype: DType | null; itemSize: number; torchName: string } | undefined {
  return STORAGE_DTYPES[t.name];
}

/**
 * A tensor whose dtype torchlet has no storage for (bfloat16, complex, quantized ...). It keeps
 * its metadata and raw bytes so the module still loads; using it in an op is an error.
 */
export class UnsupportedTensor {
  constructor(
    readonly torchDtype: string,
    readonly shape: number[],
    readonly strides: number[],
    readonly offset: number,
    readonly raw: Uint8Array,
  ) {}
  toString(): string {
    return `UnsupportedTensor(dtype=torch.${this.torchDtype}, shape=[${this.shape}])`;
  }
}

/** A loaded storage: a torchlet Storage, or raw bytes of a dtype torchlet lacks. */
export type LoadedStorage = { kind: 'storage'; storage: Storage; numel: number; claimed?: boolean } | { kind: 'raw'; torchDtype: string; bytes: Uint8Array; numel: number };

/** A value returned by a GLOBAL: what it may be used for is decided by `REDUCE`/`NEWOBJ`. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    /** set for `__torch__` classes: the resolved class handle */
    readonly cls?: unknown,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The value of `torch.device('cpu')` in a pickle; torchlet runs everything on its own devices. */
export type PickledDevice = string;

/** Type annotation attached by `torch.jit._pickle.restore_type_tag` / `build_*list` to containers. */
export const containerTypeTags = new WeakMap<object, string>();

export interface UnpicklerHooks {
  /** name of the record, for error messages (`data.pkl`) */
  record: string;
  /** loads the storage of a persistent id `('storage', type, key, location, numel)` */
  loadStorage(type: StorageType, key: string, location: string, numel: number): LoadedStorage;
  /** resolves a `__torch__.*` GLOBAL to a class handle (throws when there is no such class) */
  resolveClass?(qualifiedName: string): unknown;
  /** `NEWOBJ`: a fresh instance of a resolved class */
  newObject?(cls: unknown, qualifiedName: string): unknown;
  /** `BUILD` on an instance made by `newObject` */
  build?(obj: unknown, state: unknown): void;
}

// ------------------------------------------------------------------------- allow-list

const TORCH_UTILS = new Set(['_rebuild_tensor_v2', '_rebuild_tensor', '_rebuild_parameter', '_rebuild_parameter_with_state', '_rebuild_qtensor', '_rebuild_sparse_tensor']);
const JIT_PICKLE = new Set(['build_intlist', 'build_doublelist', 'build_boollist', 'build_tensorlist', 'restore_type_tag', 'build_tensor_from_id']);
const QSCHEMES: Record<string, number> = { per_tensor_affine: 0, per_channel_affine: 1, per_tensor_symmetric: 2, per_channel_symmetric: 3, per_channel_affine_float_qparams: 4 };

// ------------------------------------------------------------------------- the machine

const MARK = Symbol('mark');

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface UnpickleResult {
  value: unknown;
}

/** Unpickles one record. */
export function unpickle(data: Uint8Array, hooks: UnpicklerHooks): unknown {
  return new Unpickler(data, hooks).run();
}

class Unpickler {
  private pos = 0;
  private readonly stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly storages = new Map<string, LoadedStorage>();
  private readonly view: DataView;
  private opPos = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly hooks: UnpicklerHooks,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private fail(msg: string): never {
    throw new PickleError(msg, this.hooks.record, this.opPos);
  }

  private need(n: number): void {
    if (this.pos + n > this.data.length) this.fail(`truncated pickle: needs ${n} more byte(s) at offset ${this.pos}, record has ${this.data.length}`);
  }
  private u8(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }
  private u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  private i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  private bytes(n: number): Uint8Array {
    if (n < 0 || !Number.isSafeInteger(n)) this.fail(`bad length ${n}`);
    this.need(n);
    const b = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  private str(n: number): string {
    const b = this.bytes(n);
    try {
      return utf8.decode(b);
    } catch {
      this.fail('string is not valid UTF-8');
    }
  }
  private line(): string {
    const start = this.pos;
    while (this.pos < this.data.length && this.data[this.pos] !== 0x0a) this.pos++;
    if (this.pos >= this.data.length) this.fail('truncated pickle: unterminated GLOBAL line');
    let s = '';
    for (let i = start; i < this.pos; i++) {
      const c = this.data[i]!;
      if (c < 0x20 || c > 0x7e) this.fail('GLOBAL name is not printable ASCII');
      s += String.fromCharCode(c);
    }
    this.pos++;
    return s;
  }

  private push(v: unknown): void {
    this.stack.push(v);
  }
  private pop(): unknown {
    if (this.stack.length === 0 || (this.marks.length && this.stack.length <= this.marks[this.marks.length - 1]!)) this.fail('stack underflow');
    return this.stack.pop();
  }
  private top(): unknown {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack[this.stack.length - 1];
  }
  private popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail('MARK expected but the mark stack is empty');
    return this.stack.splice(m);
  }
  private memoGet(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo key ${i} is not defined`);
    return this.memo.get(i);
  }

  run(): unknown {
    const d = this.data;
    if (d.length < 2 || d[0] !== 0x80) this.fail('not a pickle (no PROTO opcode at the start)');
    for (;;) {
      this.opPos = this.pos;
      if (this.pos >= d.length) this.fail('truncated pickle: no STOP opcode');
      const op = d[this.pos++]!;
      switch (op) {
        case 0x80: {
          const proto = this.u8();
          if (proto < 2 || proto > 5) this.fail(`unsupported pickle protocol ${proto}`);
          break;
        }
        case 0x95: // FRAME
          this.bytes(8);
          break;
        case 0x2e: {
          // STOP
          if (this.marks.length) this.fail('STOP with an open MARK');
          if (this.stack.length !== 1) this.fail(`STOP with ${this.stack.length} values on the stack (expected 1)`);
          return this.stack[0];
        }
        case 0x28: // MARK
          this.marks.push(this.stack.length);
          break;
        case 0x31: // POP_MARK
          this.popMark();
          break;
        case 0x30: // POP
          this.pop();
          break;
        case 0x32: // DUP
          this.push(this.top());
          break;
        case 0x4e: // NONE
          this.push(null);
          break;
        case 0x88:
          this.push(true);
          break;
        case 0x89:
          this.push(false);
          break;
        case 0x4b: // BININT1
          this.push(this.u8());
          break;
        case 0x4d: // BININT2
          this.push(this.u16());
          break;
        case 0x4a: // BININT
          this.push(this.i32());
          break;
        case 0x8a: // LONG1
          this.push(this.long(this.u8()));
          break;
        case 0x8b: // LONG4
          this.push(this.long(this.i32()));
          break;
        case 0x47: {
          // BINFLOAT: big-endian double
          this.need(8);
          const v = this.view.getFloat64(this.pos, false);
          this.pos += 8;
          this.push(v);
          break;
        }
        case 0x58: // BINUNICODE
          this.push(this.str(this.u32()));
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.push(this.str(this.u8()));
          break;
        case 0x8d: {
          // BINUNICODE8
          this.need(8);
          const n = Number(this.view.getBigUint64(this.pos, true));
          this.pos += 8;
          this.push(this.str(n));
          break;
        }
        case 0x43: // SHORT_BINBYTES
          this.push(this.bytes(this.u8()).slice());
          break;
        case 0x42: // BINBYTES
          this.push(this.bytes(this.u32()).slice());
          break;
        case 0x29: // EMPTY_TUPLE
          this.push([]);
          break;
        case 0x74: // TUPLE
          this.push(this.popMark());
          break;
        case 0x85: // TUPLE1
          this.push([this.pop()]);
          break;
        case 0x86: {
          const b = this.pop(), a = this.pop();
          this.push([a, b]);
          break;
        }
        case 0x87: {
          const c = this.pop(), b = this.pop(), a = this.pop();
          this.push([a, b, c]);
          break;
        }
        case 0x5d: // EMPTY_LIST
          this.push([]);
          break;
        case 0x6c: // LIST
          this.push(this.popMark());
          break;
        case 0x61: {
          // APPEND
          const v = this.pop();
          this.listTarget(this.top()).push(v);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = this.popMark();
          this.listTarget(this.top()).push(...items);
          break;
        }
        case 0x7d: // EMPTY_DICT
          this.push(new Map());
          break;
        case 0x64: {
          // DICT
          const items = this.popMark();
          if (items.length % 2) this.fail('DICT with an odd number of items');
          const m = new Map();
          for (let i = 0; i < items.length; i += 2) m.set(this.key(items[i]), items[i + 1]);
          this.push(m);
          break;
        }
        case 0x73: {
          // SETITEM
          const v = this.pop(), k = this.pop();
          this.dictTarget(this.top()).set(this.key(k), v);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = this.popMark();
          if (items.length % 2) this.fail('SETITEMS with an odd number of items');
          const m = this.dictTarget(this.top());
          for (let i = 0; i < items.length; i += 2) m.set(this.key(items[i]), items[i + 1]);
          break;
        }
        case 0x8f: // EMPTY_SET
          this.push(new Set());
          break;
        case 0x90: {
          // ADDITEMS
          const items = this.popMark();
          const s = this.top();
          if (!(s instanceof Set)) this.fail('ADDITEMS target is not a set');
          for (const it of items) s.add(it);
          break;
        }
        case 0x71: // BINPUT
          this.memo.set(this.u8(), this.top());
          break;
        case 0x72: // LONG_BINPUT
          this.memo.set(this.u32(), this.top());
          break;
        case 0x94: // MEMOIZE
          this.memo.set(this.memo.size, this.top());
          break;
        case 0x68: // BINGET
          this.push(this.memoGet(this.u8()));
          break;
        case 0x6a: // LONG_BINGET
          this.push(this.memoGet(this.u32()));
          break;
        case 0x63: {
          // GLOBAL
          const module = this.line();
          const name = this.line();
          this.push(this.global(module, name));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = this.pop(), module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.push(this.global(module, name));
          break;
        }
        case 0x52: {
          // REDUCE
          const args = this.pop();
          const fn = this.pop();
          if (!Array.isArray(args)) this.fail('REDUCE arguments are not a tuple');
          this.push(this.reduce(fn, args));
          break;
        }
        case 0x81: {
          // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          this.push(this.newObj(cls, args));
          break;
        }
        case 0x62: {
          // BUILD
          const state = this.pop();
          const obj = this.top();
          this.build(obj, state);
          break;
        }
        case 0x51: {
          // BINPERSID
          const pid = this.pop();
          this.push(this.persistentLoad(pid));
          break;
        }
        default:
          this.fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}${op >= 0x20 && op < 0x7f ? ` ('${String.fromCharCode(op)}')` : ''}`);
      }
    }
  }

  private long(n: number): number {
    if (n < 0 || n > 64) this.fail(`LONG of ${n} bytes is not supported`);
    const b = this.bytes(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    // TorchScript ints are int64; they are JS numbers here (exact up to 2^53)
    return Number(v);
  }

  private key(k: unknown): unknown {
    if (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean' || k === null) return k;
    if (k instanceof Tensor) return k;
    this.fail(`unsupported dict key type ${describe(k)}`);
  }

  private listTarget(v: unknown): unknown[] {
    if (!Array.isArray(v)) this.fail(`APPEND(S) target is ${describe(v)}, not a list`);
    return v;
  }
  private dictTarget(v: unknown): Map<unknown, unknown> {
    if (!(v instanceof Map)) this.fail(`SETITEM(S) target is ${describe(v)}, not a dict`);
    return v;
  }

  private global(module: string, name: string): PickleGlobal {
    const q = `${module}.${name}`;
    if (module === 'torch._utils' && TORCH_UTILS.has(name)) return new PickleGlobal(module, name);
    if (module === 'torch.jit._pickle' && JIT_PICKLE.has(name)) return new PickleGlobal(module, name);
    if (module === 'collections' && name === 'OrderedDict') return new PickleGlobal(module, name);
    if (module === 'torch' && (name.endsWith('Storage') && name in STORAGE_DTYPES)) return new PickleGlobal(module, name);
    if (module === 'torch' && (name === 'device' || name in QSCHEMES)) return new PickleGlobal(module, name);
    if (module === 'builtins' && name === 'complex') return new PickleGlobal(module, name);
    if (module === '__torch__' || module.startsWith('__torch__.')) {
      if (module.startsWith('__torch__.torch.classes')) this.fail(`TorchBind class '${q}' (a C++ custom class, e.g. for quantized or packed weights) is not supported by torchlet`);
      if (!this.hooks.resolveClass) this.fail(`GLOBAL '${module} ${name}' (a TorchScript class) is not allowed in this pickle`);
      return new PickleGlobal(module, name, this.hooks.resolveClass(q));
    }
    if (module === 'torch' && name.endsWith('Storage')) this.fail(`unknown storage type GLOBAL '${module} ${name}'`);
    this.fail(`forbidden GLOBAL '${module} ${name}': only PyTorch's tensor/storage reconstructors, containers and archive classes may appear in a TorchScript pickle`);
  }

  private reduce(fn: unknown, args: unknown[]): unknown {
    if (!(fn instanceof PickleGlobal)) this.fail(`REDUCE on ${describe(fn)}, which is not a callable`);
    const { module, name } = fn;
    if (module === 'torch._utils') {
      switch (name) {
        case '_rebuild_tensor_v2':
        case '_rebuild_tensor':
          return this.rebuildTensor(args, name);
        case '_rebuild_parameter':
        case '_rebuild_parameter_with_state': {
          const [t, rg] = args;
          if (!(t instanceof Tensor) && !(t instanceof UnsupportedTensor)) this.fail(`${name}: first argument is ${describe(t)}, not a tensor`);
          if (t instanceof Tensor) t.requiresGrad = rg === true;
          return t;
        }
        case '_rebuild_qtensor':
          this.fail('quantized tensors (torch._utils._rebuild_qtensor) are not supported by torchlet');
        // eslint-disable-next-line no-fallthrough
        case '_rebuild_sparse_tensor':
          this.fail('sparse tensors (torch._utils._rebuild_sparse_tensor) are not supported by torchlet');
      }
    }
    if (module === 'torch.jit._pickle') {
      switch (name) {
        case 'build_intlist':
        case 'build_doublelist':
        case 'build_boollist':
        case 'build_tensorlist': {
          const l = args[0];
          if (args.length !== 1 || !Array.isArray(l)) this.fail(`${name} expects one list argument`);
          const elem = { build_intlist: 'int', build_doublelist: 'float', build_boollist: 'bool', build_tensorlist: 'Tensor' }[name];
          containerTypeTags.set(l, `List[${elem}]`);
          return l;
        }
        case 'restore_type_tag': {
          const [c, tag] = args;
          if (args.length !== 2 || typeof tag !== 'string' || !(Array.isArray(c) || c instanceof Map)) this.fail('restore_type_tag expects (container, type string)');
          containerTypeTags.set(c, tag);
          return c;
        }
        default:
          this.fail(`torch.jit._pickle.${name} is not supported (it only occurs in RPC pickles)`);
      }
    }
    if (module === 'collections' && name === 'OrderedDict') {
      if (args.length !== 0) this.fail('collections.OrderedDict called with arguments');
      return new Map();
    }
    if (module === 'torch' && name === 'device') {
      const [s, idx] = args;
      if (typeof s !== 'string') this.fail('torch.device expects a string');
      return typeof idx === 'number' ? `${s}:${idx}` : s;
    }
    if (module === 'builtins' && name === 'complex') this.fail('complex numbers are not supported by torchlet');
    this.fail(`GLOBAL '${module} ${name}' cannot be called`);
  }

  private newObj(cls: unknown, args: unknown): unknown {
    if (!(cls instanceof PickleGlobal) || cls.cls === undefined) this.fail(`NEWOBJ on ${describe(cls)}, which is not a TorchScript class`);
    if (!Array.isArray(args) || args.length !== 0) this.fail('NEWOBJ with constructor arguments is not supported');
    if (!this.hooks.newObject) this.fail('objects are not allowed in this pickle');
    return this.hooks.newObject(cls.cls, cls.qualifiedName);
  }

  private build(obj: unknown, state: unknown): void {
    if (obj instanceof Map) return; // OrderedDict._metadata of torch.save state dicts: informational
    if (!this.hooks.build) this.fail('BUILD is not allowed in this pickle');
    this.hooks.build(obj, state);
  }

  private persistentLoad(pid: unknown): unknown {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) this.fail(`unsupported persistent id ${describe(pid)} (expected ('storage', type, key, location, numel))`);
    const [, type, key, location, numel] = pid;
    if (!(type instanceof PickleGlobal) || !(type.name in STORAGE_DTYPES) || type.module !== 'torch') this.fail(`persistent id has a bad storage type ${describe(type)}`);
    if (typeof key !== 'string' || typeof location !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
      this.fail(`malformed storage persistent id ${describe(pid)}`);
    }
    const cacheKey = `${type.name}/${key}`;
    let s = this.storages.get(cacheKey);
    if (!s) {
      s = this.hooks.loadStorage(new StorageType(type.name), key, location, numel);
      this.storages.set(cacheKey, s);
    }
    return s;
  }

  private rebuildTensor(args: unknown[], fname: string): unknown {
    const [st, offset, size, stride, requiresGrad] = args;
    if (args.length < 4) this.fail(`${fname} expects at least 4 arguments, got ${args.length}`);
    if (!isLoadedStorage(st)) this.fail(`${fname}: first argument is ${describe(st)}, not a storage`);
    if (!isIntTuple(size) || !isIntTuple(stride) || size.length !== stride.length) this.fail(`${fname}: bad size/stride ${describe(size)} / ${describe(stride)}`);
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) this.fail(`${fname}: bad storage offset ${describe(offset)}`);
    if (args.length >= 7) {
      const meta = args[6];
      if (meta instanceof Map && meta.size > 0 && [...meta.values()].some((v) => v === true)) {
        this.fail(`${fname}: conjugated/negated tensor views (metadata ${[...meta.keys()].join(', ')}) are not supported`);
      }
    }
    // every addressed element must lie inside the storage
    let numel = 1, maxIdx = offset;
    for (let i = 0; i < size.length; i++) {
      if (size[i]! < 0 || stride[i]! < 0) this.fail(`${fname}: negative size or stride`);
      numel *= size[i]!;
      maxIdx += (size[i]! - 1) * stride[i]!;
    }
    if (numel > 0 && maxIdx >= st.numel) this.fail(`${fname}: tensor of size [${size}] stride [${stride}] offset ${offset} reads past the end of its storage (${st.numel} elements)`);
    if (st.kind === 'raw') {
      return new UnsupportedTensor(st.torchDtype, [...size], [...stride], offset, st.bytes);
    }
    // the first tensor takes the storage's initial reference, later views retain it
    const storage = st.claimed ? st.storage.retain() : st.storage;
    st.claimed = true;
    const t = new Tensor(storage, [...size], [...stride], offset);
    keep(t);
    t.requiresGrad = requiresGrad === true;
    return t;
  }
}

function isLoadedStorage(v: unknown): v is LoadedStorage {
  return typeof v === 'object' && v !== null && ((v as LoadedStorage).kind === 'storage' || (v as LoadedStorage).kind === 'raw') && 'numel' in v;
}

function isIntTuple(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x));
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `(${v.slice(0, 6).map(describe).join(', ')}${v.length > 6 ? ', ...' : ''})`;
  if (v instanceof PickleGlobal) return `GLOBAL ${v.qualifiedName}`;
  if (v instanceof Map) return 'dict';
  if (v instanceof Tensor) return 'tensor';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v);
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return String(v);
}

// ------------------------------------------------------------------------- storages from records

/**
 * Builds a storage from a record's bytes. float32/float64/int8/int16/int32/uint8/bool storages are
 * views over `bytes` when the alignment allows (no copy); int64 becomes a Float64Array and float16
 * a Float32Array of its values (torchlet's CPU storage arrays for those dtypes).
 */
export function storageFromBytes(type: StorageType, bytes: Uint8Array, numel: number, record: string): LoadedStorage {
  const info = STORAGE_DTYPES[type.name];
  if (!info) throw new PickleError(`unknown storage type torch.${type.name}`, record);
  const need = numel * info.itemSize;
  if (bytes.length < need) throw new PickleError(`storage record holds ${bytes.length} bytes but ${numel} elements of torch.${info.torchName} need ${need}`, record);
  const b = bytes.subarray(0, need);
  if (info.dtype === null) return { kind: 'raw', torchDtype: info.torchName, bytes: b, numel };
  const dtype = info.dtype;
  const abs = b.byteOffset;
  let array: StorageArray;
  switch (dtype) {
    case 'float32':
      array = abs % 4 === 0 ? new Float32Array(b.buffer, abs, numel) : new Float32Array(copyBuffer(b));
      break;
    case 'float64':
      array = abs % 8 === 0 ? new Float64Array(b.buffer, abs, numel) : new Float64Array(copyBuffer(b));
      break;
    case 'int32':
      array = abs % 4 === 0 ? new Int32Array(b.buffer, abs, numel) : new Int32Array(copyBuffer(b));
      break;
    case 'int16':
      array = abs % 2 === 0 ? new Int16Array(b.buffer, abs, numel) : new Int16Array(copyBuffer(b));
      break;
    case 'int8':
      array = new Int8Array(b.buffer, abs, numel);
      break;
    case 'uint8':
      array = new Uint8Array(b.buffer, abs, numel);
      break;
    case 'bool': {
      const u = new Uint8Array(b.buffer, abs, numel);
      // PyTorch bools are 0/1 bytes; normalise anything else (a copy only if needed)
      let ok = true;
      for (let i = 0; i < numel; i++) if (u[i]! > 1) { ok = false; break; }
      array = ok ? u : Uint8Array.from(u, (x) => (x ? 1 : 0));
      break;
    }
    case 'int64': {
      const out = new Float64Array(numel);
      const dv = new DataView(b.buffer, abs, need);
      for (let i = 0; i < numel; i++) {
        const lo = dv.getUint32(8 * i, true), hi = dv.getInt32(8 * i + 4, true);
        out[i] = hi * 4294967296 + lo;
      }
      array = out;
      break;
    }
    case 'float16': {
      const out = new Float32Array(numel);
      const dv = new DataView(b.buffer, abs, need);
      for (let i = 0; i < numel; i++) out[i] = f16BitsToF32(dv.getUint16(2 * i, true));
      array = out;
      break;
    }
    default:
      return dtype satisfies never;
  }
  return { kind: 'storage', storage: new Storage('cpu', dtype, numel, array), numel };
}

function copyBuffer(b: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(b.length);
  new Uint8Array(ab).set(b);
  return ab;
}
