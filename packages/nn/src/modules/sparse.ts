import { Tensor, type DType, type DeviceType } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { normal_, zeros_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, op } from '../ops.js';
import { Parameter } from '../parameter.js';
import { placeOn } from './linear.js';
import { pyFloat } from './norm.js';

export interface EmbeddingKwargs extends FactoryKwargs {
  num_embeddings?: number;
  embedding_dim?: number;
  padding_idx?: number | null;
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  sparse?: boolean;
  _weight?: Tensor | null;
}

/** A lookup table of `num_embeddings` vectors; weight ~ N(0, 1), the padding_idx row zero. */
export class Embedding extends Module {
  declare weight: Parameter;
  readonly num_embeddings: number;
  readonly embedding_dim: number;
  readonly padding_idx: number | null;
  readonly max_norm: number | null;
  readonly norm_type: number;
  readonly scale_grad_by_freq: boolean;
  readonly sparse: boolean;

  constructor(
    ...args: PyArgs<
      [num_embeddings: number, embedding_dim: number],
      [padding_idx: number | null, max_norm: number | null, norm_type: number, scale_grad_by_freq: boolean, sparse: boolean, _weight: Tensor | null, device: DeviceType | null, dtype: DType | null],
      EmbeddingKwargs
    >
  ) {
    super();
    const a = bindArgs('Embedding', args, [
      ['num_embeddings'], ['embedding_dim'], ['padding_idx', null], ['max_norm', null], ['norm_type', 2.0],
      ['scale_grad_by_freq', false], ['sparse', false], ['_weight', null], ['device', null], ['dtype', null],
    ]);
    const n = a.num_embeddings as number;
    let pad = a.padding_idx as number | null;
    if (pad !== null) {
      if (pad > 0 && pad >= n) throw new RangeError('Padding_idx must be within num_embeddings');
      if (pad < 0) {
        if (pad < -n) throw new RangeError('Padding_idx must be within num_embeddings');
        pad = n + pad;
      }
    }
    this.num_embeddings = n;
    this.embedding_dim = a.embedding_dim;
    this.padding_idx = pad;
    this.max_norm = a.max_norm;
    this.norm_type = a.norm_type;
    this.scale_grad_by_freq = a.scale_grad_by_freq;
    this.sparse = a.sparse;
    const w = a._weight as Tensor | null;
    if (w === null) {
      this.registerParameter('weight', emptyParam([n, a.embedding_dim], a.dtype));
      this.reset_parameters();
    } else {
      if (w.shape.length !== 2 || w.shape[0] !== n || w.shape[1] !== a.embedding_dim) throw new RangeError('Shape of weight does not match num_embeddings and embedding_dim');
      this.registerParameter('weight', w instanceof Parameter ? w : new Parameter(w));
    }
    placeOn(this, a.device);
  }

  /** An Embedding holding `embeddings` (2-D) as its weight, without drawing random values. */
  static from_pretrained(
    embeddings: Tensor,
    options: { freeze?: boolean; padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean } = {},
  ): Embedding {
    if (embeddings.ndim !== 2) throw new RangeError('Embeddings parameter is expected to be 2-dimensional');
    const { freeze = true, ...rest } = options;
    const e = new Embedding(embeddings.shape[0]!, embeddings.shape[1]!, { ...rest, _weight: embeddings });
    e.weight.requiresGrad = !freeze;
    return e;
  }

  reset_parameters(): void {
    normal_(this.weight);
    this._fillPaddingIdxWithZero();
  }

  private _fillPaddingIdxWithZero(): void {
    if (this.padding_idx === null) return;
    const d = this.embedding_dim;
    const w = this.weight;
    if (w.device === 'cpu' && w.is_contiguous()) w.hostArray.fill(0, w.offset + this.padding_idx * d, w.offset + (this.padding_idx + 1) * d);
    else {
      const row = op('aten::select', w, 0, this.padding_idx);
      zeros_(row);
      row.dispose();
    }
  }

  forward(input: Tensor): Tensor {
    if (this.max_norm !== null) op('aten::embedding_renorm_', this.weight, input, this.max_norm, this.norm_type);
    return op('aten::embedding', this.weight, input, this.padding_idx ?? -1, this.scale_grad_by_freq, this.sparse);
  }

  override extraRepr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${pyFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pyFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += ', scale_grad_by_freq=True';
    if (this.sparse) s += ', sparse=True';
    return s;
  }
}
