import { Tensor, tensor, type OpDecl } from '@torchlet/core';
import { cast, ints, normAxis, onnxDType, onnxOp, op, scalar } from './define.js';

function tensorOfInts(xs: number[]): Tensor {
  return tensor(xs, { dtype: 'int64' });
}

/** ONNX Slice semantics for one axis: clamps like numpy, negative steps allowed. */
function sliceAxis(x: Tensor, axis: number, start: number, end: number, step: number): Tensor {
  const n = x.shape[axis]!;
  if (step === 0) throw new Error('Slice: step cannot be 0');
  if (step > 0) {
    const s = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
    const e = Math.min(Math.max(end < 0 ? end + n : end, 0), n);
    return op('aten::slice', x, axis, s, Math.max(e, s), step);
  }
  // negative step: flip, then slice forward
  const s = Math.min(Math.max(start < 0 ? start + n : start, -1), n - 1);
  const e = Math.min(Math.max(end < 0 ? end + n : end, -1), n - 1);
  const flipped = op('aten::flip', x, [axis]);
  // index i in x is n-1-i in flipped
  const fs = n - 1 - s, fe = n - 1 - e;
  return op('aten::slice', flipped, axis, fs, Math.max(fe, fs), -step);
}

export const shapeOps: OpDecl[] = [
  onnxOp('Reshape', 'Tensor data, Tensor shape, *, int allowzero=0', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const shape = ints(a.shape).map((d, i) => (d === 0 && !a.allowzero ? x.shape[i]! : d));
    return op('aten::reshape', x, shape);
  }),
  onnxOp('Flatten', 'Tensor input, *, int axis=1', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const outer = x.shape.slice(0, ax).reduce((p, d) => p * d, 1);
    const inner = x.shape.slice(ax).reduce((p, d) => p * d, 1);
    return op('aten::reshape', x, [outer, inner]);
  }),
  onnxOp('Transpose', 'Tensor data, *, int[]? perm=None', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const perm = (a.perm as number[] | null) ?? x.shape.map((_, i) => x.ndim - 1 - i);
    return op('aten::permute', x, perm);
  }),
  onnxOp('Squeeze', 'Tensor data, Tensor? axes=None', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const axes = a.axes ? ints(a.axes).map((d) => normAxis(d, x.ndim)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    return op('aten::reshape', x, x.shape.filter((_, i) => !axes.includes(i)));
  }),
  onnxOp('Unsqueeze', 'Tensor data, Tensor axes', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const rank = x.ndim + ints(a.axes).length;
    const axes = ints(a.axes).map((d) => normAxis(d, rank));
    const shape: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[k++]!);
    return op('aten::reshape', x, shape);
  }),
  onnxOp('Concat', 'Tensor[] inputs, *, int axis', 'Tensor', (a) => op('aten::cat', a.inputs, a.axis)),
  onnxOp('Split', 'Tensor input, Tensor? split=None, *, int axis=0, int? num_outputs=None, int _outputs=1', 'Tensor[]', (a) => {
    const x = a.input as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    let sizes = a.split ? ints(a.split) : [];
    if (!sizes.length) {
      const n = (a.num_outputs as number | null) ?? a._outputs;
      const chunk = Math.ceil(x.shape[ax]! / n);
      sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, x.shape[ax]! - i * chunk)));
    }
    return op('aten::split_with_sizes', x, sizes, ax);
  }),
  onnxOp('Slice', 'Tensor data, Tensor starts, Tensor ends, Tensor? axes=None, Tensor? steps=None', 'Tensor', (a) => {
    let x = op('aten::alias', a.data);
    const starts = ints(a.starts), ends = ints(a.ends);
    const axes = a.axes ? ints(a.axes) : starts.map((_, i) => i);
    const steps = a.steps ? ints(a.steps) : starts.map(() => 1);
    axes.forEach((ax, i) => {
      x = sliceAxis(x, normAxis(ax, x.ndim), starts[i]!, ends[i]!, steps[i]!);
    });
    return x;
  }),
  onnxOp('Expand', 'Tensor input, Tensor shape', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const target = ints(a.shape);
    const rank = Math.max(target.length, x.ndim);
    const out: number[] = [];
    for (let i = 0; i < rank; i++) {
      const xd = x.shape[i - (rank - x.ndim)] ?? 1;
      const td = target[i - (rank - target.length)] ?? 1;
      out.push(td === 1 ? xd : td);
    }
    return op('aten::contiguous', op('aten::expand', op('aten::reshape', x, [...new Array(rank - x.ndim).fill(1), ...x.shape]), out));
  }),
  onnxOp('Tile', 'Tensor input, Tensor repeats', 'Tensor', (a) => op('aten::repeat', a.input, ints(a.repeats))),
  onnxOp('Gather', 'Tensor data, Tensor indices, *, int axis=0', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const idx = a.indices as Tensor;
    const fixed = op('aten::where', op('aten::lt', idx, 0), op('aten::add', idx, x.shape[ax]!), idx);
    const flat = op('aten::index_select', x, ax, op('aten::reshape', cast(fixed, 'int64'), [-1]));
    return op('aten::reshape', flat, [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)]);
  }),
  onnxOp('GatherElements', 'Tensor data, Tensor indices, *, int axis=0', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const idx = a.indices as Tensor;
    const fixed = op('aten::where', op('aten::lt', idx, 0), op('aten::add', idx, x.shape[ax]!), idx);
    return op('aten::gather', x, ax, cast(fixed, 'int64'));
  }),
  onnxOp('ScatterElements', 'Tensor data, Tensor indices, Tensor updates, *, int axis=0, str reduction="none"', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const idx = a.indices as Tensor;
    const fixed = cast(op('aten::where', op('aten::lt', idx, 0), op('aten::add', idx, x.shape[ax]!), idx), 'int64');
    if (a.reduction === 'none') return op('aten::scatter', x, ax, fixed, a.updates);
    const reduce = ({ add: 'sum', mul: 'prod', max: 'amax', min: 'amin' } as Record<string, string>)[a.reduction];
    return op('aten::scatter_reduce', x, ax, fixed, a.updates, reduce, { include_self: true });
  }),
  onnxOp('Scatter', 'Tensor data, Tensor indices, Tensor updates, *, int axis=0', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const idx = a.indices as Tensor;
    const fixed = cast(op('aten::where', op('aten::lt', idx, 0), op('aten::add', idx, x.shape[ax]!), idx), 'int64');
    return op('aten::scatter', x, ax, fixed, a.updates);
  }),
  onnxOp('Shape', 'Tensor data, *, int? start=None, int? end=None', 'Tensor', (a) => {
    const s = (a.data as Tensor).shape;
    const r = s.length;
    const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    return tensorOfInts(s.slice(clampIdx(a.start ?? 0), clampIdx(a.end ?? r)));
  }),
  onnxOp('Size', 'Tensor data', 'Tensor', (a) => tensor((a.data as Tensor).numel(), { dtype: 'int64' })),
  onnxOp('ConstantOfShape', 'Tensor input, *, Tensor? value=None', 'Tensor', (a) => {
    const v = a.value as Tensor | null;
    const dtype = v?.dtype ?? 'float32';
    return op('aten::full', ints(a.input), v ? scalar(v) : 0, { dtype });
  }),
  onnxOp('Range', 'Tensor start, Tensor limit, Tensor delta', 'Tensor', (a) => {
    const s = scalar(a.start), l = scalar(a.limit), d = scalar(a.delta);
    const n = Math.max(Math.ceil((l - s) / d), 0);
    const r = op('aten::add', op('aten::mul', op('aten::arange', n, { dtype: 'float64' }), d), s);
    return cast(r, (a.start as Tensor).dtype);
  }),
  onnxOp('Pad', 'Tensor data, Tensor pads, Tensor? constant_value=None, Tensor? axes=None, *, str mode="constant"', 'Tensor', (a) => {
    const x = a.data as Tensor;
    const p = ints(a.pads);
    const axes = a.axes ? ints(a.axes).map((d) => normAxis(d, x.ndim)) : x.shape.map((_, i) => i);
    const k = axes.length;
    // ONNX: [x1_begin, x2_begin, ..., x1_end, x2_end]; aten: last dim first, (begin, end) pairs
    const full = new Array(2 * x.ndim).fill(0);
    axes.forEach((ax, i) => {
      full[ax] = p[i]!;
      full[ax + x.ndim] = p[i + k]!;
    });
    const atenPad: number[] = [];
    for (let d = x.ndim - 1; d >= 0; d--) atenPad.push(full[d]!, full[d + x.ndim]!);
    while (atenPad.length > 2 && atenPad[atenPad.length - 1] === 0 && atenPad[atenPad.length - 2] === 0) atenPad.length -= 2;
    const mode = a.mode === 'edge' ? 'replicate' : a.mode;
    if (mode === 'constant') return op('aten::constant_pad_nd', x, atenPad, a.constant_value ? scalar(a.constant_value) : 0);
    // reflect/replicate pad floats only in aten: integers go through float64 (exact)
    if (x.isFloatingPoint) return op('aten::pad', x, atenPad, mode);
    return cast(op('aten::pad', cast(x, 'float64'), atenPad, mode), x.dtype);
  }),
  onnxOp('DepthToSpace', 'Tensor input, *, int blocksize, str mode="DCR"', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const b = a.blocksize as number;
    if (a.mode === 'CRD') return op('aten::pixel_shuffle', x, b);
    const t = op('aten::reshape', x, [n, b, b, c / (b * b), h, w]);
    return op('aten::reshape', op('aten::permute', t, [0, 3, 4, 1, 5, 2]), [n, c / (b * b), h * b, w * b]);
  }),
  onnxOp('SpaceToDepth', 'Tensor input, *, int blocksize', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const b = a.blocksize as number;
    const t = op('aten::reshape', x, [n, c, h / b, b, w / b, b]);
    return op('aten::reshape', op('aten::permute', t, [0, 3, 5, 1, 2, 4]), [n, c * b * b, h / b, w / b]);
  }),
  onnxOp('Trilu', 'Tensor input, Tensor? k=None, *, int upper=1', 'Tensor', (a) =>
    op(a.upper ? 'aten::triu' : 'aten::tril', a.input, a.k ? scalar(a.k) : 0),
  ),
  onnxOp('NonZero', 'Tensor X', 'Tensor', (a) => op('aten::t', op('aten::nonzero', a.X))),
  onnxOp('OneHot', 'Tensor indices, Tensor depth, Tensor values, *, int axis=-1', 'Tensor', (a) => {
    const depth = scalar(a.depth);
    const idx = cast(a.indices, 'int64');
    const fixed = op('aten::where', op('aten::lt', idx, 0), op('aten::add', idx, depth), idx);
    const oh = op('aten::one_hot', fixed, depth);
    const rank = idx.ndim + 1;
    const ax = normAxis(a.axis, rank);
    const moved = op('aten::movedim', oh, rank - 1, ax);
    const vals = a.values as Tensor;
    return op('aten::where', op('aten::eq', moved, 1), op('aten::select', vals, 0, 1), op('aten::select', vals, 0, 0));
  }),
  onnxOp('EyeLike', 'Tensor input, *, int? dtype=None, int k=0', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const dtype = a.dtype === null ? x.dtype : onnxDType(a.dtype, 'EyeLike');
    const [r, c] = x.shape as [number, number];
    const ones = op('aten::ones', [r, c], { dtype: 'float32' });
    const band = op('aten::sub', op('aten::triu', ones, a.k), op('aten::triu', ones, a.k + 1));
    return cast(band, dtype);
  }),
  onnxOp('CumSum', 'Tensor x, Tensor axis, *, int exclusive=0, int reverse=0', 'Tensor', (a) => {
    let x = a.x as Tensor;
    const ax = normAxis(scalar(a.axis), x.ndim);
    if (a.reverse) x = op('aten::flip', x, [ax]);
    let r = op('aten::cumsum', x, ax);
    if (a.exclusive) r = op('aten::sub', r, x);
    if (a.reverse) r = op('aten::flip', r, [ax]);
    return cast(r, (a.x as Tensor).dtype);
  }),
  onnxOp('TopK', 'Tensor X, Tensor K, *, int axis=-1, int largest=1, int sorted=1', '(Tensor, Tensor)', (a) =>
    op('aten::topk', a.X, scalar(a.K), a.axis, a.largest === 1, true),
  ),
  onnxOp('Compress', 'Tensor input, Tensor condition, *, int? axis=None', 'Tensor', (a) => {
    let x = a.input as Tensor;
    let ax = a.axis as number | null;
    if (ax === null) {
      x = op('aten::reshape', x, [-1]);
      ax = 0;
    }
    ax = normAxis(ax, x.ndim);
    const cond = a.condition as Tensor;
    const idx = op('aten::reshape', op('aten::nonzero', cond), [-1]);
    const valid = op('aten::masked_select', idx, op('aten::lt', idx, x.shape[ax]!));
    return op('aten::index_select', x, ax, valid);
  }),
];
