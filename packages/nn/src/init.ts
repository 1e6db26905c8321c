/**
 * torch.nn.init: in-place initialisers. The random ones draw through the registry ops
 * `aten::uniform_` / `aten::normal_`, which reproduce PyTorch 1.13's CPU generator (the same
 * draws, in float32 bit-exact for uniform_), so `torch.manualSeed(s)` followed by building a
 * module gives PyTorch's parameter values.
 */
import { Tensor, callOp, copyInto, type MT19937 } from '@torchlet/core';

type Gen = MT19937;

/** Writes row-major `values` into `t` (any strides, any device). */
function writeValues(t: Tensor, values: Float64Array): void {
  if (t.device === 'cpu' && t.is_contiguous()) {
    t.hostArray.set(values, t.offset);
    return;
  }
  const src = Tensor.fromArray(values, t.shape, 'float64');
  try {
    copyInto(t, src);
  } finally {
    src.dispose();
  }
}

function fill(t: Tensor, f: (i: number) => number): Tensor {
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = f(i);
  writeValues(t, v);
  return t;
}

/** Fills `t` with U(a, b), in place (Tensor.uniform_). */
export function uniform_(t: Tensor, a = 0, b = 1, generator?: Gen): Tensor {
  callOp('aten::uniform_', [t, a, b], generator ? { generator } : undefined);
  return t;
}

/** Fills `t` with N(mean, std^2), in place (Tensor.normal_). */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Gen): Tensor {
  callOp('aten::normal_', [t, mean, std], generator ? { generator } : undefined);
  return t;
}

/** Fills `t` with `val`, in place. */
export function constant_(t: Tensor, val: number): Tensor {
  return fill(t, () => val);
}
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Identity matrix into a 2-D tensor, in place. */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const cols = t.shape[1]!;
  return fill(t, (i) => (Math.floor(i / cols) === i % cols ? 1 : 0));
}

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculate_gain(nonlinearity: Nonlinearity, param?: number | null): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'leaky_relu': {
      const slope = param === undefined || param === null ? 0.01 : param;
      if (typeof slope !== 'number' || Number.isNaN(slope)) throw new TypeError(`negative_slope ${String(param)} not a valid number`);
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case 'selu':
      return 3.0 / 4;
    default:
      throw new RangeError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** [fan_in, fan_out] of a weight: dim 1 and dim 0 times the receptive field (dims 2..). */
export function _calculate_fan_in_and_fan_out(t: { shape: readonly number[] }): [number, number] {
  const shape = t.shape;
  if (shape.length < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return [shape[1]! * receptive, shape[0]! * receptive];
}

function correctFan(t: Tensor, mode: 'fan_in' | 'fan_out'): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new RangeError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(t);
  return mode === 'fan_in' ? fanIn : fanOut;
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
  generator?: Gen;
}

/** He et al. uniform init: U(-b, b) with b = gain * sqrt(3 / fan). */
export function kaiming_uniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu', generator } = options;
  if (t.shape.includes(0)) return t;
  const fan = correctFan(t, mode);
  const gain = calculate_gain(nonlinearity, a);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound, generator);
}

/** He et al. normal init: N(0, (gain / sqrt(fan))^2). */
export function kaiming_normal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu', generator } = options;
  if (t.shape.includes(0)) return t;
  const fan = correctFan(t, mode);
  const gain = calculate_gain(nonlinearity, a);
  return normal_(t, 0, gain / Math.sqrt(fan), generator);
}

/** Glorot uniform init: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavier_uniform_(t: Tensor, gain = 1.0, generator?: Gen): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(t);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a, generator);
}

/** Glorot normal init: N(0, gain^2 * 2 / (fan_in + fan_out)). */
export function xavier_normal_(t: Tensor, gain = 1.0, generator?: Gen): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(t);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(t, 0, std, generator);
}
