import { f16BitsToF32, isDType, parseDType, roundToF16, storageArrayCtor, type DType, type StorageArray } from './dtype.js';
import { numel } from './shape.js';
import { Tensor } from './tensor.js';
import type { DeviceType } from './storage.js';
import { toDevice } from './dispatch.js';

export type TensorData = number | boolean | bigint | NestedArray | ArrayBufferView;
export interface NestedArray extends ReadonlyArray<number | boolean | bigint | NestedArray> {}

export interface TensorOptions {
  dtype?: DType | string;
  shape?: readonly number[];
  device?: DeviceType;
  requiresGrad?: boolean;
}

function typedArrayDType(a: ArrayBufferView, requested: DType | undefined): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return requested === 'bool' ? 'bool' : 'uint8';
  if (a instanceof Uint16Array) {
    if (requested === 'float16') return 'float16';
    throw new TypeError('torch.tensor: a Uint16Array is read as float16 bits only with {dtype: "float16"}');
  }
  throw new TypeError(`torch.tensor: unsupported array type ${a.constructor.name}`);
}

/**
 * torch.tensor: a new tensor that copies `data`. Integer JS arrays give int64, arrays with a
 * fractional value float32, booleans bool (PyTorch's inference; note that JS cannot tell `1.0`
 * from `1`, so pass `{dtype: 'float32'}` for float data that happens to be integral).
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  const requested = options.dtype === undefined ? undefined : parseDType(options.dtype);
  let t: Tensor;
  if (ArrayBuffer.isView(data)) {
    const srcType = typedArrayDType(data, requested);
    const shape = options.shape ? [...options.shape] : [(data as unknown as ArrayLike<number>).length];
    const n = numel(shape);
    const len = (data as unknown as ArrayLike<number>).length;
    if (n !== len) throw new RangeError(`torch.tensor: shape [${shape}] has ${n} elements but the array has ${len}`);
    const dtype = requested ?? srcType;
    const arr = new storageArrayCtor[dtype](n);
    if (srcType === 'int64') {
      const src = data as BigInt64Array;
      for (let i = 0; i < n; i++) arr[i] = Number(src[i]!);
    } else if (srcType === 'float16') {
      const src = data as Uint16Array;
      for (let i = 0; i < n; i++) arr[i] = f16BitsToF32(src[i]!);
    } else arr.set(data as unknown as ArrayLike<number>);
    t = Tensor.fromArray(arr, shape, dtype);
  } else {
    const shape: number[] = [];
    let v: unknown = data;
    while (Array.isArray(v)) {
      shape.push(v.length);
      v = v[0];
    }
    const flat: (number | boolean | bigint)[] = [];
    let allBool = true, allInt = true;
    const walk = (x: unknown, d: number): void => {
      if (d === shape.length) {
        if (typeof x === 'boolean') allInt = allInt && true;
        else if (typeof x === 'number') {
          allBool = false;
          if (!Number.isInteger(x)) allInt = false;
        } else if (typeof x === 'bigint') allBool = false;
        else throw new TypeError(`torch.tensor: expected a number, boolean or bigint, got ${typeof x}`);
        flat.push(x as number);
        return;
      }
      if (!Array.isArray(x) || x.length !== shape[d]) throw new RangeError(`torch.tensor: ragged nested array: expected a sequence of length ${shape[d]} at dim ${d}`);
      for (const e of x) walk(e, d + 1);
    };
    walk(data, 0);
    const inferred: DType = flat.length === 0 ? 'float32' : allBool ? 'bool' : allInt ? 'int64' : 'float32';
    const dtype = requested ?? inferred;
    const arr = new storageArrayCtor[dtype](flat.length);
    for (let i = 0; i < flat.length; i++) arr[i] = Number(flat[i]!);
    const finalShape = options.shape ? [...options.shape] : shape;
    if (numel(finalShape) !== flat.length) throw new RangeError(`torch.tensor: shape [${finalShape}] does not match ${flat.length} elements`);
    t = Tensor.fromArray(arr, finalShape, dtype);
  }
  finishValues(t.hostArray, t.dtype);
  if (options.requiresGrad) t.requiresGrad = true;
  if (options.device && options.device !== 'cpu') {
    const moved = toDevice(t, options.device);
    t.dispose();
    return moved;
  }
  return t;
}

/** Applies the dtype's value semantics to freshly written storage (f16 rounding, int64 truncation, bool). */
export function finishValues(a: StorageArray, dtype: DType): void {
  if (dtype === 'float16') for (let i = 0; i < a.length; i++) a[i] = roundToF16(a[i]!);
  else if (dtype === 'int64') for (let i = 0; i < a.length; i++) a[i] = Math.trunc(a[i]!);
  else if (dtype === 'bool') for (let i = 0; i < a.length; i++) a[i] = a[i] ? 1 : 0;
}

export function isDTypeLike(x: unknown): boolean {
  return isDType(x);
}
