import type { DType, DeviceType, Tensor } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { _calculate_fan_in_and_fan_out, kaiming_uniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, op } from '../ops.js';
import type { Parameter } from '../parameter.js';

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Places a freshly initialised module on `device` (parameters are created and drawn on the CPU). */
export function placeOn(m: Module, device: DeviceType | string | null | undefined): void {
  if (device && device !== 'cpu') m.to(device);
}

/** Returns its input unchanged; accepts and ignores any constructor arguments. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward(input: Tensor): Tensor {
    return input;
  }
}

export interface LinearKwargs extends FactoryKwargs {
  in_features?: number;
  out_features?: number;
  bias?: boolean;
}

/** y = x W^T + b. Weight kaiming_uniform_(a=sqrt(5)), bias U(-1/sqrt(in), 1/sqrt(in)). */
export class Linear extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  readonly in_features: number;
  readonly out_features: number;

  constructor(...args: PyArgs<[in_features: number, out_features: number], [bias: boolean, device: DeviceType | null, dtype: DType | null], LinearKwargs>) {
    super();
    const a = bindArgs('Linear', args, [['in_features'], ['out_features'], ['bias', true], ['device', null], ['dtype', null]]);
    this.in_features = a.in_features;
    this.out_features = a.out_features;
    this.registerParameter('weight', emptyParam([a.out_features, a.in_features], a.dtype));
    this.registerParameter('bias', a.bias ? emptyParam([a.out_features], a.dtype) : null);
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_parameters(): void {
    kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = _calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return op('aten::linear', input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`;
  }
}

export interface BilinearKwargs extends FactoryKwargs {
  in1_features?: number;
  in2_features?: number;
  out_features?: number;
  bias?: boolean;
}

/** y = x1^T A x2 + b; weight and bias U(-1/sqrt(in1), 1/sqrt(in1)). */
export class Bilinear extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  readonly in1_features: number;
  readonly in2_features: number;
  readonly out_features: number;

  constructor(
    ...args: PyArgs<[in1_features: number, in2_features: number, out_features: number], [bias: boolean, device: DeviceType | null, dtype: DType | null], BilinearKwargs>
  ) {
    super();
    const a = bindArgs('Bilinear', args, [['in1_features'], ['in2_features'], ['out_features'], ['bias', true], ['device', null], ['dtype', null]]);
    this.in1_features = a.in1_features;
    this.in2_features = a.in2_features;
    this.out_features = a.out_features;
    this.registerParameter('weight', emptyParam([a.out_features, a.in1_features, a.in2_features], a.dtype));
    this.registerParameter('bias', a.bias ? emptyParam([a.out_features], a.dtype) : null);
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]!);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  forward(input1: Tensor, input2: Tensor): Tensor {
    return op('aten::bilinear', input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`;
  }
}

export { pyBool };
