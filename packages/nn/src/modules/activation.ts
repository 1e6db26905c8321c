import type { DType, DeviceType, Tensor } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { constant_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, op, opKw } from '../ops.js';
import type { Parameter } from '../parameter.js';
import { placeOn } from './linear.js';
import { pyFloat } from './norm.js';

function unary(name: string, input: Tensor, inplace: boolean): Tensor {
  return op(inplace ? `aten::${name}_` : `aten::${name}`, input);
}

/** max(0, x) */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace?: boolean }>) {
    super();
    this.inplace = bindArgs('ReLU', args, [['inplace', false]]).inplace;
  }
  forward(input: Tensor): Tensor {
    return unary('relu', input, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** clamp(x, min_val, max_val) */
export class Hardtanh extends Module {
  readonly min_val: number;
  readonly max_val: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [min_val: number, max_val: number, inplace: boolean], { min_val?: number; max_val?: number; inplace?: boolean }>) {
    super();
    const a = bindArgs(new.target.name, args, [['min_val', -1.0], ['max_val', 1.0], ['inplace', false]]);
    this.min_val = a.min_val;
    this.max_val = a.max_val;
    this.inplace = a.inplace;
    if (!(this.max_val > this.min_val)) throw new RangeError('max_val must be greater than min_val');
  }
  forward(input: Tensor): Tensor {
    return op(this.inplace ? 'aten::hardtanh_' : 'aten::hardtanh', input, this.min_val, this.max_val);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** min(max(0, x), 6): PyTorch's ReLU6 module is Hardtanh(0, 6). */
export class ReLU6 extends Hardtanh {
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace?: boolean }>) {
    const a = bindArgs('ReLU6', args, [['inplace', false]]);
    super(0.0, 6.0, a.inplace as boolean);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** x * Phi(x); `approximate: 'tanh'` for the tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(...args: PyArgs<[], [approximate: 'none' | 'tanh'], { approximate?: 'none' | 'tanh' }>) {
    super();
    this.approximate = bindArgs('GELU', args, [['approximate', 'none']]).approximate;
  }
  forward(input: Tensor): Tensor {
    return opKw('aten::gelu', [input], { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x * sigmoid(x) */
export class SiLU extends Module {
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace?: boolean }>) {
    super();
    this.inplace = bindArgs('SiLU', args, [['inplace', false]]).inplace;
  }
  forward(input: Tensor): Tensor {
    return unary('silu', input, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return op('aten::tanh', input);
  }
}

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return op('aten::sigmoid', input);
  }
}

/** The dim PyTorch picks for softmax(dim=None) (with a deprecation warning). */
function legacySoftmaxDim(name: string, ndim: number): number {
  console.warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

export class Softmax extends Module {
  readonly dim: number | null;
  constructor(...args: PyArgs<[], [dim: number | null], { dim?: number | null }>) {
    super();
    this.dim = bindArgs('Softmax', args, [['dim', null]]).dim;
  }
  forward(input: Tensor): Tensor {
    const dim = this.dim ?? legacySoftmaxDim('softmax', input.ndim);
    return op('aten::softmax', input, dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(...args: PyArgs<[], [dim: number | null], { dim?: number | null }>) {
    super();
    this.dim = bindArgs('LogSoftmax', args, [['dim', null]]).dim;
  }
  forward(input: Tensor): Tensor {
    const dim = this.dim ?? legacySoftmaxDim('log_softmax', input.ndim);
    return op('aten::log_softmax', input, dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** max(0, x) + negative_slope * min(0, x) */
export class LeakyReLU extends Module {
  readonly negative_slope: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [negative_slope: number, inplace: boolean], { negative_slope?: number; inplace?: boolean }>) {
    super();
    const a = bindArgs('LeakyReLU', args, [['negative_slope', 0.01], ['inplace', false]]);
    this.negative_slope = a.negative_slope;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return op(this.inplace ? 'aten::leaky_relu_' : 'aten::leaky_relu', input, this.negative_slope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negative_slope}${this.inplace ? ', inplace=True' : ''}`;
  }
}

export class Hardswish extends Module {
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace?: boolean }>) {
    super();
    this.inplace = bindArgs('Hardswish', args, [['inplace', false]]).inplace;
  }
  forward(input: Tensor): Tensor {
    return unary('hardswish', input, this.inplace);
  }
}

export class Hardsigmoid extends Module {
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace?: boolean }>) {
    super();
    this.inplace = bindArgs('Hardsigmoid', args, [['inplace', false]]).inplace;
  }
  forward(input: Tensor): Tensor {
    return unary('hardsigmoid', input, this.inplace);
  }
}

/** x if x > 0 else alpha * (exp(x) - 1) */
export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [alpha: number, inplace: boolean], { alpha?: number; inplace?: boolean }>) {
    super();
    const a = bindArgs('ELU', args, [['alpha', 1.0], ['inplace', false]]);
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return op(this.inplace ? 'aten::elu_' : 'aten::elu', input, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

export interface PReLUKwargs extends FactoryKwargs {
  num_parameters?: number;
  init?: number;
}

/** max(0, x) + a * min(0, x) with a learnt `a` (initialised to `init`). */
export class PReLU extends Module {
  declare weight: Parameter;
  readonly num_parameters: number;
  readonly init: number;
  constructor(...args: PyArgs<[], [num_parameters: number, init: number, device: DeviceType | null, dtype: DType | null], PReLUKwargs>) {
    super();
    const a = bindArgs('PReLU', args, [['num_parameters', 1], ['init', 0.25], ['device', null], ['dtype', null]]);
    this.num_parameters = a.num_parameters;
    this.init = a.init;
    this.registerParameter('weight', emptyParam([a.num_parameters], a.dtype));
    this.reset_parameters();
    placeOn(this, a.device);
  }
  reset_parameters(): void {
    constant_(this.weight, this.init);
  }
  forward(input: Tensor): Tensor {
    return op('aten::prelu', input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.num_parameters}`;
  }
}

function checkP(p: number): void {
  if (typeof p !== 'number' || p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/** Zeroes elements with probability p in training mode (scaling the rest by 1/(1-p)); identity in eval mode. */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[], [p: number, inplace: boolean], { p?: number; inplace?: boolean }>) {
    super();
    const a = bindArgs('Dropout', args, [['p', 0.5], ['inplace', false]]);
    checkP(a.p);
    this.p = a.p;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return op(this.inplace ? 'aten::dropout_' : 'aten::dropout', input, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
