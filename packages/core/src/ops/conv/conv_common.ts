/** Shared argument handling for the convolution ops (not an op file: not listed in index.ts). */
import { convForward, convOutputShape, type ConvSpec } from '../../cpu/conv.js';
import { callOp } from '../../dispatch.js';
import type { DType } from '../../dtype.js';
import type { OutSpec } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { checkSameDtype, notImplemented } from '../linalg/common.js';

/** A convolution call in aten::convolution's terms, before defaults are resolved. */
export interface ConvCall {
  input: Tensor;
  weight: Tensor;
  bias: Tensor | null;
  stride: number[];
  /** ints, or 'valid' / 'same' */
  padding: number[] | string;
  dilation: number[];
  transposed: boolean;
  outputPadding: number[];
  groups: number;
  /** conv2d, conv_transpose1d, ...: these accept an unbatched input of `dims` + 1 dims */
  wrapper?: { name: string; dims: number };
}

const CPP_TYPE: Record<DType, string> = {
  float32: 'float', float64: 'double', float16: 'c10::Half', int8: 'signed char', int16: 'short int', int32: 'int', int64: 'long int', uint8: 'unsigned char', bool: 'bool',
};

function expandParam(v: number[], name: string, nd: number): number[] {
  if (v.length === 1) return new Array<number>(nd).fill(v[0]!);
  if (v.length !== nd) throw new Error(`expected ${name} to be a single integer value or a list of ${nd} values to match the convolution dimensions, but got ${name}=[${v.join(', ')}]`);
  return [...v];
}

interface Resolved {
  spec: ConvSpec;
  batched: boolean;
  xShape: number[];
}

function resolve(c: ConvCall): Resolved {
  const { input: x, weight: w } = c;
  let batched = true;
  if (c.wrapper) {
    const { name, dims } = c.wrapper;
    if (x.ndim !== dims + 1 && x.ndim !== dims + 2) {
      throw new Error(`Expected ${dims + 1}D (unbatched) or ${dims + 2}D (batched) input to ${name}, but got input of size: [${x.shape.join(', ')}]`);
    }
    batched = x.ndim === dims + 2;
  }
  if (w.ndim < 3) throw new Error('weight should have at least three dimensions');
  if (c.groups <= 0) throw new Error('non-positive groups is not supported');
  const nd = w.ndim - 2;
  const stride = expandParam(c.stride, 'stride', nd);
  const dilation = expandParam(c.dilation, 'dilation', nd);
  const outputPadding = expandParam(c.outputPadding, 'output_padding', nd);
  let padBefore: number[], padAfter: number[];
  if (typeof c.padding === 'string') {
    if (c.padding === 'valid') padBefore = padAfter = new Array<number>(nd).fill(0);
    else if (c.padding === 'same') {
      if (stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
      padBefore = [];
      padAfter = [];
      for (let i = 0; i < nd; i++) {
        const total = dilation[i]! * (w.shape[i + 2]! - 1);
        padBefore.push(Math.floor(total / 2));
        padAfter.push(total - Math.floor(total / 2));
      }
    } else throw new Error(`Invalid padding string: '${c.padding}'`);
  } else padBefore = padAfter = expandParam(c.padding, 'padding', nd);
  return {
    spec: { stride, padBefore, padAfter, dilation, transposed: c.transposed, outputPadding, groups: c.groups },
    batched,
    xShape: batched ? [...x.shape] : [1, ...x.shape],
  };
}

export function convInfer(c: ConvCall): OutSpec {
  const r = resolve(c);
  const { input: x, weight: w, bias: b } = c;
  checkSameDtype(x.dtype, w.dtype);
  if (b && b.dtype !== x.dtype) throw new Error(`Input type (${CPP_TYPE[x.dtype]}) and bias type (${CPP_TYPE[b.dtype]}) should be the same`);
  const nd = w.ndim - 2;
  const d = x.dtype;
  // float16 runs too (see checkBlasDtype); PyTorch 1.13's CPU kernels have no Half version
  if (d === 'bool' || (c.transposed && d !== 'float32' && d !== 'float64' && d !== 'float16' && d !== 'int64')) {
    notImplemented(c.transposed ? (nd === 3 ? 'slow_conv_transpose3d_out_cpu' : 'slow_conv_transpose2d_out_cpu') : nd === 3 ? 'compute_columns3d' : 'slow_conv2d_cpu', d);
  }
  const shape = convOutputShape(r.xShape, w.shape, b ? b.shape : null, r.spec);
  return { shape: r.batched ? shape : shape.slice(1), dtype: d };
}

export function convCpu(c: ConvCall, out: Tensor): void {
  const r = resolve(c);
  const oShape = r.batched ? out.shape : [1, ...out.shape];
  const fast = out.dtype === 'float32' || out.dtype === 'float16';
  convForward(c.input.contiguousArray(), r.xShape, c.weight.contiguousArray(), c.weight.shape, c.bias ? c.bias.contiguousArray() : null, r.spec, out.hostArray, oShape, fast);
}

function viewAs(t: Tensor, shape: number[], strides: number[]): Tensor {
  return new Tensor(t.storage.retain(), shape, strides, t.offset);
}

/**
 * The same convolution through aten::convolution (for backends that implement only that one):
 * an unbatched input gets a batch dim, and padding='same' with an odd total pads the input first.
 */
export function convDecompose(c: ConvCall): Tensor {
  const r = resolve(c);
  let x = r.batched ? c.input : viewAs(c.input, r.xShape, [c.input.numel(), ...c.input.strides]);
  let temp: Tensor | undefined = r.batched ? undefined : x;
  const { padBefore, padAfter } = r.spec;
  if (padBefore.some((p, i) => p !== padAfter[i])) {
    const pads: number[] = [];
    for (let i = padBefore.length - 1; i >= 0; i--) pads.push(0, padAfter[i]! - padBefore[i]!);
    const padded = callOp('aten::constant_pad_nd', [x, pads, 0]) as Tensor;
    temp?.dispose();
    x = temp = padded;
  }
  const s = r.spec;
  const y = callOp('aten::convolution', [x, c.weight, c.bias, s.stride, padBefore, s.dilation, s.transposed, s.outputPadding, s.groups]) as Tensor;
  temp?.dispose();
  if (r.batched) return y;
  const u = viewAs(y, y.shape.slice(1), y.strides.slice(1));
  y.dispose();
  return u;
}

/** infer / cpu / decompose for an overload, from a function that reads its bound arguments. */
export function convOverload(read: (a: Record<string, unknown>) => ConvCall, decompose = true) {
  return {
    infer: (a: Record<string, unknown>) => convInfer(read(a)),
    cpu: (a: Record<string, unknown>, outs: Tensor[]) => convCpu(read(a), outs[0]!),
    ...(decompose ? { decompose: (a: Record<string, unknown>) => convDecompose(read(a)) } : {}),
  };
}

/** The usual conv{1,2,3}d argument names. */
export function convNdCall(dims: number, name: string) {
  return (a: Record<string, unknown>): ConvCall => ({
    input: a.input as Tensor, weight: a.weight as Tensor, bias: a.bias as Tensor | null,
    stride: a.stride as number[], padding: a.padding as number[] | string, dilation: a.dilation as number[],
    transposed: false, outputPadding: [0], groups: a.groups as number, wrapper: { name, dims },
  });
}

export function convTransposeNdCall(dims: number, name: string) {
  return (a: Record<string, unknown>): ConvCall => ({
    input: a.input as Tensor, weight: a.weight as Tensor, bias: a.bias as Tensor | null,
    stride: a.stride as number[], padding: a.padding as number[], dilation: a.dilation as number[],
    transposed: true, outputPadding: a.output_padding as number[], groups: a.groups as number, wrapper: { name, dims },
  });
}

/** aten::convolution / aten::_convolution arguments (batched input only). */
export function convolutionCall(a: Record<string, unknown>): ConvCall {
  return {
    input: a.input as Tensor, weight: a.weight as Tensor, bias: a.bias as Tensor | null,
    stride: a.stride as number[], padding: a.padding as number[], dilation: a.dilation as number[],
    transposed: a.transposed as boolean, outputPadding: a.output_padding as number[], groups: a.groups as number,
  };
}
