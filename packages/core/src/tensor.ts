import { type DType, type StorageArray, f32ToF16Bits, isFloating } from './dtype.js';
import { trackTensor } from './scope.js';
import { contiguousStrides, numel, type Shape } from './shape.js';
import { Storage, type DeviceType } from './storage.js';
import { TensorOps } from './tensor_ops.generated.js';
import { getBackend } from './backend.js';
import { callOp, toDevice } from './dispatch.js';
import { isDType, parseDType } from './dtype.js';
import { DEVICE_TYPES } from './storage.js';

/** Options of `Tensor.to`: a target dtype and/or device, and `copy` to force a new tensor. */
export interface ToOptions {
  dtype?: DType | string;
  device?: DeviceType | string;
  copy?: boolean;
}

const DTYPE_WORDS = new Set(['float', 'double', 'half', 'long', 'int', 'short', 'char', 'byte']);
function isDTypeWord(s: string): boolean {
  const b = s.startsWith('torch.') ? s.slice(6) : s;
  return isDType(b) || DTYPE_WORDS.has(b);
}
function parseDevice(s: string): DeviceType {
  const base = s.split(':')[0] as DeviceType;
  if (!DEVICE_TYPES.includes(base)) throw new RangeError(`Expected one of ${DEVICE_TYPES.join(', ')} device type at start of device string: ${s}`);
  return base;
}

export type PublicArray =
  | Float32Array | Float64Array | Uint16Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array;

let nextId = 1;

/** How JS code read a tensor's values: `item()`, `tolist()`, `data()`, `dataSync()`, or raw storage access (`hostArray`, `contiguousArray()`). */
export type TensorReadKind = 'item' | 'tolist' | 'data' | 'dataSync' | 'host';
/** Observes reads of tensor values into JS (the tracer reports data-dependent reads with it). */
export type TensorReadHook = (t: Tensor, kind: TensorReadKind) => void;
let readHook: TensorReadHook | undefined;
let readHookMuted = 0;
/** Installs (or with `undefined` removes) the tensor read hook; returns the previous one. */
export function setTensorReadHook(h: TensorReadHook | undefined): TensorReadHook | undefined {
  const prev = readHook;
  readHook = h;
  return prev;
}
/** The id the next tensor will get: tensors with a smaller id existed before this call. */
export function nextTensorId(): number {
  return nextId;
}
function reportRead(t: Tensor, kind: TensorReadKind): void {
  if (readHook && readHookMuted === 0) {
    readHookMuted++;
    try {
      readHook(t, kind);
    } finally {
      readHookMuted--;
    }
  }
}

/**
 * A strided view onto a refcounted Storage. Views (view, transpose, slice, expand, ...) share the
 * storage; `dispose()` drops this tensor's reference and frees the memory with the last one.
 */
export class Tensor extends TensorOps {
  readonly id = nextId++;
  private disposed = false;
  /** a JS number passed where a Tensor was expected: it has the lowest promotion priority */
  isWrappedNumber = false;
  requiresGrad = false;

  constructor(
    readonly storage: Storage,
    readonly shape: number[],
    readonly strides: number[],
    readonly offset: number,
  ) {
    super();
    trackTensor(this);
  }

  /**
   * A new contiguous tensor with its own storage on `device`, zero-filled on the CPU unless
   * `zeroed` is false (then the caller writes every element).
   */
  static empty(shape: Shape, dtype: DType, device: DeviceType = 'cpu', zeroed = true): Tensor {
    const n = numel(shape);
    const storage = device === 'cpu' ? Storage.cpu(dtype, n, zeroed) : getBackend(device).allocate(dtype, n);
    return new Tensor(storage, [...shape], contiguousStrides(shape), 0);
  }

  static fromArray(array: StorageArray, shape: Shape, dtype: DType): Tensor {
    const storage = new Storage('cpu', dtype, array.length, array);
    return new Tensor(storage, [...shape], contiguousStrides(shape), 0);
  }

  get dtype(): DType {
    return this.storage.dtype;
  }
  get device(): DeviceType {
    return this.storage.device;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  get isFloatingPoint(): boolean {
    return isFloating(this.dtype);
  }

  dim(): number {
    return this.shape.length;
  }
  numel(): number {
    return numel(this.shape);
  }
  size(d?: number): number | number[] {
    if (d === undefined) return [...this.shape];
    return this.shape[d < 0 ? d + this.shape.length : d]!;
  }
  stride(d?: number): number | number[] {
    if (d === undefined) return [...this.strides];
    return this.strides[d < 0 ? d + this.strides.length : d]!;
  }
  is_contiguous(): boolean {
    return isContiguous(this);
  }

  /** The host array of a CPU tensor's storage. */
  get hostArray(): StorageArray {
    if (readHook) reportRead(this, 'host');
    return this.rawArray();
  }

  private rawArray(): StorageArray {
    if (this.disposed) throw new Error(`tensor #${this.id} was disposed`);
    const a = this.storage.array;
    if (!a) throw new Error(`tensor #${this.id} (${this.device}) has no host memory; await t.data() or t.to('cpu')`);
    return a;
  }

  /** Elements in row-major order as the storage's compute array (a copy unless contiguous and whole). */
  contiguousArray(): StorageArray {
    if (readHook) reportRead(this, 'host');
    return this.contiguousRaw();
  }

  private contiguousRaw(): StorageArray {
    const a = this.rawArray();
    const n = this.numel();
    if (isContiguous(this)) {
      return this.offset === 0 && a.length === n ? a : (a.subarray(this.offset, this.offset + n) as StorageArray);
    }
    const out = new (a.constructor as new (n: number) => StorageArray)(n);
    gatherStrided(a, this.shape, this.strides, this.offset, out);
    return out;
  }

  /** Reads the elements (row-major) into a new typed array of the dtype's public array type. */
  async data(): Promise<PublicArray> {
    if (readHook) reportRead(this, 'data');
    if (this.device !== 'cpu') {
      const host = await getBackend(this.device).read(this);
      return toPublicArray(host, this.dtype);
    }
    return toPublicArray(this.contiguousRaw(), this.dtype, true);
  }

  dataSync(): PublicArray {
    if (readHook) reportRead(this, 'dataSync');
    return toPublicArray(this.contiguousRaw(), this.dtype, true);
  }

  item(): number | boolean {
    if (readHook) reportRead(this, 'item');
    if (this.numel() !== 1) throw new RangeError(`item(): a Tensor with ${this.numel()} elements cannot be converted to a scalar`);
    const v = this.rawArray()[this.offset]!;
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /** Nested JS arrays of numbers (booleans for bool tensors). */
  tolist(): unknown {
    if (readHook) reportRead(this, 'tolist');
    const a = this.contiguousRaw();
    const asBool = this.dtype === 'bool';
    let i = 0;
    const build = (d: number): unknown => {
      if (d === this.shape.length) {
        const v = a[i++]!;
        return asBool ? v !== 0 : v;
      }
      const out: unknown[] = [];
      for (let k = 0; k < this.shape[d]!; k++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /**
   * Converts dtype and/or moves device: `t.to('float64')`, `t.to('webgpu')`, `t.to(other)`,
   * `t.to('cpu', 'float16')`, `t.to({dtype, device, copy})`. Returns `this` when nothing changes
   * (as PyTorch does) unless `copy` is set. Moving a device tensor to the CPU is asynchronous:
   * `const c = await t.to('cpu')` (the returned tensor has no values until awaited).
   */
  to(target: string | Tensor | ToOptions, dtypeOrOptions?: DType | string | ToOptions): Tensor {
    let device: DeviceType | undefined;
    let dtype: DType | undefined;
    let copy = false;
    const take = (v: string): void => {
      if (isDTypeWord(v)) dtype = parseDType(v);
      else device = parseDevice(v);
    };
    const takeOptions = (o: ToOptions): void => {
      if (o.dtype !== undefined) dtype = parseDType(o.dtype);
      if (o.device !== undefined) device = parseDevice(o.device);
      if (o.copy) copy = true;
    };
    if (target instanceof Tensor) {
      dtype = target.dtype;
      device = target.device;
    } else if (typeof target === 'string') take(target);
    else takeOptions(target);
    if (typeof dtypeOrOptions === 'string') dtype = parseDType(dtypeOrOptions);
    else if (dtypeOrOptions) takeOptions(dtypeOrOptions);
    // device -> CPU reads asynchronously (converting on the host): the new tensor is awaitable
    if (device === 'cpu' && this.device !== 'cpu') return readBack(this, dtype ?? this.dtype);
    let r: Tensor = this;
    if (dtype !== undefined && dtype !== this.dtype) r = callOp('aten::to', [this, dtype]) as Tensor;
    if (device !== undefined && r.device !== device) {
      const moved = toDevice(r, device);
      if (r !== this) r.dispose();
      r = moved;
    }
    if (copy && r === this) r = callOp('aten::clone', [this]) as Tensor;
    return r;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storage.release();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  override toString(): string {
    if (this.disposed) return `tensor(<disposed>)`;
    if (this.device !== 'cpu') return `tensor(<${this.device}>, shape=[${this.shape}], dtype=${this.dtype})`;
    const fmt = (v: unknown): string =>
      typeof v === 'number' ? (isFloating(this.dtype) ? formatFloat(v) : String(v)) : Array.isArray(v) ? `[${v.map(fmt).join(', ')}]` : String(v);
    const suffix = this.dtype === 'float32' || this.dtype === 'int64' || this.dtype === 'bool' ? '' : `, dtype=torch.${this.dtype}`;
    // printing is not a data-dependent computation: the read hook does not see it
    readHookMuted++;
    try {
      return `tensor(${fmt(this.tolist())}${suffix})`;
    } finally {
      readHookMuted--;
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * A new CPU tensor receiving a device tensor's values. The read is asynchronous: the tensor is
 * awaitable (`const c = await t.to('cpu')`) and has no host memory until the read completes.
 */
function readBack(src: Tensor, dtype: DType): Tensor {
  const storage = Storage.cpu(dtype, src.numel());
  const array = storage.array!;
  storage.array = undefined;
  const t = new Tensor(storage, [...src.shape], contiguousStrides(src.shape), 0);
  const settle = (): void => {
    delete (t as { then?: unknown }).then;
  };
  const done = getBackend(src.device)
    .read(src)
    .then(
      (host) => {
        settle();
        if (!storage.released) {
          if (dtype === src.dtype) array.set(host);
          else {
            const raw = Tensor.fromArray(host, src.shape, src.dtype);
            const conv = callOp('aten::_to_copy', [raw], { dtype }) as Tensor;
            array.set(conv.contiguousArray());
            conv.dispose();
            raw.dispose();
          }
          storage.array = array;
        }
        return t;
      },
      (e: unknown) => {
        settle();
        throw e;
      },
    );
  // awaiting the tensor waits for the read; `then` is removed before it resolves
  Object.defineProperty(t, 'then', { configurable: true, writable: true, value: (ok?: (v: Tensor) => unknown, err?: (e: unknown) => unknown) => done.then(ok, err) });
  return t;
}

function formatFloat(v: number): string {
  if (Number.isInteger(v)) return `${v}.`;
  return Number(v.toPrecision(4)).toString();
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

export function isContiguous(t: { shape: readonly number[]; strides: readonly number[] }): boolean {
  let expected = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    const s = t.shape[i]!;
    if (s === 1) continue;
    if (t.strides[i] !== expected) return false;
    expected *= s;
  }
  return true;
}

/** Copies a strided view into `out` in row-major order. */
export function gatherStrided(src: ArrayLike<number>, shape: readonly number[], strides: readonly number[], offset: number, out: { [i: number]: number; length: number }): void {
  const rank = shape.length;
  const n = out.length;
  if (n === 0) return;
  if (rank === 0) {
    out[0] = src[offset]!;
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const lastSize = shape[last]!, lastStride = strides[last]!;
  let base = offset;
  for (let o = 0; o < n; ) {
    let p = base;
    for (let k = 0; k < lastSize; k++, p += lastStride) out[o++] = src[p]!;
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

export function toPublicArray(a: StorageArray, dtype: DType, copy = false): PublicArray {
  switch (dtype) {
    case 'int64': {
      const out = new BigInt64Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = BigInt(a[i]!);
      return out;
    }
    case 'float16': {
      const out = new Uint16Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = f32ToF16Bits(a[i]!);
      return out;
    }
    case 'float32': case 'float64': case 'int8': case 'int16': case 'int32': case 'uint8': case 'bool':
      return copy ? (a.slice() as PublicArray) : (a as PublicArray);
    default:
      return dtype satisfies never;
  }
}
