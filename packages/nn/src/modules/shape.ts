import type { Tensor } from '@torchlet/core';
import { bindArgs, type PyArgs } from '../args.js';
import { Module } from '../module.js';
import { op, opKw } from '../ops.js';

/** Flattens dims start_dim..end_dim into one. */
export class Flatten extends Module {
  readonly start_dim: number;
  readonly end_dim: number;
  constructor(...args: PyArgs<[], [start_dim: number, end_dim: number], { start_dim?: number; end_dim?: number }>) {
    super();
    const a = bindArgs('Flatten', args, [['start_dim', 1], ['end_dim', -1]]);
    this.start_dim = a.start_dim;
    this.end_dim = a.end_dim;
  }
  forward(input: Tensor): Tensor {
    return op('aten::flatten', input, this.start_dim, this.end_dim);
  }
  override extraRepr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}

/** Splits dim `dim` into `unflattened_size`. */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattened_size: number[];
  constructor(...args: PyArgs<[dim: number, unflattened_size: number[]], [], { dim?: number; unflattened_size?: number[] }>) {
    super();
    const a = bindArgs('Unflatten', args, [['dim'], ['unflattened_size']]);
    if (!Array.isArray(a.unflattened_size)) throw new TypeError(`unflattened_size must be tuple of ints, but found type ${typeof a.unflattened_size}`);
    this.dim = a.dim;
    this.unflattened_size = [...a.unflattened_size];
  }
  forward(input: Tensor): Tensor {
    return op('aten::unflatten', input, this.dim, this.unflattened_size);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattened_size.join(', ')})`;
  }
}

export type UpsampleMode = 'nearest' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'nearest-exact';

export interface UpsampleKwargs {
  size?: number | number[] | null;
  scale_factor?: number | number[] | null;
  mode?: UpsampleMode;
  align_corners?: boolean | null;
  recompute_scale_factor?: boolean | null;
}

/** Resizes with F.interpolate: give either `size` or `scale_factor`. */
export class Upsample extends Module {
  readonly size: number | number[] | null;
  readonly scale_factor: number | number[] | null;
  readonly mode: UpsampleMode;
  readonly align_corners: boolean | null;
  readonly recompute_scale_factor: boolean | null;
  constructor(
    ...args: PyArgs<[], [size: number | number[] | null, scale_factor: number | number[] | null, mode: UpsampleMode, align_corners: boolean | null, recompute_scale_factor: boolean | null], UpsampleKwargs>
  ) {
    super();
    const a = bindArgs('Upsample', args, [['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null], ['recompute_scale_factor', null]]);
    this.size = a.size;
    this.scale_factor = a.scale_factor || null;
    this.mode = a.mode;
    this.align_corners = a.align_corners;
    this.recompute_scale_factor = a.recompute_scale_factor;
  }
  forward(input: Tensor): Tensor {
    return opKw('torchlet::interpolate', [input], {
      size: this.size,
      scale_factor: this.scale_factor,
      mode: this.mode,
      align_corners: this.align_corners,
      recompute_scale_factor: this.recompute_scale_factor,
    });
  }
  override extraRepr(): string {
    const v = (x: number | number[] | null): string => (x === null ? 'None' : Array.isArray(x) ? `(${x.join(', ')})` : Number.isInteger(x) ? `${x}.0` : String(x));
    return this.scale_factor !== null
      ? `scale_factor=${v(this.scale_factor)}, mode=${this.mode}`
      : `size=${this.size === null ? 'None' : Array.isArray(this.size) ? `(${this.size.join(', ')})` : this.size}, mode=${this.mode}`;
  }
}
