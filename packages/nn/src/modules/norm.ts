import { Tensor, type DType, type DeviceType } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { ones_, zeros_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, filled, op } from '../ops.js';
import type { Parameter } from '../parameter.js';
import { placeOn, pyBool } from './linear.js';

export interface BatchNormKwargs extends FactoryKwargs {
  num_features?: number;
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
}
export type BatchNormArgs = PyArgs<
  [num_features: number],
  [eps: number, momentum: number | null, affine: boolean, track_running_stats: boolean, device: DeviceType | null, dtype: DType | null],
  BatchNormKwargs
>;

/** BatchNorm1d/2d: weight ones, bias zeros, running_mean zeros, running_var ones, num_batches_tracked int64 0. */
export abstract class _BatchNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  readonly num_features: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly track_running_stats: boolean;

  protected constructor(cls: string, args: readonly unknown[]) {
    super();
    const a = bindArgs(cls, args, [['num_features'], ['eps', 1e-5], ['momentum', 0.1], ['affine', true], ['track_running_stats', true], ['device', null], ['dtype', null]]);
    this.num_features = a.num_features;
    this.eps = a.eps;
    this.momentum = a.momentum;
    this.affine = a.affine;
    this.track_running_stats = a.track_running_stats;
    const n = a.num_features as number;
    const dt = (a.dtype ?? 'float32') as DType;
    this.registerParameter('weight', a.affine ? emptyParam([n], dt) : null);
    this.registerParameter('bias', a.affine ? emptyParam([n], dt) : null);
    if (a.track_running_stats) {
      this.registerBuffer('running_mean', filled([n], dt, 0));
      this.registerBuffer('running_var', filled([n], dt, 1));
      this.registerBuffer('num_batches_tracked', filled([], 'int64', 0));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_running_stats(): void {
    if (!this.track_running_stats) return;
    zeros_(this.running_mean!);
    ones_(this.running_var!);
    zeros_(this.num_batches_tracked!);
  }

  reset_parameters(): void {
    this.reset_running_stats();
    if (this.affine) {
      ones_(this.weight!);
      zeros_(this.bias!);
    }
  }

  protected abstract _checkInputDim(input: Tensor): void;

  forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    let factor = this.momentum ?? 0.0;
    if (this.training && this.track_running_stats && this.num_batches_tracked) {
      op('aten::add_', this.num_batches_tracked, 1);
      if (this.momentum === null) factor = 1.0 / Number(this.num_batches_tracked.item());
      else factor = this.momentum;
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useStats = !this.training || this.track_running_stats;
    return op(
      'torchlet::batch_norm', input, useStats ? this.running_mean : null, useStats ? this.running_var : null,
      this.weight, this.bias, bnTraining, factor, this.eps,
    );
  }

  /** Checkpoints without num_batches_tracked (PyTorch < 0.4.1) load with it set to 0. */
  protected override _loadFromStateDict(sd: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[]): void {
    const key = `${prefix}num_batches_tracked`;
    let added: Tensor | undefined;
    if (this.track_running_stats && !sd.has(key)) {
      added = filled([], 'int64', 0);
      sd.set(key, added);
    }
    try {
      super._loadFromStateDict(sd, prefix, missing, unexpected, errors);
    } finally {
      if (added) {
        sd.delete(key);
        added.dispose();
      }
    }
  }

  override extraRepr(): string {
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.track_running_stats)}`;
  }
}

/** Python's repr of a float: 1e-05, 0.1, 1.0, 1e+16 */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const [mant, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp >= -4 && exp < 16) {
    const s = String(x);
    return /[.e]/.test(s) ? s : `${s}.0`;
  }
  return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Batch normalization over (N, C) or (N, C, L). */
export class BatchNorm1d extends _BatchNorm {
  constructor(...args: BatchNormArgs) {
    super('BatchNorm1d', args);
  }
  protected _checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/** Batch normalization over (N, C, H, W). */
export class BatchNorm2d extends _BatchNorm {
  constructor(...args: BatchNormArgs) {
    super('BatchNorm2d', args);
  }
  protected _checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`expected 4D input (got ${input.ndim}D input)`);
  }
}

export interface LayerNormKwargs extends FactoryKwargs {
  normalized_shape?: number | number[];
  eps?: number;
  elementwise_affine?: boolean;
}

/** Normalizes over the trailing `normalized_shape` dims; weight ones, bias zeros. */
export class LayerNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  readonly normalized_shape: number[];
  readonly eps: number;
  readonly elementwise_affine: boolean;

  constructor(...args: PyArgs<[normalized_shape: number | number[]], [eps: number, elementwise_affine: boolean, device: DeviceType | null, dtype: DType | null], LayerNormKwargs>) {
    super();
    const a = bindArgs('LayerNorm', args, [['normalized_shape'], ['eps', 1e-5], ['elementwise_affine', true], ['device', null], ['dtype', null]]);
    this.normalized_shape = typeof a.normalized_shape === 'number' ? [a.normalized_shape] : [...a.normalized_shape];
    this.eps = a.eps;
    this.elementwise_affine = a.elementwise_affine;
    this.registerParameter('weight', a.elementwise_affine ? emptyParam(this.normalized_shape, a.dtype) : null);
    this.registerParameter('bias', a.elementwise_affine ? emptyParam(this.normalized_shape, a.dtype) : null);
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_parameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(input: Tensor): Tensor {
    return op('aten::layer_norm', input, this.normalized_shape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalized_shape.join(', ')}${this.normalized_shape.length === 1 ? ',' : ''}), eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}`;
  }
}

export interface GroupNormKwargs extends FactoryKwargs {
  num_groups?: number;
  num_channels?: number;
  eps?: number;
  affine?: boolean;
}

/** Normalizes channel groups of (N, C, *); weight ones, bias zeros. */
export class GroupNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  readonly num_groups: number;
  readonly num_channels: number;
  readonly eps: number;
  readonly affine: boolean;

  constructor(...args: PyArgs<[num_groups: number, num_channels: number], [eps: number, affine: boolean, device: DeviceType | null, dtype: DType | null], GroupNormKwargs>) {
    super();
    const a = bindArgs('GroupNorm', args, [['num_groups'], ['num_channels'], ['eps', 1e-5], ['affine', true], ['device', null], ['dtype', null]]);
    if (a.num_channels % a.num_groups !== 0) throw new RangeError('num_channels must be divisible by num_groups');
    this.num_groups = a.num_groups;
    this.num_channels = a.num_channels;
    this.eps = a.eps;
    this.affine = a.affine;
    this.registerParameter('weight', a.affine ? emptyParam([a.num_channels], a.dtype) : null);
    this.registerParameter('bias', a.affine ? emptyParam([a.num_channels], a.dtype) : null);
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_parameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(input: Tensor): Tensor {
    return op('aten::group_norm', input, this.num_groups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
