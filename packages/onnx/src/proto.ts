import protobuf from 'protobufjs';
import { f16BitsToF32, storageArrayCtor, Tensor, type DType, type StorageArray } from '@torchlet/core';
import descriptor from './onnx.proto.json' with { type: 'json' };

/** Decoding errors: truncated or corrupt protobuf, unsupported tensor types, bad external data. */
export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

let root: protobuf.Root | undefined;
function type(name: string): protobuf.Type {
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  return root.lookupType(`onnx.${name}`);
}

// Field shapes of the decoded messages we read (protobufjs reflection objects, keepCase names).
export interface TensorProto {
  dims?: number[];
  data_type?: number;
  segment?: unknown;
  float_data?: number[];
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: number[];
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  external_data?: { key: string; value: string }[];
  data_location?: number;
  double_data?: number[];
  uint64_data?: number[];
}
export interface AttributeProto {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  ref_attr_name?: string;
}
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type: string;
  domain?: string;
  attribute?: AttributeProto[];
}
export interface TensorShapeProto { dim?: { dim_value?: number; dim_param?: string }[] }
export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: TensorShapeProto };
  sequence_type?: { elem_type?: TypeProto };
  optional_type?: { elem_type?: TypeProto };
  map_type?: unknown;
}
export interface ValueInfoProto { name: string; type?: TypeProto }
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparse_initializer?: unknown[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}
export interface OperatorSetIdProto { domain?: string; version?: number }
export interface FunctionProto {
  name: string;
  input?: string[];
  output?: string[];
  attribute?: string[];
  node?: NodeProto[];
  opset_import?: OperatorSetIdProto[];
  domain?: string;
}
export interface ModelProto {
  ir_version?: number;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  graph?: GraphProto;
  functions?: FunctionProto[];
}
export interface SequenceProto {
  name?: string;
  elem_type?: number;
  tensor_values?: TensorProto[];
  sequence_values?: SequenceProto[];
  optional_values?: OptionalProto[];
}
export interface OptionalProto {
  name?: string;
  elem_type?: number;
  tensor_value?: TensorProto;
  sequence_value?: SequenceProto;
  optional_value?: OptionalProto;
}

function decode<T>(name: string, bytes: Uint8Array, what: string): T {
  try {
    const t = type(name);
    return t.toObject(t.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false, arrays: true }) as T;
  } catch (e) {
    throw new OnnxFormatError(`${what}: not a valid ONNX ${name} (${(e as Error).message})`);
  }
}

export function decodeModel(bytes: Uint8Array, what = 'model'): ModelProto {
  return decode<ModelProto>('ModelProto', bytes, what);
}
export function decodeTensorProto(bytes: Uint8Array, what = 'tensor'): TensorProto {
  return decode<TensorProto>('TensorProto', bytes, what);
}
export function decodeSequence(bytes: Uint8Array, what = 'sequence'): SequenceProto {
  return decode<SequenceProto>('SequenceProto', bytes, what);
}
export function decodeOptional(bytes: Uint8Array, what = 'optional'): OptionalProto {
  return decode<OptionalProto>('OptionalProto', bytes, what);
}

/** TensorProto.DataType -> torchlet dtype (undefined where torchlet has no such dtype). */
export const ONNX_DTYPES: Record<number, DType | undefined> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64',
  // widened: uint16 -> int32, uint32 -> int64, bfloat16 -> float32 (losslessly); uint64 -> int64 (exact below 2^53, like every int64 here)
  4: 'int32', 12: 'int64', 13: 'int64', 16: 'float32',
};
export const ONNX_DTYPE_NAMES: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};
export const DTYPE_TO_ONNX: Record<DType, number> = {
  float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11,
};

/** Resolves external tensor data: `location` relative to the model, byte offset and length. */
export type ExternalDataResolver = (location: string, offset: number, length: number | undefined) => Uint8Array;

/** Builds a torchlet Tensor from a decoded TensorProto (raw or typed fields, external data). */
export function tensorFromProto(p: TensorProto, external?: ExternalDataResolver): Tensor {
  const code = p.data_type ?? 0;
  const dtype = ONNX_DTYPES[code];
  const name = p.name ? `'${p.name}'` : '(unnamed)';
  if (!dtype) throw new OnnxFormatError(`tensor ${name}: data type ${ONNX_DTYPE_NAMES[code] ?? code} is not supported by torchlet`);
  const shape = (p.dims ?? []).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new OnnxFormatError(`tensor ${name}: invalid dims [${shape}]`);
  const n = shape.reduce((a, b) => a * b, 1);
  let raw = p.raw_data;
  if (p.data_location === 1) {
    const kv = new Map((p.external_data ?? []).map((e) => [e.key, e.value]));
    const loc = kv.get('location');
    if (!loc) throw new OnnxFormatError(`tensor ${name}: external data without a location`);
    if (!external) throw new OnnxFormatError(`tensor ${name}: its data is in the external file '${loc}'; pass it in options.externalData`);
    raw = external(loc, Number(kv.get('offset') ?? 0), kv.has('length') ? Number(kv.get('length')) : undefined);
  }
  // check the data against the dims before allocating (corrupt dims must not allocate gigabytes)
  const src: ArrayLike<number> | undefined =
    code === 1 ? p.float_data : code === 11 ? p.double_data : code === 7 ? p.int64_data : code === 12 || code === 13 ? p.uint64_data : p.int32_data;
  if (raw && raw.length > 0) {
    if (raw.length !== n * (RAW_SIZE[code] ?? 0)) throw new OnnxFormatError(`tensor ${name}: raw_data has ${raw.length} bytes, expected ${n * (RAW_SIZE[code] ?? 0)} for dims [${shape}]`);
  } else if (n > 0 && (!src || src.length !== n)) {
    throw new OnnxFormatError(`tensor ${name}: expected ${n} elements for dims [${shape}], found ${src?.length ?? 0}`);
  }
  const out = new storageArrayCtor[dtype](n);
  if (raw && raw.length > 0) {
    fillFromRaw(out, raw, code, n, name);
  } else if (n > 0 && src) {
    if (code === 10) for (let i = 0; i < n; i++) out[i] = f16BitsToF32(src[i]!);
    else if (code === 16) for (let i = 0; i < n; i++) out[i] = bf16ToF32(src[i]!);
    else for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
    if (code === 9) for (let i = 0; i < n; i++) out[i] = out[i] ? 1 : 0;
  }
  return Tensor.fromArray(out, shape, dtype);
}

function bf16ToF32(bits: number): number {
  const b = new Uint32Array([(bits & 0xffff) << 16]);
  return new Float32Array(b.buffer)[0]!;
}

const RAW_SIZE: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2 };

function fillFromRaw(out: StorageArray, raw: Uint8Array, code: number, n: number, name: string): void {
  const bytes = RAW_SIZE[code]!;
  if (raw.length !== n * bytes) throw new OnnxFormatError(`tensor ${name}: raw_data has ${raw.length} bytes, expected ${n * bytes}`);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (code) {
    case 1:
      if (raw.byteOffset % 4 === 0) out.set(new Float32Array(raw.buffer, raw.byteOffset, n));
      else for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
      break;
    case 11: for (let i = 0; i < n; i++) out[i] = dv.getFloat64(i * 8, true); break;
    case 2: out.set(raw); break;
    case 3: for (let i = 0; i < n; i++) out[i] = dv.getInt8(i); break;
    case 4: for (let i = 0; i < n; i++) out[i] = dv.getUint16(i * 2, true); break;
    case 5: for (let i = 0; i < n; i++) out[i] = dv.getInt16(i * 2, true); break;
    case 6: for (let i = 0; i < n; i++) out[i] = dv.getInt32(i * 4, true); break;
    case 7: for (let i = 0; i < n; i++) out[i] = Number(dv.getBigInt64(i * 8, true)); break;
    case 9: for (let i = 0; i < n; i++) out[i] = raw[i] ? 1 : 0; break;
    case 10: for (let i = 0; i < n; i++) out[i] = f16BitsToF32(dv.getUint16(i * 2, true)); break;
    case 12: for (let i = 0; i < n; i++) out[i] = dv.getUint32(i * 4, true); break;
    case 13: for (let i = 0; i < n; i++) out[i] = Number(dv.getBigUint64(i * 8, true)); break;
    case 16: for (let i = 0; i < n; i++) out[i] = bf16ToF32(dv.getUint16(i * 2, true)); break;
    default: throw new OnnxFormatError(`tensor ${name}: raw data of type ${ONNX_DTYPE_NAMES[code] ?? code} is not supported`);
  }
}

/** torch.onnx.readTensor: decodes a serialized TensorProto (e.g. the suite's input_0.pb). */
export function readTensor(bytes: Uint8Array | ArrayBuffer): Tensor {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return tensorFromProto(decodeTensorProto(u8));
}

/** Serializes a ModelProto-shaped object (snake_case fields, as decodeModel returns them). */
export function encodeModel(model: ModelProto): Uint8Array {
  const t = type('ModelProto');
  const err = t.verify(model);
  if (err) throw new OnnxFormatError(`not a valid ModelProto: ${err}`);
  return t.encode(t.fromObject(model)).finish();
}
