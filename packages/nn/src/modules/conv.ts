import type { DType, DeviceType, Tensor } from '@torchlet/core';
import { bindArgs, ntuple, type FactoryKwargs, type PyArgs } from '../args.js';
import { _calculate_fan_in_and_fan_out, kaiming_uniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, op, opKw } from '../ops.js';
import type { Parameter } from '../parameter.js';
import { placeOn } from './linear.js';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
type IntOrTuple = number | number[];

export interface ConvKwargs extends FactoryKwargs {
  in_channels?: number;
  out_channels?: number;
  kernel_size?: IntOrTuple;
  stride?: IntOrTuple;
  padding?: IntOrTuple | 'same' | 'valid';
  dilation?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  padding_mode?: PaddingMode;
}

export interface ConvTransposeKwargs extends FactoryKwargs {
  in_channels?: number;
  out_channels?: number;
  kernel_size?: IntOrTuple;
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  output_padding?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrTuple;
  padding_mode?: 'zeros';
}

type ConvPos = [stride: IntOrTuple, padding: IntOrTuple | 'same' | 'valid', dilation: IntOrTuple, groups: number, bias: boolean, padding_mode: PaddingMode, device: DeviceType | null, dtype: DType | null];
type ConvTPos = [stride: IntOrTuple, padding: IntOrTuple, output_padding: IntOrTuple, groups: number, bias: boolean, dilation: IntOrTuple, padding_mode: 'zeros', device: DeviceType | null, dtype: DType | null];
export type ConvArgs = PyArgs<[in_channels: number, out_channels: number, kernel_size: IntOrTuple], ConvPos, ConvKwargs>;
export type ConvTransposeArgs = PyArgs<[in_channels: number, out_channels: number, kernel_size: IntOrTuple], ConvTPos, ConvTransposeKwargs>;

const CONV_SPEC = [['in_channels'], ['out_channels'], ['kernel_size'], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1], ['bias', true], ['padding_mode', 'zeros'], ['device', null], ['dtype', null]] as const;
const CONVT_SPEC = [['in_channels'], ['out_channels'], ['kernel_size'], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['bias', true], ['dilation', 1], ['padding_mode', 'zeros'], ['device', null], ['dtype', null]] as const;

const tup = (v: readonly number[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

/** Shared by Conv1d/2d and ConvTranspose1d/2d (PyTorch's _ConvNd). */
export abstract class _ConvNd extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  readonly in_channels: number;
  readonly out_channels: number;
  readonly kernel_size: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly transposed: boolean;
  readonly output_padding: number[];
  readonly groups: number;
  readonly padding_mode: PaddingMode;
  /** F.pad amounts for non-zero padding modes: last dim first, (left, right) each */
  readonly _reversed_padding_repeated_twice: number[];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected constructor(n: number, transposed: boolean, a: Record<string, any>) {
    super();
    const groups = a.groups as number;
    if (!Number.isInteger(groups) || groups <= 0) throw new RangeError('groups must be a positive integer');
    if (a.in_channels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (a.out_channels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const modes = ['zeros', 'reflect', 'replicate', 'circular'];
    if (!modes.includes(a.padding_mode)) throw new RangeError(`padding_mode must be one of ${JSON.stringify(modes)}, but got padding_mode='${a.padding_mode}'`);
    this.in_channels = a.in_channels;
    this.out_channels = a.out_channels;
    this.kernel_size = ntuple(a.kernel_size, n, 'kernel_size');
    this.stride = ntuple(a.stride, n, 'stride');
    this.dilation = ntuple(a.dilation, n, 'dilation');
    this.transposed = transposed;
    this.output_padding = ntuple(a.output_padding ?? 0, n, 'output_padding');
    this.groups = groups;
    this.padding_mode = a.padding_mode;
    if (typeof a.padding === 'string') {
      if (a.padding !== 'same' && a.padding !== 'valid') throw new RangeError(`Invalid padding string '${a.padding}', should be one of ["valid", "same"]`);
      if (a.padding === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      this.padding = a.padding;
      const rp: number[] = new Array<number>(2 * n).fill(0);
      if (a.padding === 'same') {
        for (let d = 0; d < n; d++) {
          const total = this.dilation[d]! * (this.kernel_size[d]! - 1);
          const left = Math.floor(total / 2);
          const i = 2 * (n - 1 - d);
          rp[i] = left;
          rp[i + 1] = total - left;
        }
      }
      this._reversed_padding_repeated_twice = rp;
    } else {
      this.padding = ntuple(a.padding, n, 'padding');
      this._reversed_padding_repeated_twice = [...this.padding].reverse().flatMap((p) => [p, p]);
    }
    const shape = transposed
      ? [a.in_channels, a.out_channels / groups, ...this.kernel_size]
      : [a.out_channels, a.in_channels / groups, ...this.kernel_size];
    this.registerParameter('weight', emptyParam(shape, a.dtype));
    this.registerParameter('bias', a.bias ? emptyParam([a.out_channels], a.dtype) : null);
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_parameters(): void {
    kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = _calculate_fan_in_and_fan_out(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        uniform_(this.bias, -bound, bound);
      }
    }
  }

  override extraRepr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${tup(this.kernel_size)}, stride=${tup(this.stride)}`;
    const zeros = (v: readonly number[]): boolean => v.every((x) => x === 0);
    if (typeof this.padding === 'string' || !zeros(this.padding)) s += `, padding=${typeof this.padding === 'string' ? `${this.padding}` : tup(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tup(this.dilation)}`;
    if (!zeros(this.output_padding)) s += `, output_padding=${tup(this.output_padding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.padding_mode !== 'zeros') s += `, padding_mode=${this.padding_mode}`;
    return s;
  }

  protected _convForward(opName: string, input: Tensor): Tensor {
    if (this.padding_mode !== 'zeros') {
      const padded = opKw('aten::pad', [input, this._reversed_padding_repeated_twice], { mode: this.padding_mode });
      try {
        return op(opName, padded, this.weight, this.bias, this.stride, new Array<number>(this.kernel_size.length).fill(0), this.dilation, this.groups);
      } finally {
        padded.dispose();
      }
    }
    return op(opName, input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }

  /** ConvTranspose's output_padding for a requested output_size. */
  protected _outputPadding(input: Tensor, outputSize: readonly number[] | null | undefined): number[] {
    if (outputSize === null || outputSize === undefined) return this.output_padding;
    const n = this.kernel_size.length;
    const hasBatch = input.ndim === n + 2;
    const nonSpatial = hasBatch ? 2 : 1;
    let size = [...outputSize];
    if (size.length === nonSpatial + n) size = size.slice(nonSpatial);
    if (size.length !== n) throw new RangeError(`ConvTranspose${n}D: for ${n + nonSpatial}D input, output_size must have ${n} or ${n + nonSpatial} elements (got ${outputSize.length})`);
    const pad = this.padding as number[];
    const mins: number[] = [], maxs: number[] = [];
    for (let d = 0; d < n; d++) {
      const m = (input.shape[d + nonSpatial]! - 1) * this.stride[d]! - 2 * pad[d]! + this.dilation[d]! * (this.kernel_size[d]! - 1) + 1;
      mins.push(m);
      maxs.push(m + this.stride[d]! - 1);
    }
    for (let i = 0; i < n; i++) {
      if (size[i]! < mins[i]! || size[i]! > maxs[i]!) {
        throw new RangeError(`requested an output size of [${size.join(', ')}], but valid sizes range from [${mins.join(', ')}] to [${maxs.join(', ')}] (for an input of [${input.shape.slice(nonSpatial).join(', ')}])`);
      }
    }
    return size.map((s, d) => s - mins[d]!);
  }
}

/** 1-D convolution over (N, C, L) or (C, L). */
export class Conv1d extends _ConvNd {
  constructor(...args: ConvArgs) {
    super(1, false, bindArgs('Conv1d', args, CONV_SPEC));
  }
  forward(input: Tensor): Tensor {
    return this._convForward('aten::conv1d', input);
  }
}

/** 2-D convolution over (N, C, H, W) or (C, H, W). */
export class Conv2d extends _ConvNd {
  constructor(...args: ConvArgs) {
    super(2, false, bindArgs('Conv2d', args, CONV_SPEC));
  }
  forward(input: Tensor): Tensor {
    return this._convForward('aten::conv2d', input);
  }
}

function transposeArgs(cls: string, args: readonly unknown[]): Record<string, unknown> {
  const a = bindArgs(cls, args, CONVT_SPEC);
  if (a.padding_mode !== 'zeros') throw new RangeError(`Only "zeros" padding mode is supported for ${cls}`);
  return a;
}

/** Transposed 1-D convolution; weight (in, out / groups, k). */
export class ConvTranspose1d extends _ConvNd {
  constructor(...args: ConvTransposeArgs) {
    super(1, true, transposeArgs('ConvTranspose1d', args));
  }
  forward(input: Tensor, output_size?: number[] | null): Tensor {
    const outPad = this._outputPadding(input, output_size);
    return op('aten::conv_transpose1d', input, this.weight, this.bias, this.stride, this.padding, outPad, this.groups, this.dilation);
  }
}

/** Transposed 2-D convolution; weight (in, out / groups, kh, kw). */
export class ConvTranspose2d extends _ConvNd {
  constructor(...args: ConvTransposeArgs) {
    super(2, true, transposeArgs('ConvTranspose2d', args));
  }
  forward(input: Tensor, output_size?: number[] | null): Tensor {
    const outPad = this._outputPadding(input, output_size);
    return op('aten::conv_transpose2d', input, this.weight, this.bias, this.stride, this.padding, outPad, this.groups, this.dilation);
  }
}
