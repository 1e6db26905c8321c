import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@torchlet/core';
import { InferenceSession, load, OnnxFormatError, OnnxImportError, OnnxRunError } from '../src/index.js';
import { MODELS, model, vi } from './helpers.js';

const mlp = new Uint8Array(readFileSync(join(MODELS, 'pytorch/tiny_mlp/model.onnx')));
const relu = (i: string, o: string, name = o) => ({ op_type: 'Relu', input: [i], output: [o], name });

describe('malformed models', () => {
  it('a truncated model is a format error', async () => {
    await expect(load(mlp.subarray(0, mlp.length >> 1))).rejects.toThrow(OnnxFormatError);
    await expect(load(mlp.subarray(0, 7))).rejects.toThrow(/not a valid ONNX ModelProto/);
  });
  it('garbage is a format error', async () => {
    await expect(load(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]))).rejects.toThrow(OnnxFormatError);
  });
  it('a model without a graph', async () => {
    await expect(load(new Uint8Array([0x08, 0x07]))).rejects.toThrow(/has no graph/);
  });
  it('a cycle names the node and the input', async () => {
    const m = model([relu('b', 'a', 'first'), relu('a', 'b', 'second')], [vi('x')], [vi('b')]);
    await expect(load(m)).rejects.toThrow(OnnxImportError);
    await expect(load(m)).rejects.toThrow(/'first' \(Relu\): input 'b' is produced by node 'second' \(Relu\).*cycle/);
  });
  it('a dangling input is named', async () => {
    const m = model([{ op_type: 'Add', input: ['x', 'nowhere'], output: ['y'] }], [vi('x')], [vi('y')]);
    await expect(load(m)).rejects.toThrow(/input 'nowhere' is not produced by any node, initializer or graph input \(a dangling input\)/);
  });
  it('an output nobody produces is named', async () => {
    const m = model([relu('x', 'y')], [vi('x')], [vi('y'), vi('ghost')]);
    await expect(load(m)).rejects.toThrow(/graph output 'ghost'/);
  });
  it('unsupported ops are named with the opset', async () => {
    const m = model([{ op_type: 'FancyOp', input: ['x'], output: ['y'] }, { op_type: 'Foo', domain: 'com.example', input: ['y'], output: ['z'] }], [vi('x')], [vi('z')]);
    await expect(load(m)).rejects.toThrow(/unsupported ONNX ops: FancyOp \(opset 13\), com\.example\.Foo/);
  });
  it('an opset past 18 is refused', async () => {
    await expect(load(model([relu('x', 'y')], [vi('x')], [vi('y')], {}, 19))).rejects.toThrow(/opset 19/);
  });
  it('a missing required attribute is named', async () => {
    const m = model([{ op_type: 'Concat', input: ['x', 'x'], output: ['y'] }], [vi('x')], [vi('y')]);
    await expect(load(m)).rejects.toThrow(/required attribute 'axis' is missing/);
  });
});

describe('feeds', () => {
  const m = model([{ op_type: 'Add', input: ['x', 'x'], output: ['y'], name: 'add' }], [vi('x', 1, ['batch', 3])], [vi('y')]);
  it('runs with a right feed', async () => {
    const s = await load(m);
    expect(s.inputNames).toEqual(['x']);
    expect(s.outputNames).toEqual(['y']);
    const y = (await s.run({ x: tensor([[1, 2, 3]], { dtype: 'float32' }) })).y as Tensor;
    expect(y.tolist()).toEqual([[2, 4, 6]]);
  });
  it('fetches pick outputs; InferenceSession.create is load', async () => {
    const s = await InferenceSession.create(model([relu('x', 'y'), { op_type: 'Neg', input: ['x'], output: ['z'] }], [vi('x')], [vi('y'), vi('z')]));
    const out = await s.run({ x: tensor([-1, 2], { dtype: 'float32' }) }, ['z']);
    expect(Object.keys(out)).toEqual(['z']);
    expect((out.z as Tensor).tolist()).toEqual([1, -2]);
    await expect(s.run({ x: tensor([1], { dtype: 'float32' }) }, ['w'])).rejects.toThrow(/fetch 'w' is not an output of the model \(outputs: y, z\)/);
  });
  it('a feed with a wrong name', async () => {
    const s = await load(m);
    await expect(s.run({ x: tensor([[1, 2, 3]], { dtype: 'float32' }), z: tensor([1], { dtype: 'float32' }) })).rejects.toThrow(/feed 'z' is not an input of the model \(inputs: x\)/);
    await expect(s.run({})).rejects.toThrow(/missing feed for input 'x'/);
  });
  it('a feed with a wrong dtype', async () => {
    const s = await load(m);
    await expect(s.run({ x: tensor([[1, 2, 3]], { dtype: 'int64' }) })).rejects.toThrow(/input 'x' must have dtype float32, got int64/);
  });
  it('a feed with a wrong shape', async () => {
    const s = await load(m);
    await expect(s.run({ x: tensor([[1, 2]], { dtype: 'float32' }) })).rejects.toThrow(OnnxRunError);
    await expect(s.run({ x: tensor([[1, 2]], { dtype: 'float32' }) })).rejects.toThrow(/input 'x' must have shape \[batch, 3\], got \[1, 2\]/);
    await expect(s.run({ x: tensor([1, 2, 3], { dtype: 'float32' }) })).rejects.toThrow(/input 'x' must have rank 2/);
  });
  it('an error inside the graph names the node', async () => {
    const s = await load(model([{ op_type: 'Add', input: ['x', 'w'], output: ['y'], name: 'bad_add' }], [vi('x'), vi('w')], [vi('y')]));
    await expect(s.run({ x: tensor([1, 2, 3], { dtype: 'float32' }), w: tensor([1, 2], { dtype: 'float32' }) })).rejects.toThrow(/node Add 'bad_add'/);
  });
  it('outputs are the caller\'s to dispose', async () => {
    const s = await load(model([{ op_type: 'Identity', input: ['x'], output: ['y'] }], [vi('x')], [vi('y')]));
    const x = tensor([1, 2], { dtype: 'float32' });
    const y = (await s.run({ x })).y as Tensor;
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.tolist()).toEqual([1, 2]);
    // a view of a feed or of a weight comes back as a copy too
    const init = { name: 'shape', dims: [1], data_type: 7, int64_data: [-1] };
    const w = { name: 'w', dims: [2, 1], data_type: 1, float_data: [5, 6] };
    const s2 = await load(model([{ op_type: 'Reshape', input: ['x', 'shape'], output: ['y'] }, { op_type: 'Reshape', input: ['w', 'shape'], output: ['z'] }], [vi('x')], [vi('y'), vi('z')], { initializer: [init, w] }));
    const out = await s2.run({ x });
    expect((out.y as Tensor).storage).not.toBe(x.storage);
    (out.z as Tensor).hostArray[0] = 99;
    expect(((await s2.run({ x })).z as Tensor).tolist()).toEqual([5, 6]);
  });
});
