import { tidy, type DType, type DeviceType, type Tensor } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { Module, deepcopy } from '../module.js';
import { op, opKw } from '../ops.js';
import { Dropout } from './activation.js';
import { MultiheadAttention } from './attention.js';
import { ModuleList } from './container.js';
import { Linear } from './linear.js';
import { LayerNorm } from './norm.js';

export type Activation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

export interface TransformerEncoderLayerKwargs extends FactoryKwargs {
  d_model?: number;
  nhead?: number;
  dim_feedforward?: number;
  dropout?: number;
  activation?: Activation;
  layer_norm_eps?: number;
  batch_first?: boolean;
  norm_first?: boolean;
}

export interface EncoderLayerForwardOptions {
  src_mask?: Tensor | null;
  src_key_padding_mask?: Tensor | null;
}

function activationFn(a: Activation): ((x: Tensor) => Tensor) | Module {
  if (a === 'relu') return (x) => op('aten::relu', x);
  if (a === 'gelu') return (x) => opKw('aten::gelu', [x], { approximate: 'none' });
  if (typeof a === 'function' || a instanceof Module) return a;
  throw new RangeError(`activation should be relu/gelu, not ${String(a)}`);
}

/** Self-attention then a feed-forward block, each with a residual and a LayerNorm (post-norm unless norm_first). */
export class TransformerEncoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  norm_first: boolean;
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(
    ...args: PyArgs<
      [d_model: number, nhead: number],
      [dim_feedforward: number, dropout: number, activation: Activation, layer_norm_eps: number, batch_first: boolean, norm_first: boolean, device: DeviceType | null, dtype: DType | null],
      TransformerEncoderLayerKwargs
    >
  ) {
    super();
    const a = bindArgs('TransformerEncoderLayer', args, [
      ['d_model'], ['nhead'], ['dim_feedforward', 2048], ['dropout', 0.1], ['activation', 'relu'], ['layer_norm_eps', 1e-5],
      ['batch_first', false], ['norm_first', false], ['device', null], ['dtype', null],
    ]);
    const f = { device: a.device, dtype: a.dtype };
    this.registerModule('self_attn', new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first, ...f }));
    this.registerModule('linear1', new Linear(a.d_model, a.dim_feedforward, f));
    this.registerModule('dropout', new Dropout(a.dropout));
    this.registerModule('linear2', new Linear(a.dim_feedforward, a.d_model, f));
    this.norm_first = a.norm_first;
    this.registerModule('norm1', new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...f }));
    this.registerModule('norm2', new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...f }));
    this.registerModule('dropout1', new Dropout(a.dropout));
    this.registerModule('dropout2', new Dropout(a.dropout));
    this.activation = activationFn(a.activation);
  }

  private _act(x: Tensor): Tensor {
    return this.activation instanceof Module ? this.activation.forward(x) : this.activation(x);
  }

  private _saBlock(x: Tensor, mask: Tensor | null, kpm: Tensor | null): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attn_mask: mask, key_padding_mask: kpm, need_weights: false });
    return this.dropout1.forward(y);
  }

  private _ffBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this._act(this.linear1.forward(x)))));
  }

  forward(src: Tensor, options: EncoderLayerForwardOptions = {}): Tensor {
    const { src_mask = null, src_key_padding_mask = null } = options;
    if (src_key_padding_mask && src_key_padding_mask.dtype !== 'bool' && !src_key_padding_mask.isFloatingPoint) {
      throw new TypeError('only bool and floating types of key_padding_mask are supported');
    }
    return tidy(() => {
      let x = src;
      if (this.norm_first) {
        x = op('aten::add', x, this._saBlock(this.norm1.forward(x), src_mask, src_key_padding_mask));
        x = op('aten::add', x, this._ffBlock(this.norm2.forward(x)));
      } else {
        x = this.norm1.forward(op('aten::add', x, this._saBlock(x, src_mask, src_key_padding_mask)));
        x = this.norm2.forward(op('aten::add', x, this._ffBlock(x)));
      }
      return x;
    });
  }
}

export interface TransformerEncoderKwargs {
  encoder_layer?: TransformerEncoderLayer;
  num_layers?: number;
  norm?: Module | null;
  enable_nested_tensor?: boolean;
  mask_check?: boolean;
}

export interface EncoderForwardOptions {
  mask?: Tensor | null;
  src_key_padding_mask?: Tensor | null;
}

/** `num_layers` deep copies of `encoder_layer` (identical initial weights, as in PyTorch), then an optional norm. */
export class TransformerEncoder extends Module {
  declare layers: ModuleList;
  declare norm: Module | null;
  readonly num_layers: number;

  constructor(
    ...args: PyArgs<[encoder_layer: TransformerEncoderLayer, num_layers: number], [norm: Module | null, enable_nested_tensor: boolean, mask_check: boolean], TransformerEncoderKwargs>
  ) {
    super();
    const a = bindArgs('TransformerEncoder', args, [['encoder_layer'], ['num_layers'], ['norm', null], ['enable_nested_tensor', true], ['mask_check', true]]);
    const layer = a.encoder_layer as TransformerEncoderLayer;
    this.registerModule('layers', new ModuleList(Array.from({ length: a.num_layers as number }, () => deepcopy(layer))));
    this.num_layers = a.num_layers;
    this.registerModule('norm', a.norm);
  }

  forward(src: Tensor, options: EncoderForwardOptions = {}): Tensor {
    const { mask = null, src_key_padding_mask = null } = options;
    return tidy(() => {
      let x = src;
      for (const layer of this.layers) x = (layer as TransformerEncoderLayer).forward(x, { src_mask: mask, src_key_padding_mask });
      if (this.norm) x = this.norm.forward(x);
      return x;
    });
  }
}
