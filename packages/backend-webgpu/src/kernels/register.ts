/**
 * Attaches the WebGPU kernels to the op registry. Every kernel gets its outputs already allocated
 * from the op's `infer` (shapes and dtypes are never computed here) and records GPU work only.
 */
import { callOp, getRegistry, type Args, type BackendKernel, type Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { catInto, contiguousCopy, copyInPlace, copyInto } from './copy.js';
import { NARY, UNARY, runElementwise, type ElementwiseOp, type Operand } from './elementwise.js';
import { runAddmm, runLinear, runMatmul } from './matmul.js';
import { runArgReduce, runLayerNorm, runLogsumexp, runMoments, runReduce, runScan, runSoftmax, type ReduceKind } from './reduce.js';
import { runSdpa } from './attention.js';
import { runConstantPad, runFlip, runGather, runPadMode, runPixelShuffle, runRepeat, runRoll, runTake, runTri } from './shape.js';
import { Tensor as TensorClass } from '@torchlet/core';
import { runAdaptiveAvgPool, runAvgPool, runConv, runMaxPool, type PoolParams } from './conv.js';
import type { View } from '../program.js';

/** Normalized, distinct reduction dims; null / [] mean every dim. */
function reduceDims(dim: number | number[] | null | undefined, rank: number): number[] {
  const list = dim === null || dim === undefined ? [] : Array.isArray(dim) ? dim : [dim];
  if (list.length === 0) return [...Array(rank).keys()];
  if (rank === 0) return [];
  return [...new Set(list.map((d) => (d < 0 ? d + rank : d)))];
}

function pair(v: number[] | number, fallback?: number[]): [number, number] {
  const a = typeof v === 'number' ? [v] : v.length === 0 && fallback ? fallback : v;
  return a.length === 1 ? [a[0]!, a[0]!] : [a[0]!, a[1]!];
}

/** The names every registered kernel key (for coverage listings and tests). */
export const registeredKeys: string[] = [];

export function registerKernels(be: WebGPUBackend): void {
  const reg = getRegistry();
  const add = (key: string, k: BackendKernel): void => {
    reg.registerKernel(key, 'webgpu', k);
    if (!registeredKeys.includes(key)) registeredKeys.push(key);
  };
  const ew = (op: ElementwiseOp, operands: Operand[], out: Tensor, named?: Record<string, number>): void => runElementwise(be, op, operands, out, undefined, named);
  be.contiguousImpl = (t) => contiguousCopy(be, t);

  // ---------------------------------------------------------------- unary
  for (const [key, u] of Object.entries(UNARY)) {
    if (!key.startsWith('aten::')) continue;
    const op: ElementwiseOp = { name: key.slice(6), expr: ([x], T) => u.expr(x!, T), bool: u.bool };
    add(key, (a, [out]) => {
      const named: Record<string, number> = {};
      for (const s of u.scalars ?? []) named[s] = Number(a[s]);
      ew(op, [a.self], out!, named);
    });
  }
  const geluNone: ElementwiseOp = { name: 'gelu', expr: ([x], T) => UNARY.gelu_none!.expr(x!, T) };
  const geluTanh: ElementwiseOp = { name: 'gelu_tanh', expr: ([x], T) => UNARY.gelu_tanh!.expr(x!, T) };
  add('aten::gelu', (a, [out]) => ew(a.approximate === 'tanh' ? geluTanh : geluNone, [a.self], out!));

  // ---------------------------------------------------------------- binary / ternary
  const nary = (name: keyof typeof NARY): ElementwiseOp => ({ name, ...NARY[name]! });
  const addOp = nary('add'), subOp = nary('sub'), rsubOp = nary('rsub');
  add('aten::add.Tensor', (a, [o]) => ew(addOp, [a.self, a.other], o!, { alpha: Number(a.alpha) }));
  add('aten::add.Scalar', (a, [o]) => ew(addOp, [a.self, a.other], o!, { alpha: Number(a.alpha) }));
  add('aten::sub.Tensor', (a, [o]) => ew(subOp, [a.self, a.other], o!, { alpha: Number(a.alpha) }));
  add('aten::sub.Scalar', (a, [o]) => ew(subOp, [a.self, a.other], o!, { alpha: Number(a.alpha) }));
  add('aten::rsub.Tensor', (a, [o]) => ew(rsubOp, [a.self, a.other], o!, { alpha: Number(a.alpha) }));
  add('aten::rsub.Scalar', (a, [o]) => ew(rsubOp, [a.self, a.other], o!, { alpha: Number(a.alpha) }));
  for (const name of ['mul', 'div'] as const) {
    const op = nary(name);
    add(`aten::${name}.Tensor`, (a, [o]) => ew(op, [a.self, a.other], o!));
    add(`aten::${name}.Scalar`, (a, [o]) => ew(op, [a.self, a.other], o!));
  }
  const divMode = (a: Args): ElementwiseOp => nary(a.rounding_mode === 'trunc' ? 'div_trunc' : a.rounding_mode === 'floor' ? 'div_floor' : 'div');
  add('aten::div.Tensor_mode', (a, [o]) => ew(divMode(a), [a.self, a.other], o!));
  add('aten::div.Scalar_mode', (a, [o]) => ew(divMode(a), [a.self, a.other], o!));
  const pow = nary('pow');
  add('aten::pow.Tensor_Tensor', (a, [o]) => ew(pow, [a.self, a.exponent], o!));
  add('aten::pow.Tensor_Scalar', (a, [o]) => ew(pow, [a.self, a.exponent], o!));
  add('aten::pow.Scalar', (a, [o]) => ew(pow, [a.self, a.exponent], o!));
  for (const name of ['maximum', 'minimum', 'logical_and', 'logical_or', 'logical_xor'] as const) {
    const op = nary(name);
    add(`aten::${name}`, (a, [o]) => ew(op, [a.self, a.other], o!));
  }
  for (const name of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
    const op = nary(name);
    add(`aten::${name}.Tensor`, (a, [o]) => ew(op, [a.self, a.other], o!));
    add(`aten::${name}.Scalar`, (a, [o]) => ew(op, [a.self, a.other], o!));
  }
  const where = nary('where');
  for (const k of ['aten::where.self', 'aten::where.ScalarOther', 'aten::where.ScalarSelf', 'aten::where.Scalar']) {
    add(k, (a, [o]) => ew(where, [a.condition, a.self, a.other], o!));
  }
  add('aten::masked_fill.Scalar', (a, [o]) => ew(where, [a.mask, a.value, a.self], o!));
  add('aten::masked_fill.Tensor', (a, [o]) => ew(where, [a.mask, a.value, a.self], o!));
  const clamp = nary('clamp'), clampMin = nary('clamp_min'), clampMax = nary('clamp_max');
  const runClamp = (a: Args, o: Tensor, lo: Operand | null, hi: Operand | null): void => {
    if (lo !== null && hi !== null) ew(clamp, [a.self, lo, hi], o);
    else if (lo !== null) ew(clampMin, [a.self, lo], o);
    else if (hi !== null) ew(clampMax, [a.self, hi], o);
    else copyInto(be, o, a.self);
  };
  add('aten::clamp', (a, [o]) => runClamp(a, o!, a.min, a.max));
  add('aten::clamp.Tensor', (a, [o]) => runClamp(a, o!, a.min, a.max));
  add('aten::clamp_min', (a, [o]) => runClamp(a, o!, a.min, null));
  add('aten::clamp_min.Tensor', (a, [o]) => runClamp(a, o!, a.min, null));
  add('aten::clamp_max', (a, [o]) => runClamp(a, o!, null, a.max));
  add('aten::clamp_max.Tensor', (a, [o]) => runClamp(a, o!, null, a.max));

  for (const name of ['addcmul', 'addcdiv'] as const) {
    const op = nary(name);
    add(`aten::${name}`, (a, [o]) => ew(op, [a.self, a.tensor1, a.tensor2], o!, { value: Number(a.value) }));
  }
  const lerp = nary('lerp');
  add('aten::lerp.Scalar', (a, [o]) => ew(lerp, [a.self, a.end, a.weight], o!));
  add('aten::lerp.Tensor', (a, [o]) => ew(lerp, [a.self, a.end, a.weight], o!));
  const fmod = nary('fmod'), rem = nary('remainder');
  add('aten::fmod.Tensor', (a, [o]) => ew(fmod, [a.self, a.other], o!));
  add('aten::fmod.Scalar', (a, [o]) => ew(fmod, [a.self, a.other], o!));
  add('aten::remainder.Tensor', (a, [o]) => ew(rem, [a.self, a.other], o!));
  add('aten::remainder.Scalar', (a, [o]) => ew(rem, [a.self, a.other], o!));
  add('aten::remainder.Scalar_Tensor', (a, [o]) => ew(rem, [a.self, a.other], o!));
  const bnot = nary('bitwise_not'), bnotBool = nary('bitwise_not_bool');
  add('aten::bitwise_not', (a, [o]) => ew(o!.dtype === 'bool' ? bnotBool : bnot, [a.self], o!));
  const prelu = nary('prelu');
  add('aten::prelu', (a, [o]) => {
    const x = a.self as Tensor, w = a.weight as Tensor;
    if (w.device === 'cpu') return ew(prelu, [x, w], o!); // a 0-d CPU weight is a scalar
    // one weight for all, or one per channel (dim 1)
    const view: View = w.numel() === 1 || x.ndim < 2
      ? { shape: [...x.shape], strides: new Array<number>(x.ndim).fill(0), offset: w.offset }
      : channelView(w, x);
    ew(prelu, [x, { tensor: w, view }], o!);
  });
  const glu = nary('glu');
  add('aten::glu', (a, [o]) => {
    const x = a.self as Tensor;
    const d = (a.dim as number) < 0 ? (a.dim as number) + x.ndim : (a.dim as number);
    const half = o!.shape[d]!;
    const first: View = { shape: [...o!.shape], strides: [...x.strides], offset: x.offset };
    const second: View = { ...first, offset: x.offset + half * x.strides[d]! };
    ew(glu, [{ tensor: x, view: first }, { tensor: x, view: second }], o!);
  });

  // ---------------------------------------------------------------- copies
  add('aten::clone', (a, [o]) => copyInto(be, o!, a.self));
  add('aten::_to_copy', (a, [o]) => copyInto(be, o!, a.self));
  add('aten::copy_', (a) => copyInPlace(be, a.self, a.src));
  add('aten::cat', (a, [o]) => catInto(be, a.tensors, a.dim, o!));

  // ---------------------------------------------------------------- factories
  // (zeros(size, device='webgpu') and the *_like / new_* forms of webgpu tensors)
  const fill = (value: (a: Args) => number | boolean) => (a: Args, [o]: Tensor[]) => copyInto(be, o!, value(a));
  for (const k of ['aten::zeros', 'aten::zeros_like', 'aten::new_zeros']) add(k, fill(() => 0));
  for (const k of ['aten::ones', 'aten::ones_like', 'aten::new_ones']) add(k, fill(() => 1));
  for (const k of ['aten::full', 'aten::full_like', 'aten::new_full']) add(k, fill((a) => a.fill_value));
  for (const k of ['aten::empty.memory_format', 'aten::empty_like', 'aten::new_empty']) add(k, () => {});
  // random values come from the CPU generator (PyTorch's stream for the seed), then upload
  for (const k of ['aten::rand_like', 'aten::randn_like']) {
    add(k, (a, [o]) => {
      const like = callOp('aten::empty', [o!.shape], { dtype: o!.dtype }) as Tensor;
      const host = callOp(k, [like]) as Tensor;
      try {
        copyInPlace(be, o!, host);
      } finally {
        like.dispose();
        host.dispose();
      }
    });
  }

  // ---------------------------------------------------------------- reductions
  const red = (kind: ReduceKind) => (a: Args, [o]: Tensor[]) => runReduce(be, kind, a.self, reduceDims(a.dim, (a.self as Tensor).ndim), o!);
  add('aten::sum', red('sum'));
  add('aten::sum.dim_IntList', red('sum'));
  add('aten::mean', red('mean'));
  add('aten::mean.dim', red('mean'));
  add('aten::amax', red('amax'));
  add('aten::amin', red('amin'));
  add('aten::max', red('amax'));
  add('aten::min', red('amin'));
  add('aten::prod', red('prod'));
  add('aten::prod.dim_int', red('prod'));

  add('aten::any', red('any' as ReduceKind));
  add('aten::any.dim', red('any' as ReduceKind));
  add('aten::all', red('all' as ReduceKind));
  add('aten::all.dim', red('all' as ReduceKind));
  add('aten::logsumexp', (a, [o]) => runLogsumexp(be, a.self, reduceDims(a.dim, (a.self as Tensor).ndim), o!));
  // var / std: correction from `correction` or `unbiased`
  const moments = (sqrt: boolean, withMean: boolean) => (a: Args, outs: Tensor[]) => {
    const x = a.self as Tensor;
    const correction = 'correction' in a ? ((a.correction as number | null) ?? 1) : a.unbiased === false ? 0 : 1;
    runMoments(be, x, reduceDims(a.dim, x.ndim), correction, sqrt, outs[0]!, withMean ? outs[1]! : null);
  };
  for (const [name, sqrt, withMean] of [['var', false, false], ['std', true, false], ['var_mean', false, true], ['std_mean', true, true]] as const) {
    for (const suffix of ['', '.dim', '.correction']) add(`aten::${name}${suffix}`, moments(sqrt, withMean));
  }
  const argDims = (a: Args): number[] => {
    const x = a.self as Tensor;
    return a.dim === null || a.dim === undefined ? [...Array(x.ndim).keys()] : reduceDims(a.dim, x.ndim);
  };
  add('aten::argmax', (a, [i]) => runArgReduce(be, a.self, argDims(a), true, null, i!));
  add('aten::argmin', (a, [i]) => runArgReduce(be, a.self, argDims(a), false, null, i!));
  add('aten::max.dim', (a, [v, i]) => runArgReduce(be, a.self, argDims(a), true, v!, i!));
  add('aten::min.dim', (a, [v, i]) => runArgReduce(be, a.self, argDims(a), false, v!, i!));
  add('aten::cumsum', (a, [o]) => runScan(be, a.self, a.dim, false, o!));
  add('aten::cumprod', (a, [o]) => runScan(be, a.self, a.dim, true, o!));

  // ---------------------------------------------------------------- shape and indexing
  add('aten::flip', (a, [o]) => runFlip(be, a.self, a.dims, o!));
  add('aten::repeat', (a, [o]) => runRepeat(be, a.self, a.repeats, o!));
  add('aten::pixel_shuffle', (a, [o]) => runPixelShuffle(be, a.self, a.upscale_factor, o!));
  add('aten::constant_pad_nd', (a, [o]) => runConstantPad(be, a.self, a.pad, Number(a.value), o!));
  add('aten::roll', (a, [o]) => runRoll(be, a.self, a.shifts, a.dims, o!));
  add('aten::tril', (a, [o]) => runTri(be, a.self, a.diagonal, false, o!));
  add('aten::triu', (a, [o]) => runTri(be, a.self, a.diagonal, true, o!));
  const as1d = (t: Tensor): Tensor => (t.ndim === 0 ? new TensorClass(t.storage.retain(), [1], [0], t.offset) : t);
  const withView = (t: Tensor, f: (v: Tensor) => void): void => {
    const v = as1d(t);
    try {
      f(v);
    } finally {
      if (v !== t) v.dispose();
    }
  };
  add('aten::index_select', (a, [o]) => withView(a.self, (x) => runTake(be, x, a.dim, a.index, o!)));
  add('aten::embedding', (a, [o]) => runTake(be, a.weight, 0, a.indices, o!));
  add('torchlet::embedding', (a, [o]) => {
    if (a.max_norm !== null) throw new Error('embedding with max_norm renormalizes weight rows in place: no webgpu kernel; move the tensors to the CPU with await t.to(\'cpu\')');
    // F.embedding(input, weight): the integer tensor is the indices
    const intIdx = (t: Tensor): boolean => t.dtype === 'int64' || t.dtype === 'int32';
    const [w, idx] = intIdx(a.input) && !intIdx(a.weight) ? [a.weight, a.input] : [a.input, a.weight];
    runTake(be, w, 0, idx, o!);
  });
  for (const [mode, keys] of [['reflect', ['aten::reflection_pad1d', 'aten::reflection_pad2d', 'aten::reflection_pad3d']], ['replicate', ['aten::replication_pad1d', 'aten::replication_pad2d', 'aten::replication_pad3d']]] as const) {
    for (const k of keys) add(k, (a, [o]) => runPadMode(be, a.self, a.padding, mode, o!));
  }
  add('aten::_pad_circular', (a, [o]) => runPadMode(be, a.self, a.pad, 'circular', o!));
  add('aten::gather', (a, [o]) => withView(a.self, (x) => runGather(be, x, a.dim, a.index, o!)));

  // ---------------------------------------------------------------- softmax / norms
  add('aten::softmax.int', (a, [o]) => runSoftmax(be, a.self, a.dim, o!, false));
  add('aten::_softmax', (a, [o]) => runSoftmax(be, a.self, a.dim, o!, false));
  add('aten::log_softmax.int', (a, [o]) => runSoftmax(be, a.self, a.dim, o!, true));
  add('aten::_log_softmax', (a, [o]) => runSoftmax(be, a.self, a.dim, o!, true));
  add('aten::native_layer_norm', (a, [y, mean, rstd]) => runLayerNorm(be, a.input, (a.normalized_shape as number[]).length, a.weight, a.bias, a.eps, y!, mean!, rstd!));
  const batchNorm: ElementwiseOp = { name: 'batch_norm', expr: ([x, m, v, w, b]) => `((${x} - ${m}) / sqrt(${v} + uniforms.eps) * ${w} + ${b})`, compute: 'f32' };
  add('aten::native_batch_norm', (a, outs) => {
    const x = a.input as Tensor;
    if (a.training || !a.running_mean || !a.running_var) return decomposeInto(be, 'aten::native_batch_norm', a, outs);
    // per-channel (dim 1) affine map: one elementwise pass over x and four channel vectors
    const ch = (t: Tensor | null, dflt: number): Operand => (t ? { tensor: t, view: channelView(t, x) } : dflt);
    ew(batchNorm, [x, ch(a.running_mean, 0), ch(a.running_var, 1), ch(a.weight, 1), ch(a.bias, 0)], outs[0]!, { eps: a.eps });
  });

  // ---------------------------------------------------------------- matmul family
  add('aten::mm', (a, [o]) => runMatmul(be, a.self, a.mat2, o!));
  add('aten::bmm', (a, [o]) => runMatmul(be, a.self, a.mat2, o!));
  add('aten::matmul', (a, [o]) => runMatmul(be, a.self, a.other, o!));
  add('aten::mv', (a, [o]) => runMatmul(be, a.self, a.vec, o!));
  add('aten::addmm', (a, [o]) => runAddmm(be, a.self, a.mat1, a.mat2, o!, Number(a.alpha), Number(a.beta)));
  add('aten::baddbmm', (a, [o]) => runAddmm(be, a.self, a.batch1, a.batch2, o!, Number(a.alpha), Number(a.beta)));
  add('aten::linear', (a, [o]) => runLinear(be, a.input, a.weight, a.bias, o!));

  // ---------------------------------------------------------------- convolution / pooling
  add('aten::convolution', (a, [o]) => {
    const w = a.weight as Tensor;
    if (w.ndim !== 3 && w.ndim !== 4) throw new Error(`webgpu convolution supports 1-d and 2-d convolutions; got a ${w.ndim - 2}-d weight`);
    if ((a.padding as number[]).length > 1 && w.ndim === 3) throw new Error('padding rank mismatch');
    runConv(be, a.input, w, a.bias, { stride: a.stride, padding: a.padding, dilation: a.dilation, transposed: a.transposed, groups: a.groups }, o!);
  });
  // fused conv / linear with their epilogue (clamp(y + residual)) when the product already has the
  // output's shape and dtype; otherwise (residual broadcasting the product up) their decomposition
  add('torchlet::conv2d_fused', (a, outs) => {
    const x = a.input as Tensor, w = a.weight as Tensor, o = outs[0]!;
    const two = (v: number[]): [number, number] => (v.length === 1 ? [v[0]!, v[0]!] : [v[0]!, v[1]!]);
    const [sh, sw] = two(a.stride), [ph, pw] = two(a.padding), [dh, dw] = two(a.dilation);
    const oh = Math.floor((x.shape[2]! + 2 * ph - dh * (w.shape[2]! - 1) - 1) / sh) + 1;
    const ow = Math.floor((x.shape[3]! + 2 * pw - dw * (w.shape[3]! - 1) - 1) / sw) + 1;
    const same = x.ndim === 4 && w.ndim === 4 && o.dtype === 'float32' && x.dtype === 'float32' && (!a.residual || a.residual.dtype === 'float32') &&
      o.ndim === 4 && o.shape[0] === x.shape[0] && o.shape[1] === w.shape[0] && o.shape[2] === oh && o.shape[3] === ow;
    if (!same) return decomposeInto(be, 'torchlet::conv2d_fused', a, outs);
    runConv(be, x, w, a.bias, { stride: a.stride, padding: a.padding, dilation: a.dilation, transposed: false, groups: a.groups }, o, { residual: a.residual, lo: a.clamp_min, hi: a.clamp_max });
  });
  add('torchlet::linear_fused', (a, outs) => {
    const x = a.input as Tensor, w = a.weight as Tensor, o = outs[0]!;
    const shape = w.ndim === 1 ? x.shape.slice(0, -1) : [...x.shape.slice(0, -1), w.shape[0]!];
    const same = o.dtype === 'float32' && x.dtype === 'float32' && (!a.residual || a.residual.dtype === 'float32') && o.ndim === shape.length && o.shape.every((d, i) => d === shape[i]) && w.ndim === 2;
    if (!same) return decomposeInto(be, 'torchlet::linear_fused', a, outs);
    runLinear(be, x, w, a.bias, o, { residual: a.residual, lo: a.clamp_min, hi: a.clamp_max });
  });
  const poolParams = (a: Args): PoolParams => {
    const kernel = pair(a.kernel_size);
    return { kernel, stride: pair(a.stride, kernel), padding: pair(a.padding), dilation: a.dilation ? pair(a.dilation) : [1, 1] };
  };
  add('aten::scaled_dot_product_attention', (a, [o]) => runSdpa(be, a.query, a.key, a.value, a.attn_mask, a.is_causal, a.scale ?? null, a.dropout_p, o!));
  // 1-d pooling as 2-d pooling over [.., 1, L] views
  const unsq = (t: Tensor): Tensor => new TensorClass(t.storage.retain(), [...t.shape.slice(0, -1), 1, t.shape[t.ndim - 1]!], [...t.strides.slice(0, -1), 0, t.strides[t.ndim - 1]!], t.offset);
  const pool1d = (a: Args, outs: Tensor[], f: (x: Tensor, o: Tensor[]) => void): void => {
    const x = unsq(a.self), o = outs.map(unsq);
    try {
      f(x, o);
    } finally {
      x.dispose();
      for (const t of o) t.dispose();
    }
  };
  const p1 = (a: Args, max: boolean): PoolParams => {
    const k = (a.kernel_size as number[])[0]!;
    const st = (a.stride as number[] | null)?.length ? (a.stride as number[])[0]! : k;
    return { kernel: [1, k], stride: [1, st], padding: [0, (a.padding as number[])[0] ?? 0], dilation: [1, max ? ((a.dilation as number[])?.[0] ?? 1) : 1] };
  };
  add('aten::max_pool1d', (a, outs) => pool1d(a, outs, (x, [o]) => runMaxPool(be, x, p1(a, true), o!, null)));
  add('aten::avg_pool1d', (a, outs) => pool1d(a, outs, (x, [o]) => runAvgPool(be, x, p1(a, false), a.count_include_pad, null, o!)));
  add('aten::adaptive_avg_pool1d', (a, outs) => pool1d(a, outs, (x, [o]) => runAdaptiveAvgPool(be, x, o!)));
  add('aten::max_pool2d', (a, [o]) => runMaxPool(be, a.self, poolParams(a), o!, null));
  add('aten::max_pool2d_with_indices', (a, [o, i]) => runMaxPool(be, a.self, poolParams(a), o!, i!));
  add('aten::avg_pool2d', (a, [o]) => runAvgPool(be, a.self, poolParams(a), a.count_include_pad, a.divisor_override ?? null, o!));
  add('aten::adaptive_avg_pool2d', (a, [o]) => runAdaptiveAvgPool(be, a.self, o!));
  add('aten::_adaptive_avg_pool2d', (a, [o]) => runAdaptiveAvgPool(be, a.self, o!));
}

function channelView(t: Tensor, x: Tensor): View {
  const strides = new Array<number>(x.ndim).fill(0);
  if (x.ndim > 1) strides[1] = t.strides[0]!;
  return { shape: [...x.shape], strides, offset: t.offset };
}

/** Runs the op's decomposition (on this device) and copies its results into the allocated outputs. */
function decomposeInto(be: WebGPUBackend, key: string, a: Args, outs: Tensor[]): void {
  const ov = getRegistry().overload(key);
  if (!ov?.decl.decompose) throw new Error(`no webgpu kernel for this case of ${key}`);
  const r = ov.decl.decompose(a);
  const list = (Array.isArray(r) ? r : [r]) as Tensor[];
  try {
    outs.forEach((o, i) => {
      if (o.numel() > 0) copyInto(be, o, list[i]!);
    });
  } finally {
    for (const t of list) t.dispose();
  }
}
