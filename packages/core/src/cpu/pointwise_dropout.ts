/**
 * Dropout for torch.dropout / feature_dropout / alpha_dropout / feature_alpha_dropout (ATen's
 * _dropout_impl). With train=false (what inference runs) the input comes back as an alias.
 * With train=true the keep-mask is drawn from torchlet's default generator (random.ts): element
 * (or channel, for the feature variants) k is kept when `defaultGenerator.nextFloat() < 1 - p`,
 * so results are reproducible after manualSeed but are not PyTorch's random stream.
 */
import { copyInto } from '../dispatch.js';
import { isFloating } from '../dtype.js';
import { defaultGenerator } from '../random.js';
import { Tensor } from '../tensor.js';
import { aliasOf, caster } from './pointwise_kernels.js';

const SELU_ALPHA_TIMES_SCALE = 1.7580993408473766;

export interface DropoutKind {
  feature: boolean;
  alpha: boolean;
}

export function checkDropoutP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
}

export function dropout(input: Tensor, p: number, train: boolean, kind: DropoutKind, inplace: boolean): Tensor {
  checkDropoutP(p);
  if (p === 0 || !train || input.numel() === 0) return inplace ? input : aliasOf(input);
  if (kind.feature && input.ndim < 2) throw new Error('Feature dropout requires at least 2 dimensions in the input');
  if (!isFloating(input.dtype)) throw new Error(`dropout: training mode needs a floating point input, got ${input.dtype}`);
  const shape = input.shape;
  const n = input.numel();
  // one noise value per element, or per (sample, channel) for the feature variants
  let inner = 1;
  if (kind.feature) for (let d = 2; d < shape.length; d++) inner *= shape[d]!;
  const noiseN = kind.feature ? n / inner : n;
  const cast = caster(input.dtype);
  const noise = new Float64Array(noiseN);
  const bias = new Float64Array(kind.alpha ? noiseN : 0);
  if (p === 1) {
    noise.fill(0);
  } else {
    const keep = 1 - p;
    for (let i = 0; i < noiseN; i++) noise[i] = defaultGenerator.nextFloat() < keep ? 1 : 0;
    if (kind.alpha) {
      const a = 1 / Math.sqrt((SELU_ALPHA_TIMES_SCALE * SELU_ALPHA_TIMES_SCALE * p + 1) * (1 - p));
      for (let i = 0; i < noiseN; i++) {
        bias[i] = cast(cast((noise[i]! - 1) * cast(SELU_ALPHA_TIMES_SCALE * a)) + cast(SELU_ALPHA_TIMES_SCALE * a * p));
        noise[i] = cast(noise[i]! * a);
      }
    } else {
      const scale = 1 / (1 - p);
      for (let i = 0; i < noiseN; i++) noise[i] = cast(noise[i]! * scale);
    }
  }
  const out = Tensor.empty(shape, input.dtype);
  const x = input.contiguousArray();
  const o = out.hostArray;
  for (let i = 0; i < n; i++) {
    const k = kind.feature ? Math.floor(i / inner) : i;
    o[i] = kind.alpha && p !== 1 ? cast(x[i]! * noise[k]!) + bias[k]! : x[i]! * noise[k]!;
  }
  if (!inplace) return out;
  copyInto(input, out);
  out.dispose();
  return input;
}
