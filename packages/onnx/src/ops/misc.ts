import { Tensor, type Args, type OpDecl } from '@torchlet/core';
import { cast, normAxis, onnxDType, onnxOp, op } from './define.js';

const prod = (xs: number[]) => xs.reduce((p, d) => p * d, 1);

/**
 * Linear positions of ND indices (last dim of `indices`, k entries) into dims [from, from + k) of
 * `shape`; negative indices count from the end.
 */
function linearIndex(indices: Tensor, shape: number[], from: number): Tensor {
  const k = indices.shape[indices.ndim - 1]!;
  const idx = cast(indices, 'int64');
  let lin: Tensor | null = null;
  let stride = 1;
  for (let j = k - 1; j >= 0; j--) {
    const d = shape[from + j]!;
    let col = op('aten::select', idx, -1, j);
    col = op('aten::where', op('aten::lt', col, 0), op('aten::add', col, d), col);
    const term = op('aten::mul', col, stride);
    lin = lin ? op('aten::add', lin, term) : term;
    stride *= d;
  }
  return lin ?? op('aten::zeros', indices.shape.slice(0, -1), { dtype: 'int64' });
}

export const miscOps: OpDecl[] = [
  onnxOp('GatherND', 'Tensor data, Tensor indices, *, int batch_dims=0', 'Tensor', (a) => {
    const x = a.data as Tensor, idx = a.indices as Tensor;
    const b = a.batch_dims as number;
    const k = idx.shape[idx.ndim - 1]!;
    const batch = prod(x.shape.slice(0, b));
    const P = prod(x.shape.slice(b, b + k));
    const rest = x.shape.slice(b + k);
    // [batch, M] linear indices into [batch * P, rest...]
    let lin = op('aten::reshape', linearIndex(idx, x.shape, b), [batch, -1]);
    lin = op('aten::add', lin, op('aten::mul', op('aten::reshape', op('aten::arange', batch, { dtype: 'int64' }), [batch, 1]), P));
    const flat = op('aten::reshape', x, [batch * P, ...rest]);
    const picked = op('aten::index_select', flat, 0, op('aten::reshape', lin, [-1]));
    return op('aten::reshape', picked, [...idx.shape.slice(0, -1), ...rest]);
  }),
  onnxOp('ScatterND', 'Tensor data, Tensor indices, Tensor updates, *, str reduction="none"', 'Tensor', (a) => {
    const x = a.data as Tensor, idx = a.indices as Tensor;
    const k = idx.shape[idx.ndim - 1]!;
    const rest = x.shape.slice(k);
    const flat = op('aten::reshape', x, [prod(x.shape.slice(0, k)), ...rest]);
    const lin = op('aten::reshape', linearIndex(idx, x.shape, 0), [-1]);
    const upd = op('aten::reshape', a.updates, [lin.numel(), ...rest]);
    let out: Tensor;
    if (a.reduction === 'none') out = op('aten::index_put', flat, [lin], upd);
    else if (a.reduction === 'add') out = op('aten::index_put', flat, [lin], upd, true);
    else {
      const reduce = ({ mul: 'prod', max: 'amax', min: 'amin' } as Record<string, string>)[a.reduction];
      if (!reduce) throw new Error(`reduction '${a.reduction}' is not one of none, add, mul, max, min`);
      const index = op('aten::expand', op('aten::reshape', lin, [lin.numel(), ...rest.map(() => 1)]), upd.shape);
      out = op('aten::scatter_reduce', flat, 0, index, upd, reduce, { include_self: true });
    }
    return op('aten::reshape', out, x.shape);
  }),
  onnxOp('Unique', 'Tensor X, *, int? axis=None, int sorted=1', '(Tensor, Tensor, Tensor, Tensor)', (a) => {
    const x0 = a.X as Tensor;
    const ax = a.axis === null ? 0 : normAxis(a.axis, x0.ndim);
    const x = a.axis === null ? op('aten::reshape', x0, [-1]) : x0;
    const [y, inverse, counts] = a.axis === null ? op<Tensor[]>('aten::_unique2', x, true, true, true) : op<Tensor[]>('aten::unique_dim', x, ax, true, true, true);
    const n = x.shape[ax]!, u = y!.shape[ax]!;
    // first occurrence of each unique value: the smallest position mapping to it
    const first = op('aten::scatter_reduce', op('aten::full', [u], n, { dtype: 'int64' }), 0, inverse, op('aten::arange', n, { dtype: 'int64' }), 'amin', { include_self: true });
    if (a.sorted) return [y, first, inverse, counts];
    // in order of first occurrence
    const perm = op('aten::argsort', first);
    const rank = op('aten::argsort', perm);
    return [op('aten::index_select', y, ax, perm), op('aten::index_select', first, 0, perm), op('aten::index_select', rank, 0, inverse), op('aten::index_select', counts, 0, perm)];
  }),
  onnxOp('ReverseSequence', 'Tensor input, Tensor sequence_lens, *, int batch_axis=1, int time_axis=0', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const ta = normAxis(a.time_axis, x.ndim), ba = normAxis(a.batch_axis, x.ndim);
    const T = x.shape[ta]!;
    const tShape = x.shape.map(() => 1), bShape = x.shape.map(() => 1);
    tShape[ta] = T;
    bShape[ba] = x.shape[ba]!;
    const t = op('aten::reshape', op('aten::arange', T, { dtype: 'int64' }), tShape);
    const len = op('aten::reshape', cast(a.sequence_lens, 'int64'), bShape);
    const idx = op('aten::where', op('aten::lt', t, len), op('aten::sub', op('aten::sub', len, 1), t), t);
    return op('aten::gather', x, ta, op('aten::contiguous', op('aten::expand', idx, x.shape)));
  }),
  onnxOp('MaxUnpool', 'Tensor X, Tensor I, Tensor? output_shape=None, *, int[] kernel_shape, int[]? pads=None, int[]? strides=None', 'Tensor', (a) => {
    const x = a.X as Tensor;
    const k = (a.kernel_shape as number[]).length;
    const strides = (a.strides as number[] | null) ?? new Array(k).fill(1);
    const pads = (a.pads as number[] | null) ?? new Array(2 * k).fill(0);
    // indices address the default output shape; a larger output_shape pads at the end (as the reference does)
    const shape = [...x.shape.slice(0, 2), ...x.shape.slice(2).map((d, i) => (d - 1) * strides[i]! + a.kernel_shape[i] - pads[i]! - pads[k + i]!)];
    const out = op('aten::zeros', [prod(shape)], { dtype: x.dtype });
    const y = op('aten::reshape', op('aten::index_put', out, [op('aten::reshape', cast(a.I, 'int64'), [-1])], op('aten::reshape', x, [-1])), shape);
    if (!a.output_shape) return y;
    const want = Array.from((a.output_shape as Tensor).contiguousArray(), Number);
    if (want.length !== shape.length || want.some((d, i) => d < shape[i]!)) throw new Error(`output_shape [${want}] is smaller than the unpooled shape [${shape}]`);
    const pad: number[] = [];
    for (let i = shape.length - 1; i >= 0; i--) pad.push(0, want[i]! - shape[i]!);
    return op('aten::constant_pad_nd', y, pad, 0);
  }),
  // random ops draw from torchlet's generator (PyTorch's CPU generator); the seed attribute is not honoured
  onnxOp('RandomNormal', '*, int dtype=1, float mean=0.0, float scale=1.0, float? seed=None, int[] shape', 'Tensor', (a) =>
    op('aten::add', op('aten::mul', op('aten::randn', a.shape, { dtype: onnxDType(a.dtype, 'RandomNormal') }), a.scale), a.mean),
  ),
  onnxOp('RandomUniform', '*, int dtype=1, float high=1.0, float low=0.0, float? seed=None, int[] shape', 'Tensor', (a) =>
    op('aten::add', op('aten::mul', op('aten::rand', a.shape, { dtype: onnxDType(a.dtype, 'RandomUniform') }), a.high - a.low), a.low),
  ),
  onnxOp('RandomNormalLike', 'Tensor input, *, int? dtype=None, float mean=0.0, float scale=1.0, float? seed=None', 'Tensor', (a: Args) => {
    const x = a.input as Tensor;
    const dtype = a.dtype === null ? x.dtype : onnxDType(a.dtype, 'RandomNormalLike');
    return op('aten::add', op('aten::mul', op('aten::randn', x.shape, { dtype }), a.scale), a.mean);
  }),
  onnxOp('RandomUniformLike', 'Tensor input, *, int? dtype=None, float high=1.0, float low=0.0, float? seed=None', 'Tensor', (a: Args) => {
    const x = a.input as Tensor;
    const dtype = a.dtype === null ? x.dtype : onnxDType(a.dtype, 'RandomUniformLike');
    return op('aten::add', op('aten::mul', op('aten::rand', x.shape, { dtype }), a.high - a.low), a.low);
  }),
  onnxOp('Bernoulli', 'Tensor input, *, int? dtype=None, float? seed=None', 'Tensor', (a: Args) => {
    const x = a.input as Tensor;
    const r = op('aten::bernoulli', x);
    return a.dtype === null ? r : cast(r, onnxDType(a.dtype, 'Bernoulli'));
  }),
];
