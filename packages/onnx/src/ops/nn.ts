import { Tensor, type OpDecl } from '@torchlet/core';
import { cast, ints, normAxis, onnxOp, op, scalar } from './define.js';

/** Begin/end pads per spatial dim from auto_pad or explicit pads ([b1, b2, ..., e1, e2, ...]). */
function spatialPads(x: Tensor, kernel: number[], strides: number[], dilations: number[], autoPad: string, pads: number[] | null): { begin: number[]; end: number[] } {
  const k = kernel.length;
  const inShape = x.shape.slice(2);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const begin: number[] = [], end: number[] = [];
    for (let i = 0; i < k; i++) {
      const out = Math.ceil(inShape[i]! / strides[i]!);
      const total = Math.max((out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - inShape[i]!, 0);
      const small = Math.floor(total / 2);
      begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      end.push(autoPad === 'SAME_UPPER' ? total - small : small);
    }
    return { begin, end };
  }
  if (autoPad === 'VALID' || !pads || pads.length === 0) return { begin: new Array(k).fill(0), end: new Array(k).fill(0) };
  return { begin: pads.slice(0, k), end: pads.slice(k, 2 * k) };
}

/** aten pads are symmetric; asymmetric ONNX pads pre-pad the input with `value`. */
function applyPads(x: Tensor, begin: number[], end: number[], value: number): { x: Tensor; pad: number[] } {
  const sym = begin.map((b, i) => Math.min(b, end[i]!));
  if (begin.every((b, i) => b === end[i])) return { x, pad: sym };
  const extra: number[] = [];
  for (let i = begin.length - 1; i >= 0; i--) extra.push(begin[i]! - sym[i]!, end[i]! - sym[i]!);
  return { x: op('aten::constant_pad_nd', x, extra, value), pad: sym };
}

function convAttrs(a: Record<string, unknown>, x: Tensor, w: Tensor) {
  const k = w.ndim - 2;
  const kernel = (a.kernel_shape as number[] | null) ?? w.shape.slice(2);
  const strides = (a.strides as number[] | null) ?? new Array(k).fill(1);
  const dilations = (a.dilations as number[] | null) ?? new Array(k).fill(1);
  return { k, kernel, strides, dilations, ...spatialPads(x, kernel, strides, dilations, a.auto_pad as string, a.pads as number[] | null) };
}

const CONV_ATTRS = 'str auto_pad="NOTSET", int[]? dilations=None, int group=1, int[]? kernel_shape=None, int[]? pads=None, int[]? strides=None';
const POOL_ATTRS = 'str auto_pad="NOTSET", int ceil_mode=0, int[]? dilations=None, int[] kernel_shape, int[]? pads=None, int[]? strides=None';

const reduceOp = (name: string, f: (x: Tensor, dims: number[], keep: boolean) => Tensor): OpDecl =>
  onnxOp(name, 'Tensor data, Tensor? axes=None, *, int keepdims=1, int noop_with_empty_axes=0', 'Tensor', (a) => {
    const x = a.data as Tensor;
    let dims = a.axes ? ints(a.axes).map((d) => normAxis(d, x.ndim)) : [];
    if (dims.length === 0) {
      if (a.noop_with_empty_axes) return op('aten::alias', x);
      dims = x.shape.map((_, i) => i);
    }
    return f(x, dims, a.keepdims === 1);
  });

function reduceMinMax(x: Tensor, dims: number[], keep: boolean, which: 'amax' | 'amin'): Tensor {
  if (x.numel() === 0) {
    const shape = x.shape.map((d, i) => (dims.includes(i) ? (keep ? 1 : -1) : d)).filter((d) => d >= 0);
    return op('aten::full', shape, which === 'amax' ? -Infinity : Infinity, { dtype: x.dtype });
  }
  return op(`aten::${which}`, x, dims, keep);
}

function softmaxLike(aten: string) {
  return (a: Record<string, unknown>, opset13: boolean) => {
    const x = a.input as Tensor;
    const ax = normAxis(a.axis as number, x.ndim);
    if (opset13) return op(aten, x, ax);
    // before opset 13: coerce to 2-D at axis
    const flat = op('aten::reshape', x, [x.shape.slice(0, ax).reduce((p, d) => p * d, 1), -1]);
    return op('aten::reshape', op(aten, flat, 1), x.shape);
  };
}

export const nnOps: OpDecl[] = [
  onnxOp('Conv', `Tensor X, Tensor W, Tensor? B=None, *, ${CONV_ATTRS}`, 'Tensor', (a) => {
    const x = a.X as Tensor, w = a.W as Tensor;
    const c = convAttrs(a, x, w);
    const p = applyPads(x, c.begin, c.end, 0);
    return op('aten::convolution', p.x, w, a.B, c.strides, p.pad, c.dilations, false, new Array(c.k).fill(0), a.group);
  }),
  onnxOp('ConvTranspose', `Tensor X, Tensor W, Tensor? B=None, *, ${CONV_ATTRS}, int[]? output_padding=None, int[]? output_shape=None`, 'Tensor', (a) => {
    const x = a.X as Tensor, w = a.W as Tensor;
    const k = w.ndim - 2;
    const kernel = (a.kernel_shape as number[] | null) ?? w.shape.slice(2);
    const strides = (a.strides as number[] | null) ?? new Array(k).fill(1);
    const dil = (a.dilations as number[] | null) ?? new Array(k).fill(1);
    let outPad = (a.output_padding as number[] | null) ?? new Array(k).fill(0);
    let begin: number[], end: number[];
    const outShape = a.output_shape as number[] | null;
    if (outShape || a.auto_pad === 'SAME_UPPER' || a.auto_pad === 'SAME_LOWER') {
      const target = outShape ? outShape.slice(-k) : x.shape.slice(2).map((d, i) => d * strides[i]!);
      begin = [];
      end = [];
      for (let i = 0; i < k; i++) {
        const total = strides[i]! * (x.shape[2 + i]! - 1) + outPad[i]! + ((kernel[i]! - 1) * dil[i]! + 1) - target[i]!;
        // a negative total (output_shape past the full result) appends zeros at the end
        const small = total < 0 ? 0 : Math.floor(total / 2);
        const upper = total < 0 || a.auto_pad !== 'SAME_LOWER';
        begin.push(upper ? small : total - small);
        end.push(upper ? total - small : small);
      }
    } else {
      const pads = (a.pads as number[] | null) ?? new Array(2 * k).fill(0);
      begin = pads.slice(0, k);
      end = pads.slice(k);
    }
    // common case: symmetric non-negative pads and output_padding aten accepts (< stride or dilation)
    const okOutPad = outPad.every((o, i) => o >= 0 && (o < strides[i]! || o < dil[i]!));
    if (okOutPad && begin.every((b, i) => b === end[i] && b >= 0)) {
      return op('aten::convolution', x, w, a.B, strides, begin, dil, true, outPad, a.group);
    }
    // otherwise: the full result, then crop `begin`/`end` (negative: append zeros), then the bias
    let y = op('aten::convolution', x, w, null, strides, new Array(k).fill(0), dil, true, new Array(k).fill(0), a.group);
    const padArg: number[] = [];
    for (let i = k - 1; i >= 0; i--) padArg.push(-begin[i]!, outPad[i]! - end[i]!);
    y = op('aten::constant_pad_nd', y, padArg, 0);
    if (a.B) y = op('aten::add', y, op('aten::reshape', a.B, [-1, ...new Array(k).fill(1)]));
    return y;
  }),
  onnxOp('MaxPool', `Tensor X, *, ${POOL_ATTRS}, int storage_order=0, int _outputs=1`, '(Tensor, Tensor)', (a) => {
    const x0 = a.X as Tensor;
    const kernel = a.kernel_shape as number[];
    const k = kernel.length;
    const strides = (a.strides as number[] | null) ?? new Array(k).fill(1);
    const dil = (a.dilations as number[] | null) ?? new Array(k).fill(1);
    const sp = spatialPads(x0, kernel, strides, dil, a.auto_pad as string, a.pads as number[] | null);
    // aten pools floats only, with symmetric pads of at most half the kernel: otherwise pad here
    const isFloat = x0.dtype === 'float32' || x0.dtype === 'float64' || x0.dtype === 'float16';
    const x = isFloat ? x0 : cast(x0, 'float64');
    const direct = sp.begin.every((b, i) => b === sp.end[i] && 2 * b <= (kernel[i]! - 1) * dil[i]! + 1);
    let px = x, pad = sp.begin, lead = new Array(k).fill(0);
    if (!direct) {
      const extra: number[] = [];
      for (let i = k - 1; i >= 0; i--) extra.push(sp.begin[i]!, sp.end[i]!);
      px = op('aten::constant_pad_nd', x, extra, -Infinity);
      pad = new Array(k).fill(0);
      lead = sp.begin;
    }
    const fn = k === 1 ? 'aten::max_pool1d_with_indices' : k === 2 ? 'aten::max_pool2d_with_indices' : 'aten::max_pool3d_with_indices';
    const [y, idx] = op<Tensor[]>(fn, px, kernel, strides, pad, dil, a.ceil_mode === 1);
    const out = isFloat ? y! : cast(y!, x0.dtype);
    if (a._outputs < 2) return [out, idx!];
    // aten: index within the (padded) spatial plane; ONNX: over the whole tensor, row- or column-major
    const sp0 = x0.shape.slice(2), spP = px.shape.slice(2);
    let rem = idx!;
    const coords: Tensor[] = new Array(k);
    for (let i = k - 1; i >= 0; i--) {
      coords[i] = op('aten::sub', op('aten::remainder', rem, spP[i]!), lead[i]!);
      rem = op('aten::div', rem, spP[i]!, { rounding_mode: 'floor' });
    }
    const plane = sp0.reduce((p, d) => p * d, 1);
    const [N, C] = x0.shape as [number, number];
    const nc = op('aten::reshape', op('aten::arange', N * C, { dtype: 'int64' }), [N, C, ...new Array(k).fill(1)]);
    let flat = op('aten::mul', nc, plane);
    if (a.storage_order === 1) {
      let stride = 1;
      for (let i = 0; i < k; i++) {
        flat = op('aten::add', flat, op('aten::mul', coords[i]!, stride));
        stride *= sp0[i]!;
      }
    } else {
      let stride = 1;
      for (let i = k - 1; i >= 0; i--) {
        flat = op('aten::add', flat, op('aten::mul', coords[i]!, stride));
        stride *= sp0[i]!;
      }
    }
    return [out, flat];
  }),
  onnxOp('AveragePool', `Tensor X, *, ${POOL_ATTRS}, int count_include_pad=0`, 'Tensor', (a) => {
    const x = a.X as Tensor;
    const kernel = a.kernel_shape as number[];
    const k = kernel.length;
    const strides = (a.strides as number[] | null) ?? new Array(k).fill(1);
    const sp = spatialPads(x, kernel, strides, new Array(k).fill(1), a.auto_pad as string, a.pads as number[] | null);
    const fn = k === 1 ? 'aten::avg_pool1d' : k === 2 ? 'aten::avg_pool2d' : 'aten::avg_pool3d';
    const direct = sp.begin.every((b, i) => b === sp.end[i] && 2 * b <= kernel[i]!);
    if (direct) return op(fn, x, kernel, strides, sp.begin, a.ceil_mode === 1, a.count_include_pad === 1);
    // other padding: sum over a zero-padded input, divided by the count of real (or padded) cells
    const extra: number[] = [];
    for (let i = k - 1; i >= 0; i--) extra.push(sp.begin[i]!, sp.end[i]!);
    const zero = new Array(k).fill(0);
    const area = kernel.reduce((q, d) => q * d, 1);
    const sums = op(fn, op('aten::constant_pad_nd', x, extra, 0), kernel, strides, zero, a.ceil_mode === 1, true, area);
    if (a.count_include_pad) return sums;
    const mask = op('aten::constant_pad_nd', op('aten::ones_like', x), extra, 0);
    const counts = op(fn, mask, kernel, strides, zero, a.ceil_mode === 1, true, area);
    return op('aten::div', sums, counts);
  }),
  onnxOp('GlobalAveragePool', 'Tensor X', 'Tensor', (a) => {
    const x = a.X as Tensor;
    return op('aten::mean', x, x.shape.slice(2).map((_, i) => i + 2), true);
  }),
  onnxOp('GlobalMaxPool', 'Tensor X', 'Tensor', (a) => {
    const x = a.X as Tensor;
    return op('aten::amax', x, x.shape.slice(2).map((_, i) => i + 2), true);
  }),
  onnxOp('BatchNormalization', 'Tensor X, Tensor scale, Tensor B, Tensor input_mean, Tensor input_var, *, float epsilon=1e-05, float momentum=0.9, int training_mode=0, int _outputs=1', '(Tensor, Tensor, Tensor)', (a) => {
    if (!a.training_mode) {
      const y = op('aten::batch_norm', a.X, a.scale, a.B, a.input_mean, a.input_var, false, a.momentum, a.epsilon, false);
      return a._outputs > 1 ? [y, op('aten::clone', a.input_mean), op('aten::clone', a.input_var)] : [y, y, y];
    }
    // training: normalize with the batch's statistics; running stats mix in the biased variance
    const x = a.X as Tensor;
    const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const mean = op('aten::mean', x, dims);
    const v = op('aten::var', x, dims, { correction: 0 });
    const y = op('aten::batch_norm', x, a.scale, a.B, mean, v, false, a.momentum, a.epsilon, false);
    const mix = (run: Tensor, cur: Tensor) => op('aten::add', op('aten::mul', run, a.momentum), op('aten::mul', cur, 1 - a.momentum));
    return [y, mix(a.input_mean, mean), mix(a.input_var, v)];
  }),
  onnxOp('InstanceNormalization', 'Tensor input, Tensor scale, Tensor B, *, float epsilon=1e-05', 'Tensor', (a) =>
    op('aten::instance_norm', a.input, a.scale, a.B, null, null, true, 0.1, a.epsilon, false),
  ),
  onnxOp('LayerNormalization', 'Tensor X, Tensor Scale, Tensor? B=None, *, int axis=-1, float epsilon=1e-05, int stash_type=1', '(Tensor, Tensor, Tensor)', (a) => {
    const x = a.X as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const [y, mean, rstd] = op<Tensor[]>('aten::native_layer_norm', x, x.shape.slice(ax), a.Scale, a.B, a.epsilon);
    return [y, mean, rstd];
  }),
  onnxOp('LRN', 'Tensor X, *, float alpha=0.0001, float beta=0.75, float bias=1.0, int size', 'Tensor', (a) => {
    // square_sum[c] = sum of x^2 over channels c - floor((size-1)/2) .. c + ceil((size-1)/2)
    const x = a.X as Tensor;
    const C = x.shape[1]!;
    const before = Math.floor((a.size - 1) / 2), after = Math.ceil((a.size - 1) / 2);
    const sq = op('aten::mul', x, x);
    const pad = new Array(2 * (x.ndim - 2)).fill(0).concat([before, after]);
    const padded = op('aten::constant_pad_nd', sq, pad, 0);
    let sum = op('aten::slice', padded, 1, 0, C);
    for (let k = 1; k < a.size; k++) sum = op('aten::add', sum, op('aten::slice', padded, 1, k, k + C));
    const den = op('aten::pow', op('aten::add', op('aten::mul', sum, a.alpha / a.size), a.bias), a.beta);
    return op('aten::div', x, den);
  }),
  onnxOp('MeanVarianceNormalization', 'Tensor X, *, int[] axes=[0, 2, 3]', 'Tensor', (a) => {
    const x = a.X as Tensor;
    const mean = op('aten::mean', x, a.axes, true);
    const d = op('aten::sub', x, mean);
    const v = op('aten::mean', op('aten::mul', d, d), a.axes, true);
    return op('aten::div', d, op('aten::add', op('aten::sqrt', v), 1e-9));
  }),
  onnxOp('Gemm', 'Tensor A, Tensor B, Tensor? C=None, *, float alpha=1.0, float beta=1.0, int transA=0, int transB=0', 'Tensor', (a) => {
    const A = a.transA ? op('aten::t', a.A) : a.A;
    const B = a.transB ? op('aten::t', a.B) : a.B;
    if (a.C) return op('aten::addmm', a.C, A, B, { beta: a.beta, alpha: a.alpha });
    const p = op('aten::mm', A, B);
    return a.alpha === 1 ? p : op('aten::mul', p, a.alpha);
  }),
  onnxOp('MatMul', 'Tensor A, Tensor B', 'Tensor', (a) => op('aten::matmul', a.A, a.B)),
  onnxOp('Einsum', 'Tensor[] Inputs, *, str equation', 'Tensor', (a) => op('aten::einsum', a.equation, a.Inputs)),
  onnxOp('Softmax', 'Tensor input, *, int axis=-1, int _opset=13', 'Tensor', (a) => softmaxLike('aten::softmax')(a, a._opset >= 13)),
  onnxOp('LogSoftmax', 'Tensor input, *, int axis=-1, int _opset=13', 'Tensor', (a) => softmaxLike('aten::log_softmax')(a, a._opset >= 13)),
  onnxOp('Hardmax', 'Tensor input, *, int axis=-1, int _opset=13', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const f = (t: Tensor, d: number) => cast(op('aten::one_hot', op('aten::argmax', t, d), t.shape[d]!), t.dtype);
    if (a._opset >= 13) return op('aten::movedim', f(x, ax), -1, ax);
    const flat = op('aten::reshape', x, [x.shape.slice(0, ax).reduce((p, d) => p * d, 1), -1]);
    return op('aten::reshape', f(flat, 1), x.shape);
  }),
  onnxOp('Dropout', 'Tensor data, Tensor? ratio=None, Tensor? training_mode=None, *, int? seed=None', '(Tensor, Tensor)', (a) => [
    op('aten::alias', a.data),
    op('aten::ones_like', a.data, { dtype: 'bool' }),
  ]),
  reduceOp('ReduceSum', (x, d, k) => op('aten::sum', x, d, k)),
  reduceOp('ReduceMean', (x, d, k) => op('aten::mean', x, d, k)),
  reduceOp('ReduceMax', (x, d, k) => reduceMinMax(x, d, k, 'amax')),
  reduceOp('ReduceMin', (x, d, k) => reduceMinMax(x, d, k, 'amin')),
  reduceOp('ReduceProd', (x, d, k) => {
    let r = x;
    for (const dim of [...d].sort((p, q) => q - p)) r = op('aten::prod', r, dim, k);
    return r;
  }),
  reduceOp('ReduceL1', (x, d, k) => op('aten::sum', op('aten::abs', x), d, k)),
  reduceOp('ReduceL2', (x, d, k) => cast(op('aten::sqrt', op('aten::sum', op('aten::mul', x, x), d, k)), x.dtype)),
  reduceOp('ReduceLogSum', (x, d, k) => op('aten::log', op('aten::sum', x, d, k))),
  reduceOp('ReduceLogSumExp', (x, d, k) => op('aten::logsumexp', x, d, k)),
  reduceOp('ReduceSumSquare', (x, d, k) => op('aten::sum', op('aten::mul', x, x), d, k)),
  onnxOp('ArgMax', 'Tensor data, *, int axis=0, int keepdims=1, int select_last_index=0', 'Tensor', (a) => argReduce(a, 'aten::argmax')),
  onnxOp('ArgMin', 'Tensor data, *, int axis=0, int keepdims=1, int select_last_index=0', 'Tensor', (a) => argReduce(a, 'aten::argmin')),
];

function argReduce(a: Record<string, unknown>, fn: string): Tensor {
  const x = a.data as Tensor;
  const ax = normAxis(a.axis as number, x.ndim);
  if (!a.select_last_index) return op(fn, x, ax, a.keepdims === 1);
  const flipped = op('aten::flip', x, [ax]);
  const r = op(fn, flipped, ax, a.keepdims === 1);
  return op('aten::sub', x.shape[ax]! - 1, r);
}

export { scalar };
