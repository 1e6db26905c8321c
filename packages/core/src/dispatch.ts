import { isDType, isFloating, parseDType, roundToF16, type DType } from './dtype.js';
import { allOps } from './ops/index.js';
import { Registry, type Args, type OutSpec, type Overload } from './registry.js';
import { typeToString, type SchemaType, type SchemaArg } from './schema.js';
import { Storage, DEVICE_TYPES, type DeviceType } from './storage.js';
import { Tensor } from './tensor.js';
import { getBackend } from './backend.js';

let registry: Registry | undefined;
/** The one op registry, built on first use from every op declaration. */
export function getRegistry(): Registry {
  return (registry ??= new Registry(allOps));
}

export class OpError extends Error {
  constructor(
    message: string,
    readonly op?: string,
  ) {
    super(message);
    this.name = 'OpError';
  }
}

/** Observes every top-level op call (the tracer uses this); nested decompositions are not reported. */
export interface DispatchObserver {
  onOp(overload: Overload, args: Args, result: unknown): void;
  /** optional: called before a top-level op runs (the tracer snapshots tensors an in-place op is about to write) */
  beforeOp?(overload: Overload, args: Args): void;
}
let observer: DispatchObserver | undefined;
let depth = 0;
export function setDispatchObserver(o: DispatchObserver | undefined): DispatchObserver | undefined {
  const prev = observer;
  observer = o;
  return prev;
}
/** How many op calls are running (0: the caller is not inside a kernel or decomposition). */
export function dispatchDepth(): number {
  return depth;
}

// ---------------------------------------------------------------- argument conversion

const FAIL = Symbol('mismatch');
type Converted = unknown | typeof FAIL;

/** A JS number or boolean where a Tensor is expected: a 0-d tensor of the lowest promotion priority. */
export function wrapScalar(v: number | boolean | bigint, dtype?: DType): Tensor {
  const d: DType = dtype ?? (typeof v === 'boolean' ? 'bool' : typeof v === 'bigint' || Number.isInteger(v) ? 'int64' : 'float64');
  const t = Tensor.empty([], d);
  t.hostArray[0] = Number(v);
  t.isWrappedNumber = true;
  return t;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

function convert(type: SchemaType, v: unknown, lenient: boolean): Converted {
  switch (type.kind) {
    case 'optional':
      if (v === null || v === undefined) return null;
      return convert(type.elem, v, lenient);
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== type.elems.length) return FAIL;
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const c = convert(type.elems[i]!, v[i], lenient);
        if (c === FAIL) return FAIL;
        out.push(c);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(v)) {
        // PyTorch accepts a single int for int[N] (stride=2 means [2, 2])
        if (type.elem.kind === 'base' && (type.elem.name === 'int' || type.elem.name === 'float') && typeof v === 'number' && (type.elem.name === 'float' || Number.isInteger(v))) {
          return new Array(type.size ?? 1).fill(v);
        }
        if (isTensorList(v)) return convert(type, Array.from(v), lenient);
        return FAIL;
      }
      const out: unknown[] = [];
      for (const e of v) {
        const c = convert(type.elem, e, lenient);
        if (c === FAIL) return FAIL;
        out.push(c);
      }
      if (type.size !== undefined && out.length === 1 && type.size > 1 && type.elem.kind === 'base' && type.elem.name === 'int') {
        return new Array(type.size).fill(out[0]);
      }
      return out;
    }
    case 'base':
      switch (type.name) {
        case 'Tensor':
          if (v instanceof Tensor) return v;
          if (lenient && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')) return wrapScalar(v);
          return FAIL;
        case 'int':
          if (typeof v === 'number' && Number.isInteger(v)) return v;
          if (typeof v === 'bigint') return Number(v);
          if (lenient && typeof v === 'boolean') return v ? 1 : 0;
          if (lenient && v instanceof Tensor && v.numel() === 1 && !v.isFloatingPoint && v.device === 'cpu') return Number(v.item());
          return FAIL;
        case 'float':
          if (typeof v === 'number') return v;
          if (typeof v === 'bigint') return Number(v);
          if (lenient && v instanceof Tensor && v.numel() === 1 && v.device === 'cpu') return Number(v.item());
          return FAIL;
        case 'bool':
          if (typeof v === 'boolean') return v;
          if (lenient && typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
          return FAIL;
        case 'Scalar':
        case 'number':
          if (typeof v === 'number' || typeof v === 'boolean') return v;
          if (typeof v === 'bigint') return Number(v);
          if (lenient && v instanceof Tensor && v.numel() === 1 && v.ndim === 0 && v.device === 'cpu') return v.dtype === 'bool' ? v.item() : Number(v.item());
          return FAIL;
        case 'str':
          return typeof v === 'string' ? v : FAIL;
        case 'ScalarType':
          if (isDType(v)) return v;
          if (typeof v === 'number' || typeof v === 'string') {
            try {
              return parseDType(v);
            } catch {
              return FAIL;
            }
          }
          return FAIL;
        case 'Device':
          if (typeof v === 'string' && DEVICE_TYPES.includes(v.split(':')[0] as DeviceType)) return v.split(':')[0];
          return FAIL;
        case 'Layout':
        case 'MemoryFormat':
        case 'Generator':
        case 'Any':
        case 'Dimname':
        case 'Storage':
        case 'Stream':
        case 'complex':
          return v;
        default:
          return type.name satisfies never;
      }
    default:
      return type satisfies never;
  }
}

function isTensorList(v: unknown): v is Iterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.iterator in v && !(v instanceof Tensor) && !(typeof v === 'string');
}

function isIntListArg(a: SchemaArg): boolean {
  const t = a.type.kind === 'optional' ? a.type.elem : a.type;
  return t.kind === 'list' && t.elem.kind === 'base' && t.elem.name === 'int';
}

function isTensorListArg(a: SchemaArg): boolean {
  return a.type.kind === 'list' && a.type.elem.kind === 'base' && a.type.elem.name === 'Tensor';
}

/** Binds positional and keyword arguments to a schema; returns a reason string on mismatch. */
export function bindArgs(ov: Overload, positional: readonly unknown[], kwargs: Record<string, unknown> | undefined, lenient: boolean): Args | string {
  const s = ov.schema;
  const args: Args = {};
  const posParams = s.args.filter((a) => !a.kwargOnly);
  let pos = [...positional];
  // varargs sugar for int lists: x.view(2, 3), x.permute(1, 0)
  if (pos.length > posParams.length) {
    const li = posParams.findIndex(isIntListArg);
    if (li >= 0 && li < pos.length && pos.slice(li).every((v) => typeof v === 'number')) pos = [...pos.slice(0, li), pos.slice(li)];
  }
  // varargs sugar for a trailing tensor list: torch.meshgrid(a, b), torch.broadcast_tensors(a, b, c)
  const tli = posParams.length - 1;
  if (tli >= 0 && isTensorListArg(posParams[tli]!) && pos.length > tli && pos[tli] instanceof Tensor && pos.slice(tli).every((v) => v instanceof Tensor)) {
    pos = [...pos.slice(0, tli), pos.slice(tli)];
  }
  if (pos.length > posParams.length) return `takes ${posParams.length} positional arguments but ${pos.length} were given`;
  for (let i = 0; i < pos.length; i++) {
    const a = posParams[i]!;
    const c = convert(a.type, pos[i], lenient);
    if (c === FAIL) return `argument '${a.name}' (position ${i + 1}) must be ${typeToString(a.type)}, not ${describeValue(pos[i])}`;
    args[a.name] = c;
  }
  if (kwargs) {
    for (const [k, v] of Object.entries(kwargs)) {
      const a = s.args.find((x) => x.name === k);
      if (!a) {
        // Python factory functions take requires_grad=; torchlet has no autograd, so it is accepted and ignored
        if (k === 'requires_grad' && ov.tags.has('factory') && typeof v === 'boolean') continue;
        return `got an unexpected keyword argument '${k}'`;
      }
      if (k in args) return `got multiple values for argument '${k}'`;
      if (v === undefined) continue;
      const c = convert(a.type, v, lenient);
      if (c === FAIL) return `argument '${k}' must be ${typeToString(a.type)}, not ${describeValue(v)}`;
      args[k] = c;
    }
  }
  for (const a of s.args) {
    if (a.name in args) continue;
    if (a.hasDefault) {
      const d = a.default;
      args[a.name] = defaultValue(a, d);
    } else if (a.type.kind === 'optional') args[a.name] = null;
    else return `missing required argument '${a.name}'`;
  }
  return args;
}

function defaultValue(a: SchemaArg, d: unknown): unknown {
  if (d === null || d === undefined) return null;
  const t = a.type.kind === 'optional' ? a.type.elem : a.type;
  if (t.kind === 'list' && typeof d === 'number') return new Array(t.size ?? 1).fill(d);
  if (t.kind === 'list' && Array.isArray(d) && t.size && d.length === 1) return new Array(t.size).fill(d[0]);
  if (t.kind === 'base' && t.name === 'ScalarType' && typeof d === 'string') return parseDType(d);
  return Array.isArray(d) ? [...d] : d;
}

export function describeValue(v: unknown): string {
  if (v instanceof Tensor) return `Tensor(${v.dtype}[${v.shape.join(', ')}]${v.device === 'cpu' ? '' : ', ' + v.device})`;
  if (v === null) return 'None';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(describeValue).join(', ')}]`;
  if (typeof v === 'number') return Number.isInteger(v) ? `int ${v}` : `float ${v}`;
  if (typeof v === 'boolean') return `bool ${v}`;
  if (typeof v === 'string') return `str '${v}'`;
  if (v instanceof Map) return 'Dict';
  return typeof v;
}

// ---------------------------------------------------------------- calling

/** Resolves and runs an op by qualified name (`aten::add`) or Python name (`add`). */
export function callOp(name: string, positional: readonly unknown[], kwargs?: Record<string, unknown>): unknown {
  const reg = getRegistry();
  const q = name.includes('::') ? name : `aten::${name}`;
  const candidates = reg.overloads(q);
  if (!candidates) throw new OpError(`unknown op '${q}': it is not in torchlet's op registry`, q);
  const ov = resolveOverload(candidates, positional, kwargs);
  return runOverload(ov.overload, ov.args);
}

/** Splits a trailing plain object off JS call arguments as keyword arguments. */
export function splitKwargs(args: readonly unknown[]): [unknown[], Record<string, unknown> | undefined] {
  const last = args[args.length - 1];
  if (args.length > 0 && isPlainObject(last)) return [args.slice(0, -1), last];
  return [[...args], undefined];
}

export function resolveOverload(candidates: readonly Overload[], positional: readonly unknown[], kwargs: Record<string, unknown> | undefined): { overload: Overload; args: Args } {
  const reasons: string[] = [];
  for (const lenient of [false, true]) {
    for (const ov of candidates) {
      const r = bindArgs(ov, positional, kwargs, lenient);
      if (typeof r !== 'string') return { overload: ov, args: r };
      if (lenient) reasons.push(`  ${ov.schema.text}\n    -> ${r}`);
    }
  }
  const got = [...positional.map(describeValue), ...Object.entries(kwargs ?? {}).map(([k, v]) => `${k}=${describeValue(v)}`)].join(', ');
  const name = candidates[0]!.schema.qualifiedName;
  throw new OpError(`${name}(): no overload matches the arguments (${got}). Expected one of:\n${reasons.join('\n')}`, name);
}

function collectTensors(v: unknown, out: Tensor[]): void {
  if (v instanceof Tensor) out.push(v);
  else if (Array.isArray(v)) for (const e of v) collectTensors(e, out);
}

function deviceOf(ov: Overload, args: Args): DeviceType {
  const ts: Tensor[] = [];
  for (const a of ov.schema.args) collectTensors(args[a.name], ts);
  let device: DeviceType | undefined;
  for (const t of ts) {
    if (t.isDisposed) throw new OpError(`${ov.key}: argument tensor #${t.id} was disposed`, ov.key);
    if (t.isWrappedNumber || (t.ndim === 0 && t.device === 'cpu')) continue;
    if (device && device !== t.device) throw new OpError(`${ov.key}: expected all tensors on the same device, got ${device} and ${t.device}`, ov.key);
    device = t.device;
  }
  if (!device) {
    const d = args.device;
    device = typeof d === 'string' ? (d as DeviceType) : ts[0]?.device ?? 'cpu';
  }
  return device;
}

function formatSignature(ov: Overload, args: Args): string {
  return ov.schema.args.map((a) => `${a.name}=${describeValue(args[a.name])}`).join(', ');
}

function packResult(ov: Overload, outs: Tensor[]): unknown {
  const r = ov.schema.returns;
  if (r.length === 1 && r[0]!.type.kind === 'list') return outs;
  return ov.schema.returnsTuple ? outs : outs[0];
}

function allocate(specs: OutSpec | OutSpec[], device: DeviceType, zeroed = true): Tensor[] {
  const list = Array.isArray(specs) ? specs : [specs];
  return list.map((s) => Tensor.empty(s.shape, s.dtype, device, zeroed));
}

/** Runs one overload on bound arguments: view, backend kernel, CPU kernel, decomposition, or CPU fallback. */
export function runOverload(ov: Overload, args: Args): unknown {
  // Python-level wrappers (F.batch_norm, F.interpolate ... in the torchlet::/py:: namespaces) are
  // transparent to observers: a trace records the ATen ops they call, as PyTorch's tracer does
  if (isPythonWrapper(ov)) return runWrapper(ov, args);
  depth++;
  let result: unknown;
  try {
    if (depth === 1 && observer?.beforeOp) observer.beforeOp(ov, args);
    result = runInner(ov, args);
  } catch (e) {
    if (e instanceof OpError || !(e instanceof Error)) throw e;
    const err = new OpError(`${ov.key}(${formatSignature(ov, args)}): ${e.message}`, ov.key);
    err.stack = e.stack;
    throw err;
  } finally {
    depth--;
  }
  if (observer && depth === 0) observer.onOp(ov, args, result);
  return result;
}

function isPythonWrapper(ov: Overload): boolean {
  const ns = ov.schema.namespace;
  return (ns === 'torchlet' || ns === 'py') && !!ov.decl.decompose && !ov.decl.cpu && !ov.decl.cpuDynamic && !ov.inplaceOf;
}

function runWrapper(ov: Overload, args: Args): unknown {
  try {
    return ov.decl.decompose!(args);
  } catch (e) {
    if (e instanceof OpError || !(e instanceof Error)) throw e;
    const err = new OpError(`${ov.key}(${formatSignature(ov, args)}): ${e.message}`, ov.key);
    err.stack = e.stack;
    throw err;
  }
}

const C10_NAME: Record<DType, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool',
};
/** c10::canCast: an in-place op may not narrow float -> integer or non-bool -> bool. */
function canCastInPlace(from: DType, to: DType): boolean {
  if (isFloating(from) && !isFloating(to)) return false;
  return !(from !== 'bool' && to === 'bool');
}

function runInner(ov: Overload, args: Args): unknown {
  if (ov.inplaceOf) {
    const self = args.self as Tensor;
    const r = runOverload(ov.inplaceOf, args) as Tensor;
    if (!canCastInPlace(r.dtype, self.dtype)) {
      r.dispose();
      throw new Error(`result type ${C10_NAME[r.dtype]} can't be cast to the desired output type ${C10_NAME[self.dtype]}`);
    }
    copyInto(self, r, ov.key);
    r.dispose();
    return self;
  }
  const d = ov.decl;
  if (d.view) {
    const self = args.self as Tensor;
    const v = d.view(args);
    return new Tensor(self.storage.retain(), v.shape, v.strides, v.offset);
  }
  const device = deviceOf(ov, args);
  const reg = getRegistry();
  const kernel = device === 'cpu' ? undefined : reg.kernel(ov.key, device);
  if (kernel && d.infer) {
    const outs = allocate(d.infer(args), device);
    kernel(args, outs);
    return packResult(ov, outs);
  }
  // an in-place op without `infer` (copy_): the device kernel writes into `self`
  if (kernel && ov.tags.has('inplace') && args.self instanceof Tensor) {
    kernel(args, []);
    return args.self;
  }
  const regK = reg.kernel(ov.key, 'cpu');
  const cpuK = regK ?? d.cpu;
  if (device === 'cpu' && cpuK && d.infer) {
    const outs = allocate(d.infer(args), 'cpu', !(regK && reg.kernelWritesOutputs(ov.key, 'cpu')));
    cpuK(args, outs);
    for (const o of outs) if (o.dtype === 'float16') roundF16InPlace(o);
    return packResult(ov, outs);
  }
  if (d.decompose) return d.decompose(args);
  if (device === 'cpu' && d.cpuDynamic) return d.cpuDynamic(args);
  if (device !== 'cpu' && (d.cpu || d.cpuDynamic)) {
    // reading a device tensor back is asynchronous: only ops without device tensor arguments
    // (factories with device=...) can run on the CPU and move their results
    const onDevice: Tensor[] = [];
    for (const v of Object.values(args)) collectTensors(v, onDevice);
    if (onDevice.some((t) => t.device !== 'cpu')) {
      throw new OpError(`no ${device} kernel for ${ov.key}; move the tensor to the CPU with await t.to('cpu')`, ov.key);
    }
    warnFallback(ov.key, device);
    const moved: Args = {};
    for (const [k, v] of Object.entries(args)) moved[k] = mapTensors(v, (t) => toDevice(t, 'cpu'));
    // a factory's device= would send the CPU run back here
    if (moved.device === device) moved.device = 'cpu';
    const r = runInner(ov, moved);
    return mapTensors(r, (t) => toDevice(t, device));
  }
  throw new OpError(`${ov.key} is not supported on ${device}: no kernel, decomposition or CPU fallback`, ov.key);
}

const warned = new Set<string>();
function warnFallback(key: string, device: DeviceType): void {
  const k = `${key}@${device}`;
  if (warned.has(k)) return;
  warned.add(k);
  console.warn(`torchlet: ${key} has no ${device} kernel; running it on the CPU`);
}

function mapTensors(v: unknown, f: (t: Tensor) => Tensor): unknown {
  if (v instanceof Tensor) return f(v);
  if (Array.isArray(v)) return v.map((e) => mapTensors(e, f));
  return v;
}

export function toDevice(t: Tensor, device: DeviceType): Tensor {
  if (t.device === device) return t;
  if (device === 'cpu') throw new OpError(`moving a ${t.device} tensor to the CPU synchronously is not possible; use await t.to('cpu')`);
  return getBackend(device).upload(t);
}

function roundF16InPlace(t: Tensor): void {
  const a = t.hostArray;
  for (let i = 0; i < a.length; i++) a[i] = roundToF16(a[i]!);
}

/** Writes `src` (broadcast to `dst`'s shape) into `dst`'s storage, respecting `dst`'s strides. */
export function copyInto(dst: Tensor, src: Tensor, what = 'copy_'): void {
  if (dst.device !== 'cpu' || src.device !== 'cpu') {
    // a device's copy_ kernel writes dst (src: same device, or a CPU tensor it uploads)
    const k = dst.device !== 'cpu' ? getRegistry().kernel('aten::copy_', dst.device) : undefined;
    if (!k) throw new OpError(`${what}: cannot copy a ${src.device} tensor into a ${dst.device} tensor synchronously; use await t.to('cpu')`);
    k({ self: dst, src, non_blocking: false }, []);
    return;
  }
  const n = dst.numel();
  const srcShape = src.shape;
  if (srcShape.length > dst.ndim || srcShape.some((s, i) => s !== 1 && s !== dst.shape[dst.ndim - srcShape.length + i])) {
    throw new OpError(`${what}: output with shape [${dst.shape}] doesn't match the broadcast shape of [${srcShape}]`);
  }
  // expand src to dst's shape with zero strides, then walk both
  const rank = dst.ndim;
  const sStr = new Array<number>(rank).fill(0);
  for (let i = 0; i < srcShape.length; i++) {
    const di = rank - srcShape.length + i;
    sStr[di] = srcShape[i] === 1 ? 0 : src.strides[i]!;
  }
  const s = src.hostArray, dArr = dst.hostArray;
  const isInt = dst.dtype !== 'float32' && dst.dtype !== 'float64' && dst.dtype !== 'float16';
  const isBool = dst.dtype === 'bool';
  const idx = new Array<number>(rank).fill(0);
  let so = src.offset, doff = dst.offset;
  for (let k = 0; k < n; k++) {
    let v = s[so]!;
    if (isBool) v = v !== 0 ? 1 : 0;
    else if (isInt && dst.dtype === 'int64') v = Math.trunc(v);
    dArr[doff] = dst.dtype === 'float16' ? roundToF16(v) : v;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      so += sStr[d]!;
      doff += dst.strides[d]!;
      if (idx[d]! < dst.shape[d]!) break;
      so -= sStr[d]! * dst.shape[d]!;
      doff -= dst.strides[d]! * dst.shape[d]!;
      idx[d] = 0;
    }
  }
}

export { Storage };
