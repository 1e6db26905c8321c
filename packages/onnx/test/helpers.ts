import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Tensor } from '@torchlet/core';
import { encodeModel, readNpy, type GraphProto, type NodeProto, type ValueInfoProto } from '../src/index.js';

export const MODELS = resolve(__dirname, '../../../test-models/onnx');

export function npy(path: string): Tensor {
  return readNpy(new Uint8Array(readFileSync(path)));
}

export interface Case {
  name: string;
  dir: string;
  meta: { rtol: number; atol: number; inputs: { file?: string; name?: string }[]; outputs: { file: string }[] };
}
export function cases(sub: string): Case[] {
  const root = join(MODELS, sub);
  return readdirSync(root)
    .filter((n) => existsSync(join(root, n, 'model.onnx')))
    .sort()
    .map((name) => ({ name, dir: join(root, name), meta: JSON.parse(readFileSync(join(root, name, 'meta.json'), 'utf8')) }));
}

/** Largest |got - want| - (atol + rtol * |want|) (<= 0: within tolerance). */
export function excess(got: Tensor, want: Tensor, rtol: number, atol: number): number {
  if (got.shape.join() !== want.shape.join()) return Infinity;
  const g = got.contiguousArray(), w = want.contiguousArray();
  let worst = -Infinity;
  for (let i = 0; i < w.length; i++) {
    const d = Math.abs(g[i]! - w[i]!) - (atol + rtol * Math.abs(w[i]!));
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return w.length ? worst : 0;
}

export function vi(name: string, elemType = 1, dims?: (number | string)[]): ValueInfoProto {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } : {}) } },
  };
}

/** A model from nodes (opset 13 unless given). */
export function model(nodes: NodeProto[], inputs: ValueInfoProto[], outputs: ValueInfoProto[], extra: Partial<GraphProto> = {}, opset = 13): Uint8Array {
  return encodeModel({ ir_version: 8, opset_import: [{ domain: '', version: opset }], graph: { name: 'g', node: nodes, input: inputs, output: outputs, ...extra } });
}
