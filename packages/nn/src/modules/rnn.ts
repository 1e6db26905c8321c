import { Tensor, tidy, type DType, type DeviceType } from '@torchlet/core';
import { bindArgs, type FactoryKwargs, type PyArgs } from '../args.js';
import { uniform_ } from '../init.js';
import { Module } from '../module.js';
import { emptyParam, filled, op, opTuple } from '../ops.js';
import type { Parameter } from '../parameter.js';
import { placeOn } from './linear.js';

type Mode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

export interface RNNKwargs extends FactoryKwargs {
  input_size?: number;
  hidden_size?: number;
  num_layers?: number;
  bias?: boolean;
  batch_first?: boolean;
  dropout?: number;
  bidirectional?: boolean;
}
export interface LSTMKwargs extends RNNKwargs {
  proj_size?: number;
}
export interface SimpleRNNKwargs extends RNNKwargs {
  nonlinearity?: 'tanh' | 'relu';
}

type RNNPos = [num_layers: number, bias: boolean, batch_first: boolean, dropout: number, bidirectional: boolean];
const BASE_SPEC = [['input_size'], ['hidden_size'], ['num_layers', 1], ['bias', true], ['batch_first', false], ['dropout', 0.0], ['bidirectional', false]] as const;
const FACTORY = [['device', null], ['dtype', null]] as const;

const sizeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** LSTM, GRU and Elman RNN: parameters weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k}. */
export abstract class RNNBase extends Module {
  readonly mode: Mode;
  readonly input_size: number;
  readonly hidden_size: number;
  readonly num_layers: number;
  readonly bias: boolean;
  readonly batch_first: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly proj_size: number;
  /** parameter names per layer and direction, in registration order */
  readonly _all_weights: string[][];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected constructor(mode: Mode, a: Record<string, any>) {
    super();
    const dropout = a.dropout;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new RangeError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (dropout > 0 && a.num_layers === 1) {
      console.warn(`dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${dropout} and num_layers=${a.num_layers}`);
    }
    if (!Number.isInteger(a.hidden_size)) throw new TypeError(`hidden_size should be of type int, got: ${typeof a.hidden_size}`);
    if (a.hidden_size <= 0) throw new RangeError('hidden_size must be greater than zero');
    if (a.num_layers <= 0) throw new RangeError('num_layers must be greater than zero');
    const proj = (a.proj_size ?? 0) as number;
    if (proj < 0) throw new RangeError('proj_size should be a positive integer or zero to disable projections');
    if (proj >= a.hidden_size) throw new RangeError('proj_size has to be smaller than hidden_size');
    this.mode = mode;
    this.input_size = a.input_size;
    this.hidden_size = a.hidden_size;
    this.num_layers = a.num_layers;
    this.bias = a.bias;
    this.batch_first = a.batch_first;
    this.dropout = dropout;
    this.bidirectional = a.bidirectional;
    this.proj_size = proj;
    const gate = this.hidden_size * (mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1);
    const dirs = this.bidirectional ? 2 : 1;
    const real = proj > 0 ? proj : this.hidden_size;
    this._all_weights = [];
    for (let layer = 0; layer < this.num_layers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const inSize = layer === 0 ? this.input_size : real * dirs;
        const sfx = d === 1 ? '_reverse' : '';
        const names: string[] = [];
        const add = (name: string, shape: number[]): void => {
          this.registerParameter(name, emptyParam(shape, a.dtype));
          names.push(name);
        };
        add(`weight_ih_l${layer}${sfx}`, [gate, inSize]);
        add(`weight_hh_l${layer}${sfx}`, [gate, real]);
        if (this.bias) {
          add(`bias_ih_l${layer}${sfx}`, [gate]);
          add(`bias_hh_l${layer}${sfx}`, [gate]);
        }
        if (proj > 0) add(`weight_hr_l${layer}${sfx}`, [proj, this.hidden_size]);
        this._all_weights.push(names);
      }
    }
    this.reset_parameters();
    placeOn(this, a.device);
  }

  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1.0 / Math.sqrt(this.hidden_size) : 0;
    for (const w of this.parameters()) uniform_(w, -stdv, stdv);
  }

  private _param(name: string): Parameter | null {
    return ((this as unknown as Record<string, Parameter | undefined>)[name]) ?? null;
  }

  protected _checkInput(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`input must have 2 or 3 dimensions, got ${input.ndim}`);
    if (input.shape[input.ndim - 1] !== this.input_size) {
      throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${input.shape[input.ndim - 1]}`);
    }
  }

  protected _checkHidden(hx: Tensor, expected: number[], msg = 'Expected hidden size {}, got {}'): void {
    if (hx.shape.length !== expected.length || hx.shape.some((s, i) => s !== expected[i])) {
      throw new RangeError(msg.replace('{}', sizeStr(expected)).replace('{}', sizeStr(hx.shape)));
    }
  }

  /** Zeros (num_layers * num_directions, batch, size) */
  protected _zeros(batch: number, size: number, like: Tensor): Tensor {
    const dirs = this.bidirectional ? 2 : 1;
    const z = filled([this.num_layers * dirs, batch, size], like.dtype, 0);
    return z;
  }

  /**
   * Runs all layers over time-major input (T, B, I) from initial states h0 (and c0 for LSTM),
   * shaped (L * D, B, H). Returns [output (T, B, D * H_out), h_n, c_n?].
   */
  protected _run(x: Tensor, h0: Tensor, c0: Tensor | null): Tensor[] {
    const dirs = this.bidirectional ? 2 : 1;
    const T = x.shape[0]!;
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    let layerInput = x;
    for (let layer = 0; layer < this.num_layers; layer++) {
      const dirOutputs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const sfx = d === 1 ? '_reverse' : '';
        const wih = this._param(`weight_ih_l${layer}${sfx}`)!, whh = this._param(`weight_hh_l${layer}${sfx}`)!;
        const bih = this.bias ? this._param(`bias_ih_l${layer}${sfx}`) : null;
        const bhh = this.bias ? this._param(`bias_hh_l${layer}${sfx}`) : null;
        const whr = this.proj_size > 0 ? this._param(`weight_hr_l${layer}${sfx}`) : null;
        const idx = layer * dirs + d;
        let h = op('aten::select', h0, 0, idx);
        let c = c0 ? op('aten::select', c0, 0, idx) : null;
        const xw = op('aten::linear', layerInput, wih, bih);
        const outs: Tensor[] = new Array<Tensor>(T);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          const xt = op('aten::select', xw, 0, t);
          const hw = op('aten::linear', h, whh, bhh);
          if (this.mode === 'LSTM') {
            const gates = op('aten::add', hw, xt);
            const [gi, gf, gg, go] = opTuple('aten::chunk', gates, 4, 1);
            const i = op('aten::sigmoid', gi!), f = op('aten::sigmoid', gf!), g = op('aten::tanh', gg!), o = op('aten::sigmoid', go!);
            c = op('aten::add', op('aten::mul', f, c!), op('aten::mul', i, g));
            h = op('aten::mul', o, op('aten::tanh', c));
            if (whr) h = op('aten::linear', h, whr, null);
          } else if (this.mode === 'GRU') {
            const [ir, iz, inn] = opTuple('aten::chunk', xt, 3, 1);
            const [hr, hz, hn] = opTuple('aten::chunk', hw, 3, 1);
            const r = op('aten::sigmoid', op('aten::add', ir!, hr!));
            const z = op('aten::sigmoid', op('aten::add', iz!, hz!));
            const n = op('aten::tanh', op('aten::add', inn!, op('aten::mul', hn!, r)));
            h = op('aten::add', op('aten::mul', op('aten::sub', h, n), z), n);
          } else {
            const pre = op('aten::add', hw, xt);
            h = op(this.mode === 'RNN_TANH' ? 'aten::tanh' : 'aten::relu', pre);
          }
          outs[t] = h;
        }
        dirOutputs.push(op('aten::stack', outs, 0));
        hN.push(h);
        if (c) cN.push(c);
      }
      layerInput = dirs === 1 ? dirOutputs[0]! : op('aten::cat', dirOutputs, 2);
      if (this.dropout > 0 && this.training && layer < this.num_layers - 1) layerInput = op('aten::dropout', layerInput, this.dropout, true);
    }
    const res = [layerInput, op('aten::stack', hN, 0)];
    if (this.mode === 'LSTM') res.push(op('aten::stack', cN, 0));
    return res;
  }

  /** Common forward: batch_first / unbatched handling around `_run`. */
  protected _forward(input: Tensor, hx: Tensor | null, cx: Tensor | null, lstm: boolean): Tensor[] {
    this._checkInput(input);
    return tidy(() => {
      const batched = input.ndim === 3;
      const batchDim = this.batch_first ? 0 : 1;
      let x = batched ? input : op('aten::unsqueeze', input, batchDim);
      const B = this.batch_first ? x.shape[0]! : x.shape[1]!;
      const dirs = this.bidirectional ? 2 : 1;
      const real = this.proj_size > 0 ? this.proj_size : this.hidden_size;
      let h0: Tensor, c0: Tensor | null = null;
      if (hx === null) {
        h0 = this._zeros(B, real, input);
        if (lstm) c0 = this._zeros(B, this.hidden_size, input);
      } else {
        if (batched) {
          if (hx.ndim !== 3 || (lstm && cx!.ndim !== 3)) {
            throw new RangeError(lstm ? `For batched 3-D input, hx and cx should also be 3-D but got (${hx.ndim}-D, ${cx!.ndim}-D) tensors` : `For batched 3-D input, hx should also be 3-D but got ${hx.ndim}-D tensor`);
          }
          h0 = hx;
          c0 = cx;
        } else {
          if (hx.ndim !== 2 || (lstm && cx!.ndim !== 2)) {
            throw new RangeError(lstm ? `For unbatched 2-D input, hx and cx should also be 2-D but got (${hx.ndim}-D, ${cx!.ndim}-D) tensors` : `For unbatched 2-D input, hx should also be 2-D but got ${hx.ndim}-D tensor`);
          }
          h0 = op('aten::unsqueeze', hx, 1);
          c0 = cx ? op('aten::unsqueeze', cx, 1) : null;
        }
        this._checkHidden(h0, [this.num_layers * dirs, B, real], lstm ? 'Expected hidden[0] size {}, got {}' : undefined);
        if (lstm) this._checkHidden(c0!, [this.num_layers * dirs, B, this.hidden_size], 'Expected hidden[1] size {}, got {}');
      }
      if (this.batch_first) x = op('aten::transpose', x, 0, 1);
      const [out0, ...states] = this._run(x, h0, c0);
      let out = out0!;
      if (this.batch_first) out = op('aten::transpose', out, 0, 1);
      if (!batched) {
        out = op('aten::squeeze', out, batchDim);
        return [out, ...states.map((s) => op('aten::squeeze', s, 1))];
      }
      return [op('aten::contiguous', out), ...states];
    });
  }

  override extraRepr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.proj_size !== 0) s += `, proj_size=${this.proj_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.bias !== true) s += ', bias=False';
    if (this.batch_first !== false) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional !== false) s += ', bidirectional=True';
    return s;
  }
}

/**
 * Long short-term memory. `forward(input, [h0, c0]?)` returns `[output, [h_n, c_n]]`, as
 * PyTorch's `output, (h_n, c_n)`.
 */
export class LSTM extends RNNBase {
  constructor(
    ...args: PyArgs<[input_size: number, hidden_size: number], [...RNNPos, proj_size: number, device: DeviceType | null, dtype: DType | null], LSTMKwargs>
  ) {
    super('LSTM', bindArgs('LSTM', args, [...BASE_SPEC, ['proj_size', 0], ...FACTORY]));
  }

  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const [out, h, c] = this._forward(input, hx ? hx[0] : null, hx ? hx[1] : null, true);
    return [out!, [h!, c!]];
  }
}

/** Gated recurrent unit. `forward(input, h0?)` returns `[output, h_n]`. */
export class GRU extends RNNBase {
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], [...RNNPos, device: DeviceType | null, dtype: DType | null], RNNKwargs>) {
    super('GRU', bindArgs('GRU', args, [...BASE_SPEC, ...FACTORY]));
  }

  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const [out, h] = this._forward(input, hx ?? null, null, false);
    return [out!, h!];
  }
}

/** Elman RNN with tanh or relu. `forward(input, h0?)` returns `[output, h_n]`. */
export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], [num_layers: number, nonlinearity: 'tanh' | 'relu', bias: boolean, batch_first: boolean, dropout: number, bidirectional: boolean, device: DeviceType | null, dtype: DType | null], SimpleRNNKwargs>) {
    const a = bindArgs('RNN', args, [['input_size'], ['hidden_size'], ['num_layers', 1], ['nonlinearity', 'tanh'], ['bias', true], ['batch_first', false], ['dropout', 0.0], ['bidirectional', false], ...FACTORY]);
    if (a.nonlinearity !== 'tanh' && a.nonlinearity !== 'relu') throw new RangeError(`Unknown nonlinearity '${a.nonlinearity}'. Select from 'tanh' or 'relu'.`);
    super(a.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', a);
    this.nonlinearity = a.nonlinearity;
  }

  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const [out, h] = this._forward(input, hx ?? null, null, false);
    return [out!, h!];
  }
}
