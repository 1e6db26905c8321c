/**
 * The ONNX graph under construction while a traced IR graph is exported: names of tensors,
 * initializers, nodes, and helpers the op emitters share (casts, constants, opset-dependent
 * forms of Reduce*, Squeeze, Unsqueeze, Split).
 */
import { Tensor, f32ToF16Bits, type DType } from '@torchlet/core';
import type { Node, Value } from '@torchlet/ir';
import { DTYPE_TO_ONNX, type AttributeProto, type NodeProto, type TensorProto } from '../proto.js';

export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}

/** A JS attribute value: numbers (INT when integral unless `float`), arrays, strings, tensors. */
export type AttrValue = number | string | number[] | string[] | Tensor | { float: number } | { floats: number[] } | { ints: number[] };

/** ONNX bytes of a tensor's elements (little-endian; float16 as half bits, int64 as 8-byte ints, bool as bytes). */
export function rawBytes(t: Tensor): Uint8Array {
  const a = t.contiguousArray();
  switch (t.dtype) {
    case 'float16': {
      const out = new Uint16Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = f32ToF16Bits(a[i]!);
      return new Uint8Array(out.buffer);
    }
    case 'int64': {
      const out = new BigInt64Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = BigInt(Math.trunc(a[i]!));
      return new Uint8Array(out.buffer);
    }
    default: {
      const c = a.slice();
      return new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
    }
  }
}

export function tensorProto(name: string, t: Tensor): TensorProto {
  return { name, dims: [...t.shape], data_type: DTYPE_TO_ONNX[t.dtype], raw_data: rawBytes(t) };
}

function attribute(name: string, v: AttrValue): AttributeProto {
  if (v instanceof Tensor) return { name, type: 4, t: tensorProto('', v) };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return { name, type: 8, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    if ((v as number[]).every((x) => Number.isInteger(x))) return { name, type: 7, ints: v as number[] };
    return { name, type: 6, floats: v as number[] };
  }
  if ('float' in v) return { name, type: 1, f: v.float };
  if ('floats' in v) return { name, type: 6, floats: v.floats };
  return { name, type: 7, ints: v.ints };
}

/** The names of a value in the ONNX graph: one tensor, or a list of tensors (Tensor[] results, tuples). */
export type Names = string | Names[];

export class ExportGraph {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly initByTensor = new Map<Tensor, string>();
  private readonly scalarConsts = new Map<string, string>();
  private counter = 0;

  constructor(readonly opset: number) {}

  /** A fresh unique tensor name based on `hint`. */
  fresh(hint: string): string {
    let base = hint.replace(/[^A-Za-z0-9_.:/\-]/g, '_') || 'v';
    if (/^\d/.test(base)) base = `v${base}`;
    let s = base;
    while (this.used.has(s)) s = `${base}_${++this.counter}`;
    this.used.add(s);
    return s;
  }
  reserve(name: string): string {
    if (this.used.has(name)) throw new OnnxExportError(`the name '${name}' is used twice`);
    this.used.add(name);
    return name;
  }

  /** An initializer for `t` (one per tensor object). */
  initializer(t: Tensor, hint: string): string {
    const known = this.initByTensor.get(t);
    if (known) return known;
    if (t.device !== 'cpu') throw new OnnxExportError(`a constant tensor of the model is on ${t.device}: export from the CPU`);
    const name = this.fresh(hint);
    this.initializers.push(tensorProto(name, t));
    this.initByTensor.set(t, name);
    return name;
  }

  /** An initializer holding `values` as a tensor of `dtype` and `shape` (default 1-D). */
  constant(values: readonly number[], dtype: DType, shape: number[] = [values.length], hint = 'const'): string {
    const key = `${dtype}|${shape.join(',')}|${values.join(',')}`;
    const known = this.scalarConsts.get(key);
    if (known) return known;
    const t = Tensor.empty(shape, dtype);
    const a = t.hostArray;
    for (let i = 0; i < values.length; i++) a[i] = dtype === 'bool' ? (values[i] ? 1 : 0) : values[i]!;
    const name = this.fresh(hint);
    this.initializers.push(tensorProto(name, t));
    t.dispose();
    this.scalarConsts.set(key, name);
    return name;
  }
  /** A 0-d constant. */
  scalar(v: number | boolean, dtype: DType): string {
    return this.constant([Number(v)], dtype, [], 'scalar');
  }
  ints(values: readonly number[]): string {
    return this.constant(values, 'int64', [values.length], 'ints');
  }

  /** Appends a node; returns its output names (fresh ones unless given). */
  node(opType: string, inputs: readonly string[], outputs: number | readonly string[] = 1, attrs: Record<string, AttrValue | undefined> = {}, hint?: string): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(`${hint ?? opType}_out`)) : [...outputs];
    const attribute_: AttributeProto[] = [];
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) attribute_.push(attribute(k, v));
    const n: NodeProto = { op_type: opType, input: [...inputs], output: outs, name: this.fresh(`/${hint ?? opType}`) };
    if (attribute_.length) n.attribute = attribute_;
    this.nodes.push(n);
    return outs;
  }
  one(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue | undefined> = {}, out?: string): string {
    return this.node(opType, inputs, out ? [out] : 1, attrs)[0]!;
  }

  cast(x: string, from: DType, to: DType): string {
    if (from === to) return x;
    return this.one('Cast', [x], { to: DTYPE_TO_ONNX[to] });
  }

  /** Reduce* over `axes` (null: all). ReduceSum takes axes as an input from opset 13, the others from 18. */
  reduce(op: string, x: string, axes: number[] | null, keepdims: boolean, out?: string): string {
    const asInput = op === 'ReduceSum' ? this.opset >= 13 : this.opset >= 18;
    if (axes === null || axes.length === 0) return this.one(op, [x], { keepdims: keepdims ? 1 : 0 }, out);
    if (asInput) return this.one(op, [x, this.ints(axes)], { keepdims: keepdims ? 1 : 0 }, out);
    return this.one(op, [x], { axes, keepdims: keepdims ? 1 : 0 }, out);
  }
  unsqueeze(x: string, axes: number[], out?: string): string {
    return this.one('Unsqueeze', [x, this.ints(axes)], {}, out);
  }
  squeeze(x: string, axes: number[], out?: string): string {
    return this.one('Squeeze', [x, this.ints(axes)], {}, out);
  }
  reshape(x: string, shape: readonly number[], out?: string): string {
    return this.one('Reshape', [x, this.ints([...shape])], {}, out);
  }
  split(x: string, sizes: number[], axis: number, outs?: string[]): string[] {
    return this.node('Split', [x, this.ints(sizes)], outs ?? sizes.length, { axis });
  }
  identity(x: string, out?: string): string {
    return this.one('Identity', [x], {}, out);
  }
}

/** What an op emitter sees of the node being exported. */
export interface OpContext {
  readonly g: ExportGraph;
  readonly node: Node;
  readonly opset: number;
  /** concrete value of input i (number, boolean, string, array, null, Tensor) */
  c(i: number): unknown;
  /** the concrete tensor of input i (throws if it is not a tensor) */
  t(i: number): Tensor;
  /** is input i a tensor? */
  isTensor(i: number): boolean;
  /** ONNX name of tensor input i (an initializer if it is constant) */
  x(i: number): string;
  /** input i as a tensor of `dtype`: a cast tensor, or a constant for a JS scalar */
  operand(i: number, dtype: DType): string;
  /** names of a Tensor[] input */
  list(i: number): string[];
  /** the concrete value of output i */
  out(i: number): unknown;
  /** the concrete tensor of output i */
  outT(i: number): Tensor;
  /** sets the ONNX name(s) of output i */
  set(i: number, names: Names): void;
  /** a name hint for output i */
  hint(i?: number): string;
  /** static IR type kind of input i ('float' makes a JS integral number a float) */
  inputKind(i: number): string;
  fail(msg: string): never;
}

export type Emitter = (ctx: OpContext) => void;

export function normDim(d: number, rank: number): number {
  return d < 0 ? d + rank : d;
}

export function valueName(v: Value): string {
  return v.debugName ?? `v${v.id}`;
}
