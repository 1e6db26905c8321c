import { storageArrayCtor, f16BitsToF32, Tensor, type DType } from '@torchlet/core';
import { OnnxFormatError } from './proto.js';

const NPY: Record<string, { dtype: DType; size: number }> = {
  '<f4': { dtype: 'float32', size: 4 }, '<f8': { dtype: 'float64', size: 8 }, '<f2': { dtype: 'float16', size: 2 },
  '<i8': { dtype: 'int64', size: 8 }, '<i4': { dtype: 'int32', size: 4 }, '<i2': { dtype: 'int16', size: 2 },
  '|i1': { dtype: 'int8', size: 1 }, '|u1': { dtype: 'uint8', size: 1 }, '|b1': { dtype: 'bool', size: 1 },
};

/** Reads a NumPy .npy file (format 1.0..3.0, little-endian, C order) into a Tensor. */
export function readNpy(bytes: Uint8Array): Tensor {
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new OnnxFormatError('not an .npy file');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const hstart = major === 1 ? 10 : 12;
  if (bytes.length < hstart) throw new OnnxFormatError('truncated .npy header');
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new OnnxFormatError('.npy in Fortran order is not supported');
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const info = descr ? NPY[descr] : undefined;
  if (!info) throw new OnnxFormatError(`.npy dtype ${descr} is not supported`);
  const n = shape.reduce((a, b) => a * b, 1);
  const start = hstart + hlen;
  if (bytes.length < start + n * info.size) throw new OnnxFormatError(`.npy data is truncated: ${bytes.length - start} bytes for ${n} elements`);
  const out = new storageArrayCtor[info.dtype](n);
  for (let i = 0; i < n; i++) {
    const o = start + i * info.size;
    switch (descr) {
      case '<f4': out[i] = dv.getFloat32(o, true); break;
      case '<f8': out[i] = dv.getFloat64(o, true); break;
      case '<f2': out[i] = f16BitsToF32(dv.getUint16(o, true)); break;
      case '<i8': out[i] = Number(dv.getBigInt64(o, true)); break;
      case '<i4': out[i] = dv.getInt32(o, true); break;
      case '<i2': out[i] = dv.getInt16(o, true); break;
      case '|i1': out[i] = dv.getInt8(o); break;
      default: out[i] = bytes[o]!;
    }
  }
  return Tensor.fromArray(out, shape, info.dtype);
}
