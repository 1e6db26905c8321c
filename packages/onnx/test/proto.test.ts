import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DType } from '@torchlet/core';
import { OnnxFormatError, readTensor } from '../src/index.js';
import { MODELS } from './helpers.js';

const dir = join(MODELS, 'fixtures/tensors');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;
const DTYPE: Record<string, DType> = {
  FLOAT: 'float32', DOUBLE: 'float64', FLOAT16: 'float16', UINT8: 'uint8', INT8: 'int8', UINT16: 'int32', INT16: 'int16',
  INT32: 'int32', UINT32: 'int64', INT64: 'int64', UINT64: 'int64', BOOL: 'bool', SCALAR: 'float32', EMPTY: 'float32', BFLOAT16: 'float32',
};

// TensorProtos written by onnx's numpy_helper (raw_data) and helper.make_tensor (typed fields)
describe('readTensor', () => {
  for (const [name, want] of Object.entries(expected)) {
    for (const form of ['raw', 'typed']) {
      it(`${name} (${form})`, () => {
        const t = readTensor(readFileSync(join(dir, `${name}.${form}.pb`)));
        expect(t.dtype).toBe(DTYPE[name]);
        expect(t.shape).toEqual(want.shape);
        expect(Array.from(t.contiguousArray(), Number)).toEqual(want.values);
      });
    }
  }
  it('rejects bytes that are not a TensorProto', () => {
    expect(() => readTensor(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(OnnxFormatError);
  });
  it('names a data type torchlet cannot hold', () => {
    // TensorProto{dims: [1], data_type: STRING(8), string_data: ["a"]}
    expect(() => readTensor(new Uint8Array([0x08, 0x01, 0x10, 0x08, 0x32, 0x01, 0x61]))).toThrow(/STRING is not supported/);
  });
  it('checks raw_data length against dims', () => {
    // dims [2], FLOAT, raw_data of 4 bytes
    expect(() => readTensor(new Uint8Array([0x08, 0x02, 0x10, 0x01, 0x4a, 0x04, 0, 0, 0x80, 0x3f]))).toThrow(/raw_data has 4 bytes, expected 8/);
  });
});
