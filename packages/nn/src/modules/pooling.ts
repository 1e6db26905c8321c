import type { Tensor } from '@torchlet/core';
import { bindArgs, type PyArgs } from '../args.js';
import { Module } from '../module.js';
import { op, opTuple } from '../ops.js';
import { pyBool } from './linear.js';

type IntOrPair = number | [number, number] | number[];
const fmt = (v: number | readonly number[]): string => (typeof v === 'number' ? String(v) : `(${v.join(', ')})`);

export interface MaxPool2dKwargs {
  kernel_size?: IntOrPair;
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  return_indices?: boolean;
  ceil_mode?: boolean;
}

/** 2-D max pooling; `return_indices` makes forward return [values, indices]. */
export class MaxPool2d extends Module {
  readonly kernel_size: IntOrPair;
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly dilation: IntOrPair;
  readonly return_indices: boolean;
  readonly ceil_mode: boolean;
  constructor(...args: PyArgs<[kernel_size: IntOrPair], [stride: IntOrPair | null, padding: IntOrPair, dilation: IntOrPair, return_indices: boolean, ceil_mode: boolean], MaxPool2dKwargs>) {
    super();
    const a = bindArgs('MaxPool2d', args, [['kernel_size'], ['stride', null], ['padding', 0], ['dilation', 1], ['return_indices', false], ['ceil_mode', false]]);
    this.kernel_size = a.kernel_size;
    this.stride = a.stride ?? a.kernel_size;
    this.padding = a.padding;
    this.dilation = a.dilation;
    this.return_indices = a.return_indices;
    this.ceil_mode = a.ceil_mode;
  }
  forward(input: Tensor): Tensor {
    if (this.return_indices) {
      return opTuple('aten::max_pool2d_with_indices', input, this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode) as unknown as Tensor;
    }
    return op('aten::max_pool2d', input, this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode);
  }
  override extraRepr(): string {
    return `kernel_size=${fmt(this.kernel_size)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}, dilation=${fmt(this.dilation)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

export interface AvgPool2dKwargs {
  kernel_size?: IntOrPair;
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  ceil_mode?: boolean;
  count_include_pad?: boolean;
  divisor_override?: number | null;
}

/** 2-D average pooling. */
export class AvgPool2d extends Module {
  readonly kernel_size: IntOrPair;
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly ceil_mode: boolean;
  readonly count_include_pad: boolean;
  readonly divisor_override: number | null;
  constructor(
    ...args: PyArgs<[kernel_size: IntOrPair], [stride: IntOrPair | null, padding: IntOrPair, ceil_mode: boolean, count_include_pad: boolean, divisor_override: number | null], AvgPool2dKwargs>
  ) {
    super();
    const a = bindArgs('AvgPool2d', args, [['kernel_size'], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]]);
    this.kernel_size = a.kernel_size;
    this.stride = a.stride ?? a.kernel_size;
    this.padding = a.padding;
    this.ceil_mode = a.ceil_mode;
    this.count_include_pad = a.count_include_pad;
    this.divisor_override = a.divisor_override;
  }
  forward(input: Tensor): Tensor {
    return op('aten::avg_pool2d', input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override);
  }
  override extraRepr(): string {
    return `kernel_size=${fmt(this.kernel_size)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}`;
  }
}

/** Average pooling to a fixed output size; a `null` entry keeps that input dim. */
export class AdaptiveAvgPool2d extends Module {
  readonly output_size: number | (number | null)[];
  constructor(...args: PyArgs<[output_size: number | (number | null)[]], [], { output_size?: number | (number | null)[] }>) {
    super();
    this.output_size = bindArgs('AdaptiveAvgPool2d', args, [['output_size']]).output_size;
  }
  forward(input: Tensor): Tensor {
    const os = this.output_size;
    const size = typeof os === 'number' ? os : os.map((v, i) => v ?? input.shape[input.ndim - os.length + i]!);
    return op('aten::adaptive_avg_pool2d', input, size);
  }
  override extraRepr(): string {
    const os = this.output_size;
    return `output_size=${typeof os === 'number' ? os : `(${os.map((v) => v ?? 'None').join(', ')})`}`;
  }
}
