import { defineOp } from '../../registry.js';
import { nativeLayerNorm } from '../../cpu/nn_norm.js';
import { requireFloat, shapeStr } from '../../cpu/nn_util.js';
import type { Tensor } from '../../tensor.js';
import { nativeLayerNormDecompose } from './norm_decompose.js';

/** Checks normalized_shape against the input's trailing dims; returns the normalized axis. */
export function layerNormAxis(x: Tensor, normalized: readonly number[], weight: Tensor | null, bias: Tensor | null): number {
  if (normalized.length < 1) throw new RangeError(`Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = ${shapeStr(normalized)}`);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== normalized.length || t.shape.some((s, i) => s !== normalized[i]))) {
      throw new RangeError(`Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${shapeStr(t.shape)} and normalized_shape = ${shapeStr(normalized)}`);
    }
  }
  const axis = x.ndim - normalized.length;
  if (axis < 0 || normalized.some((s, i) => x.shape[axis + i] !== s)) {
    throw new RangeError(`Given normalized_shape=${shapeStr(normalized)}, expected input with shape [*, ${normalized.join(', ')}], but got input of size${shapeStr(x.shape)}`);
  }
  return axis;
}

/** Layer normalization over the trailing `normalized_shape` dims: (out, mean, rstd). */
export const native_layer_norm = defineOp({
  name: 'native_layer_norm',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::native_layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight, Tensor? bias, float eps) -> (Tensor, Tensor, Tensor)',
      infer: (a) => {
        const x = a.input as Tensor;
        requireFloat(x, 'LayerNormKernelImpl');
        const axis = layerNormAxis(x, a.normalized_shape, a.weight, a.bias);
        const statShape = x.shape.map((s, i) => (i < axis ? s : 1));
        return [
          { shape: [...x.shape], dtype: x.dtype },
          { shape: statShape, dtype: x.dtype },
          { shape: [...statShape], dtype: x.dtype },
        ];
      },
      decompose: (a) => {
        native_layer_norm.overloads[0]!.infer!(a);
        return nativeLayerNormDecompose(a);
      },
      cpu: (a, outs) => {
        let n = 1;
        for (const s of a.normalized_shape as number[]) n *= s;
        nativeLayerNorm(a.input, n, a.weight, a.bias, a.eps, outs);
      },
    },
  ],
});
