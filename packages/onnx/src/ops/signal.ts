import { Tensor, type Args, type DType, type OpDecl } from '@torchlet/core';
import { cast, normAxis, onnxDType, onnxOp, op, scalar } from './define.js';

/** w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N), N = size (periodic) or size - 1 */
function cosineWindow(a: Args, c: [number, number, number]): Tensor {
  const size = scalar(a.size);
  const N = a.periodic ? size : size - 1;
  const n = op('aten::arange', size, { dtype: 'float64' });
  const ang = op('aten::mul', n, (2 * Math.PI) / N);
  let w = op('aten::sub', op('aten::mul', op('aten::cos', ang), -c[1]), -c[0]);
  if (c[2]) w = op('aten::add', w, op('aten::mul', op('aten::cos', op('aten::mul', ang, 2)), c[2]));
  return cast(w, onnxDType(a.output_datatype, 'window'));
}

/**
 * DFT of x [..., n, ..., 2] (real/imaginary last) along `axis`, as matmuls against cos/sin
 * matrices in float64: X[k] = sum_n x[n] e^(-/+ 2 pi i k n / N), scaled 1/N for the inverse.
 */
function dft(re: Tensor, im: Tensor | null, axis: number, length: number, inverse: boolean, onesided: boolean, dtype: DType): Tensor {
  const n = re.shape[axis]!;
  const fit = (t: Tensor) => {
    if (n === length) return t;
    if (n > length) return op('aten::slice', t, axis, 0, length);
    const pad = new Array(2 * (t.ndim - 1 - axis)).fill(0).concat([0, length - n]);
    return op('aten::constant_pad_nd', t, pad, 0);
  };
  const mv = (t: Tensor) => op('aten::movedim', cast(fit(t), 'float64'), axis, -1);
  const xr = mv(re), xi = im ? mv(im) : null;
  const K = onesided ? Math.floor(length / 2) + 1 : length;
  // angle 2 pi (k n mod N) / N keeps the phase exact for large k n
  const kn = op('aten::remainder', op('aten::outer', op('aten::arange', length, { dtype: 'float64' }), op('aten::arange', K, { dtype: 'float64' })), length);
  const ang = op('aten::mul', kn, (2 * Math.PI) / length);
  const C = op('aten::cos', ang), S = op('aten::mul', op('aten::sin', ang), inverse ? 1 : -1);
  // (xr + i xi)(C + i S) = xr C - xi S + i (xr S + xi C)
  let yr = op('aten::matmul', xr, C), yi = op('aten::matmul', xr, S);
  if (xi) {
    yr = op('aten::sub', yr, op('aten::matmul', xi, S));
    yi = op('aten::add', yi, op('aten::matmul', xi, C));
  }
  if (inverse) {
    yr = op('aten::div', yr, length);
    yi = op('aten::div', yi, length);
  }
  const back = (t: Tensor) => op('aten::movedim', t, -1, axis);
  return cast(op('aten::stack', [back(yr), back(yi)], -1), dtype);
}

function parts(x: Tensor): [Tensor, Tensor | null] {
  const c = x.shape[x.ndim - 1];
  if (c !== 1 && c !== 2) throw new Error(`the last dim must be 1 (real) or 2 (complex), got shape [${x.shape}]`);
  return [op('aten::select', x, -1, 0), c === 2 ? op('aten::select', x, -1, 1) : null];
}

export const signalOps: OpDecl[] = [
  onnxOp('HannWindow', 'Tensor size, *, int output_datatype=1, int periodic=1', 'Tensor', (a) => cosineWindow(a, [0.5, 0.5, 0])),
  onnxOp('HammingWindow', 'Tensor size, *, int output_datatype=1, int periodic=1', 'Tensor', (a) => cosineWindow(a, [25 / 46, 1 - 25 / 46, 0])),
  onnxOp('BlackmanWindow', 'Tensor size, *, int output_datatype=1, int periodic=1', 'Tensor', (a) => cosineWindow(a, [0.42, 0.5, 0.08])),
  onnxOp('DFT', 'Tensor input, Tensor? dft_length=None, *, int axis=1, int inverse=0, int onesided=0', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const axis = normAxis(a.axis, x.ndim);
    if (axis === x.ndim - 1) throw new Error('axis cannot be the last dim (it holds the real and imaginary parts)');
    const [re, im] = parts(x);
    const length = a.dft_length ? scalar(a.dft_length) : x.shape[axis]!;
    if (a.onesided && im) throw new Error('onesided needs a real input');
    return dft(re, im, axis, length, a.inverse === 1, a.onesided === 1, x.dtype);
  }),
  onnxOp('STFT', 'Tensor signal, Tensor frame_step, Tensor? window=None, Tensor? frame_length=None, *, int onesided=1', 'Tensor', (a) => {
    const x = a.signal as Tensor;
    const step = scalar(a.frame_step);
    const win = a.window as Tensor | null;
    const len = a.frame_length ? scalar(a.frame_length) : win ? win.numel() : NaN;
    if (!(len > 0)) throw new Error('one of window and frame_length must be given');
    if (win && win.numel() !== len) throw new Error(`the window has ${win.numel()} samples, frame_length is ${len}`);
    const [re, im] = parts(x);
    // [batch, length] -> frames [batch, n_frames, len]
    const frame = (t: Tensor) => {
      const f = op('aten::unfold', t, 1, len, step);
      return win ? op('aten::mul', f, win) : f;
    };
    return dft(frame(re), im ? frame(im) : null, 2, len, false, a.onesided === 1 && !im, x.dtype);
  }),
  onnxOp('MelWeightMatrix', 'Tensor num_mel_bins, Tensor dft_length, Tensor sample_rate, Tensor lower_edge_hertz, Tensor upper_edge_hertz, *, int output_datatype=1', 'Tensor', (a) =>
    op('torchlet::onnx_mel_weight_matrix', scalar(a.num_mel_bins), scalar(a.dft_length), scalar(a.sample_rate), scalar(a.lower_edge_hertz), scalar(a.upper_edge_hertz), {
      dtype: onnxDType(a.output_datatype, 'MelWeightMatrix'),
    }),
  ),
];
