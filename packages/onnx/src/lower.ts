import { callOp, isFloating, tidy, Tensor, type DType } from '@torchlet/core';
import { BoolType, FloatType, IntType, ListOf, NoneType, TensorType, type Graph, type IRType, type Node, type Value } from '@torchlet/ir';

/**
 * Import-time lowering of the ops PyTorch exports most (Conv, Gemm, MatMul, Add, Relu,
 * BatchNormalization, MaxPool, GlobalAveragePool, Flatten, Reshape with a constant shape,
 * Transpose, Softmax, ...) straight to aten:: nodes, with static attributes and constant shape
 * inputs folded into int-list constants. Graph passes then see ATen ops, and no ONNX
 * decomposition runs per call. A node is lowered only when its ATen form is exactly equivalent
 * for what is statically known (dtype, rank, constant inputs); otherwise it stays an onnx:: op.
 *
 * A small static inference (dtype and shape with unknown dims as null) runs alongside, fed by
 * graph input types, initializers and constants.
 */
export interface StaticInfo {
  dtype?: DType;
  shape?: (number | null)[];
}

type Attr = (name: string) => unknown;

const FLOAT_UNARY: Record<string, string> = {
  Sigmoid: 'aten::sigmoid', Tanh: 'aten::tanh', Exp: 'aten::exp', Log: 'aten::log', Sqrt: 'aten::sqrt', Erf: 'aten::erf',
  Sin: 'aten::sin', Cos: 'aten::cos', Reciprocal: 'aten::reciprocal',
};
/** ops whose outputs have the dtype and shape of input 0 */
const SAME_AS_INPUT = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Erf', 'Sin', 'Cos', 'Reciprocal', 'Abs', 'Neg', 'Floor', 'Ceil', 'Round',
  'Sign', 'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Clip', 'Identity',
  'Dropout', 'Softmax', 'LogSoftmax', 'Hardmax', 'BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'LRN',
  'Gelu', 'PRelu', 'ThresholdedRelu', 'Shrink', 'CumSum', 'MeanVarianceNormalization', 'Trilu',
]);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'PRelu']);
const SAME_RANK = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool', 'Resize', 'Pad', 'Transpose', 'Slice', 'Tile', 'Expand']);

export class Lowering {
  readonly info = new Map<Value, StaticInfo>();

  constructor(
    private readonly g: Graph,
    private readonly opset: number,
  ) {}

  constTensor(v: Value | undefined): Tensor | undefined {
    const c = v?.constantValue();
    return c && c.value instanceof Tensor ? c.value : undefined;
  }
  private constInts(v: Value | undefined): number[] | undefined {
    const t = this.constTensor(v);
    return t && (t.dtype === 'int64' || t.dtype === 'int32') ? Array.from(t.contiguousArray(), Number) : undefined;
  }
  private constScalar(v: Value | undefined): number | undefined {
    const t = this.constTensor(v);
    return t && t.numel() === 1 ? Number(t.contiguousArray()[0]) : undefined;
  }

  infoOf(v: Value | undefined): StaticInfo {
    if (!v) return {};
    const known = this.info.get(v);
    if (known) return known;
    const t = this.constTensor(v);
    if (t) {
      const i = { dtype: t.dtype, shape: [...t.shape] };
      this.info.set(v, i);
      return i;
    }
    return {};
  }
  setInfo(v: Value, i: StaticInfo): void {
    if (i.dtype || i.shape) this.info.set(v, i);
  }
  private rank(v: Value | undefined): number | undefined {
    return this.infoOf(v).shape?.length;
  }
  private isFloat(v: Value | undefined): boolean {
    const d = this.infoOf(v).dtype;
    return d !== undefined && isFloating(d);
  }

  private c(value: unknown, type?: IRType): Value {
    return this.g.insertConstant(value, type);
  }
  private ints(xs: number[]): Value {
    return this.c(xs, ListOf(IntType));
  }
  private none(): Value {
    return this.c(null, NoneType);
  }
  private aten(key: string, inputs: Value[], info: StaticInfo): Value {
    const kind = key.split('.')[0]!;
    const n: Node = this.g.insert(kind, inputs, [TensorType], { overload: key });
    const out = n.output();
    this.setInfo(out, info);
    return out;
  }

  /** Returns the outputs of the ATen form of `op`, or undefined to keep the onnx:: op. */
  lower(op: string, ins: (Value | undefined)[], attr: Attr, nOut: number): Value[] | undefined {
    const [x, y] = ins;
    if (!x) return undefined;
    const xi = this.infoOf(x);
    const same: StaticInfo = { dtype: xi.dtype, shape: xi.shape && [...xi.shape] };
    const sameRank: StaticInfo = { dtype: xi.dtype, shape: xi.shape && xi.shape.map(() => null) };
    const float = this.isFloat(x);
    switch (op) {
      case 'Identity':
        return [x];
      case 'Dropout':
        // inference (no training_mode input, or a constant false one); the mask output is not lowered
        return nOut === 1 && (!ins[2] || this.constScalar(ins[2]) === 0) ? [x] : undefined;
      case 'Shape': {
        // fully known static dims (feeds are checked against declared dims): a constant
        const shape = xi.shape;
        if (!shape || shape.some((d) => d === null)) return undefined;
        const r = shape.length;
        const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
        const start = attr('start') as number | null, end = attr('end') as number | null;
        const dims = (shape as number[]).slice(clamp(start ?? 0), clamp(end ?? r));
        return [this.c(Tensor.fromArray(Float64Array.from(dims), [dims.length], 'int64'), TensorType)];
      }
      case 'Relu':
        return [this.aten('aten::relu', [x], same)];
      case 'Slice': {
        // constant starts/ends/axes/positive steps: aten::slice wraps and clamps exactly like ONNX
        // (before opset 10 these were attributes)
        const old = this.opset < 10;
        const starts = old ? (attr('starts') as number[] | null) ?? undefined : this.constInts(ins[1]);
        const ends = old ? (attr('ends') as number[] | null) ?? undefined : this.constInts(ins[2]);
        const axesAttr = old ? (attr('axes') as number[] | null) : null;
        const axes = old ? axesAttr ?? starts?.map((_, i) => i) : ins[3] ? this.constInts(ins[3]) : starts?.map((_, i) => i);
        const steps = ins[4] ? this.constInts(ins[4]) : starts?.map(() => 1);
        const r = this.rank(x);
        if (!starts || !ends || !axes || !steps || steps.some((st) => st <= 0) || (r === undefined && axes.some((a) => a < 0))) return undefined;
        let v = x;
        axes.forEach((a, i) => {
          const ax = a < 0 ? a + r! : a;
          const big = (n: number) => Math.max(Math.min(n, Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER);
          v = this.aten('aten::slice.Tensor', [v, this.c(ax, IntType), this.c(big(starts[i]!), IntType), this.c(big(ends[i]!), IntType), this.c(steps[i]!, IntType)], sameRank);
        });
        return [v];
      }
      case 'Unsqueeze': {
        const axes = this.opset < 13 ? ((attr('axes') as number[] | null) ?? undefined) : this.constInts(y);
        const r = this.rank(x);
        if (!axes || (r === undefined && axes.some((a) => a < 0))) return undefined;
        const outRank = (r ?? 0) + axes.length;
        const sorted = axes.map((a) => (a < 0 ? a + outRank : a)).sort((p, q) => p - q);
        let v = x;
        for (const a of sorted) v = this.aten('aten::unsqueeze', [v, this.c(a, IntType)], { dtype: xi.dtype });
        if (xi.shape) {
          const shape: (number | null)[] = [];
          let k = 0;
          for (let i = 0; i < outRank; i++) shape.push(sorted.includes(i) ? 1 : xi.shape[k++]!);
          this.setInfo(v, { dtype: xi.dtype, shape });
        }
        return [v];
      }
      case 'Squeeze': {
        const axes = this.opset < 13 ? ((attr('axes') as number[] | null) ?? undefined) : y ? this.constInts(y) : undefined;
        const r = this.rank(x);
        if (!axes || r === undefined) return undefined;
        const dims = axes.map((a) => (a < 0 ? a + r : a)).sort((p, q) => q - p);
        if (xi.shape && dims.some((d) => xi.shape![d] !== 1)) return undefined;
        let v = x;
        for (const d of dims) v = this.aten('aten::squeeze.dim', [v, this.c(d, IntType)], { dtype: xi.dtype });
        this.setInfo(v, { dtype: xi.dtype, shape: xi.shape?.filter((_, i) => !dims.includes(i)) });
        return [v];
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        if (!y || !xi.dtype || this.infoOf(y).dtype !== xi.dtype) return undefined;
        if (op === 'Div' && !float) return undefined;
        const key = { Add: 'aten::add.Tensor', Sub: 'aten::sub.Tensor', Mul: 'aten::mul.Tensor', Div: 'aten::div.Tensor' }[op];
        return [this.aten(key, [x, y], { dtype: xi.dtype, shape: broadcastInfo(xi.shape, this.infoOf(y).shape) })];
      }
      case 'MatMul':
        if (!y) return undefined;
        return [this.aten('aten::matmul', [x, y], { dtype: xi.dtype, shape: matmulInfo(xi.shape, this.infoOf(y).shape) })];
      case 'Gemm': {
        const C = ins[2];
        if (!y || attr('alpha') !== 1 || attr('beta') !== 1 || attr('transA') !== 0) return undefined;
        if (C && this.rank(C) === undefined) return undefined;
        const wInfo = this.infoOf(y).shape;
        const out: StaticInfo = { dtype: xi.dtype, shape: [xi.shape?.[0] ?? null, wInfo ? wInfo[attr('transB') ? 0 : 1] ?? null : null] };
        if (attr('transB') === 1) return [this.aten('aten::linear', [x, y, C ?? this.none()], out)];
        if (!C) return [this.aten('aten::mm', [x, y], out)];
        return [this.aten('aten::addmm', [C, x, y], out)];
      }
      case 'Conv': {
        const w = this.infoOf(y).shape;
        const autoPad = attr('auto_pad') as string;
        if (!y || !w || w.some((d) => d === null) || (autoPad !== 'NOTSET' && autoPad !== 'VALID')) return undefined;
        const k = w.length - 2;
        const kernel = (attr('kernel_shape') as number[] | null) ?? (w.slice(2) as number[]);
        if (kernel.length !== k || kernel.some((d, i) => d !== w[2 + i])) return undefined;
        const pads = autoPad === 'VALID' ? new Array(2 * k).fill(0) : ((attr('pads') as number[] | null) ?? new Array(2 * k).fill(0));
        if (!symmetric(pads, k)) return undefined;
        const strides = (attr('strides') as number[] | null) ?? new Array(k).fill(1);
        const dil = (attr('dilations') as number[] | null) ?? new Array(k).fill(1);
        return [this.aten('aten::convolution', [x, y, ins[2] ?? this.none(), this.ints(strides), this.ints(pads.slice(0, k)), this.ints(dil), this.c(false, BoolType), this.ints(new Array(k).fill(0)), this.c(attr('group'), IntType)], sameRank)];
      }
      case 'BatchNormalization':
        if (nOut !== 1 || attr('training_mode') || ins.length < 5 || ins.slice(1, 5).some((v) => !v)) return undefined;
        return [this.aten('aten::batch_norm', [x, ins[1]!, ins[2]!, ins[3]!, ins[4]!, this.c(false, BoolType), this.c(attr('momentum'), FloatType), this.c(attr('epsilon'), FloatType), this.c(false, BoolType)], same)];
      case 'MaxPool':
      case 'AveragePool': {
        if (nOut !== 1 || !float) return undefined;
        const kernel = attr('kernel_shape') as number[];
        const k = kernel.length;
        const autoPad = attr('auto_pad') as string;
        if (k < 1 || k > 3 || (autoPad !== 'NOTSET' && autoPad !== 'VALID')) return undefined;
        const pads = autoPad === 'VALID' ? new Array(2 * k).fill(0) : ((attr('pads') as number[] | null) ?? new Array(2 * k).fill(0));
        const dil = (attr('dilations') as number[] | null) ?? new Array(k).fill(1);
        if (!symmetric(pads, k) || pads.slice(0, k).some((p, i) => 2 * p > (kernel[i]! - 1) * dil[i]! + 1)) return undefined;
        const strides = (attr('strides') as number[] | null) ?? new Array(k).fill(1);
        const ceil = this.c(attr('ceil_mode') === 1, BoolType);
        if (op === 'MaxPool') {
          return [this.aten(`aten::max_pool${k}d`, [x, this.ints(kernel), this.ints(strides), this.ints(pads.slice(0, k)), this.ints(dil), ceil], sameRank)];
        }
        if (dil.some((d) => d !== 1)) return undefined;
        return [this.aten(`aten::avg_pool${k}d`, [x, this.ints(kernel), this.ints(strides), this.ints(pads.slice(0, k)), ceil, this.c(attr('count_include_pad') === 1, BoolType)], sameRank)];
      }
      case 'GlobalAveragePool': {
        const r = this.rank(x);
        if (r === undefined || r < 3 || !float) return undefined;
        const dims = Array.from({ length: r - 2 }, (_, i) => i + 2);
        return [this.aten('aten::mean.dim', [x, this.ints(dims), this.c(true, BoolType)], { dtype: xi.dtype, shape: xi.shape!.map((d, i) => (i < 2 ? d : 1)) })];
      }
      case 'Flatten': {
        const r = this.rank(x);
        const axis = attr('axis') as number;
        if (axis === 0 || (r !== undefined && axis === -r)) return [this.aten('aten::reshape', [x, this.ints([1, -1])], { dtype: xi.dtype, shape: [1, null] })];
        if (r === undefined || r < 2) return undefined;
        const ax = axis < 0 ? axis + r : axis;
        const out: StaticInfo = { dtype: xi.dtype, shape: [null, null] };
        if (ax <= 0 || ax >= r) return undefined;
        let v = this.aten('aten::flatten.using_ints', [x, this.c(ax, IntType), this.c(-1, IntType)], out);
        if (ax > 1) v = this.aten('aten::flatten.using_ints', [v, this.c(0, IntType), this.c(ax - 1, IntType)], out);
        return [v];
      }
      case 'Reshape': {
        const shape = this.constInts(y);
        if (!shape) return undefined;
        const fixed = [...shape];
        if (!attr('allowzero')) {
          for (let i = 0; i < fixed.length; i++) {
            if (fixed[i] !== 0) continue;
            const d = xi.shape?.[i];
            if (d === undefined || d === null) return undefined;
            fixed[i] = d;
          }
        } else if (fixed.includes(0) && fixed.includes(-1)) return undefined;
        return [this.aten('aten::reshape', [x, this.ints(fixed)], { dtype: xi.dtype, shape: fixed.map((d) => (d < 0 ? null : d)) })];
      }
      case 'Transpose': {
        let perm = attr('perm') as number[] | null;
        const r = this.rank(x);
        if (!perm) {
          if (r === undefined) return undefined;
          perm = Array.from({ length: r }, (_, i) => r - 1 - i);
        }
        return [this.aten('aten::permute', [x, this.ints(perm)], { dtype: xi.dtype, shape: xi.shape && perm.map((p) => xi.shape![p] ?? null) })];
      }
      case 'Softmax':
      case 'LogSoftmax': {
        const axis = attr('axis') as number;
        const r = this.rank(x);
        if (!float) return undefined;
        // before opset 13 the op flattens to 2-D at `axis`: the same as ATen only for the last axis
        if (this.opset < 13 && !(r !== undefined && (axis === -1 || axis === r - 1))) return undefined;
        return [this.aten(op === 'Softmax' ? 'aten::softmax.int' : 'aten::log_softmax.int', [x, this.c(axis, IntType), this.none()], same)];
      }
      case 'Concat': {
        if (ins.some((v) => !v)) return undefined;
        const infos = ins.map((v) => this.infoOf(v));
        if (!infos.every((i) => i.dtype && i.dtype === xi.dtype)) return undefined;
        const list = this.g.insert('prim::ListConstruct', ins as Value[], [ListOf(TensorType)]).output();
        return [this.aten('aten::cat', [list, this.c(attr('axis'), IntType)], sameRank)];
      }
      case 'Clip': {
        if (!float) return undefined;
        const lo = ins[1] ? this.constScalar(ins[1]) : null;
        const hi = ins[2] ? this.constScalar(ins[2]) : null;
        if (lo === undefined || hi === undefined) return undefined;
        if (lo === null && hi === null) return [x];
        return [this.aten('aten::clamp', [x, this.c(lo, lo === null ? NoneType : FloatType), this.c(hi, hi === null ? NoneType : FloatType)], same)];
      }
      case 'Gather': {
        const idx = this.constTensor(y);
        const r = this.rank(x);
        if (!idx || r === undefined || idx.numel() !== 1 || idx.ndim !== 0) return undefined;
        const axis = attr('axis') as number;
        const ax = axis < 0 ? axis + r : axis;
        return [this.aten('aten::select.int', [x, this.c(ax, IntType), this.c(Number(idx.contiguousArray()[0]), IntType)], { dtype: xi.dtype, shape: xi.shape!.filter((_, i) => i !== ax) })];
      }
      case 'LayerNormalization': {
        const scale = this.infoOf(ins[1]).shape;
        const r = this.rank(x);
        if (nOut !== 1 || !float || !scale || scale.some((d) => d === null) || (r === undefined && (attr('axis') as number) >= 0)) return undefined;
        const axis = attr('axis') as number;
        // a negative axis needs no rank: the last -axis dims are normalized
        if (axis < 0 ? scale.length !== -axis : scale.length !== r! - axis) return undefined;
        return [this.aten('aten::layer_norm', [x, this.ints(scale as number[]), ins[1]!, ins[2] ?? this.none(), this.c(attr('epsilon'), FloatType), this.c(false, BoolType)], same)];
      }
      case 'LSTM':
      case 'GRU':
        return this.lowerRecurrent(op, ins, attr, nOut);
      default:
        if (FLOAT_UNARY[op] && float) return [this.aten(FLOAT_UNARY[op]!, [x], same)];
        return undefined;
    }
  }

  /**
   * ONNX LSTM / GRU with constant weights, default activations, no clip, peepholes or sequence
   * lengths, layout 0, forward or bidirectional (GRU: linear_before_reset=1, PyTorch's formula)
   * -> aten::lstm.input / aten::gru.input with the weights reordered to PyTorch's gate order
   * once, at import (LSTM i,o,f,c -> i,f,g,o; GRU z,r,h -> r,z,n). The recurrence then runs as
   * one op (the backends' fused kernels) instead of per-gate ops per step.
   */
  private lowerRecurrent(op: 'LSTM' | 'GRU', ins: (Value | undefined)[], attr: Attr, nOut: number): Value[] | undefined {
    const lstm = op === 'LSTM';
    const [x, wv, rv, bv, lens, h0, c0, peep] = ins;
    const W = this.constTensor(wv), R = this.constTensor(rv), B = bv ? this.constTensor(bv) : null;
    const dtype = this.infoOf(x).dtype;
    if (!x || !W || !R || B === undefined || lens || peep || !dtype || !isFloating(dtype) || W.dtype !== dtype || R.dtype !== dtype) return undefined;
    if (attr('clip') !== null || attr('layout') !== 0 || attr('activation_alpha') !== null || attr('activation_beta') !== null) return undefined;
    if (lstm ? attr('input_forget') !== 0 : attr('linear_before_reset') !== 1) return undefined;
    const direction = attr('direction') as string;
    if (direction !== 'forward' && direction !== 'bidirectional') return undefined;
    const dirs = direction === 'bidirectional' ? 2 : 1;
    const defaults = lstm ? ['sigmoid', 'tanh', 'tanh'] : ['sigmoid', 'tanh'];
    const acts = attr('activations') as string[] | null;
    if (acts && (acts.length !== defaults.length * dirs || acts.some((a, i) => a.toLowerCase() !== defaults[i % defaults.length]))) return undefined;
    const gates = lstm ? 4 : 3;
    const H = R.shape[2]!;
    if (W.ndim !== 3 || W.shape[0] !== dirs || W.shape[1] !== gates * H || R.shape[0] !== dirs || R.shape[1] !== gates * H) return undefined;
    if (B && (B.ndim !== 2 || B.shape[0] !== dirs || B.shape[1] !== 2 * gates * H)) return undefined;
    // ONNX gate blocks in PyTorch's order: LSTM (i, o, f, c) -> (i, f, c, o); GRU (z, r, h) -> (r, z, h)
    const order = lstm ? [0, 2, 3, 1] : [1, 0, 2];
    const reorder = (t: Tensor): Tensor => {
      const parts = callOp('aten::chunk', [t, gates, 0]) as Tensor[];
      return callOp('aten::cat', [order.map((k) => parts[k]!), 0]) as Tensor;
    };
    // per direction: w_ih, w_hh(, b_ih, b_hh), as nn.LSTM / nn.GRU order their flat weights
    const weights = tidy(() => {
      const out: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const pick = (t: Tensor): Tensor => callOp('aten::select', [t, 0, d]) as Tensor;
        out.push(reorder(pick(W)), reorder(pick(R)));
        if (B) {
          const [wb, rb] = callOp('aten::chunk', [pick(B), 2, 0]) as Tensor[];
          out.push(reorder(wb!), reorder(rb!));
        }
      }
      return out;
    });
    const params = weights.map((t) => this.c(t, TensorType));
    // missing initial states are zeros of [dirs, batch, hidden], batch read from the input
    const zeros = (): Value => {
      const batch = this.g.insert('aten::size', [x, this.c(1, IntType)], [IntType], { overload: 'aten::size.int' }).output();
      const size = this.g.insert('prim::ListConstruct', [this.c(dirs, IntType), batch, this.c(H, IntType)], [ListOf(IntType)]).output();
      return this.aten('aten::zeros', [size, this.c(DTYPE_CODES[dtype], IntType)], { dtype, shape: [dirs, null, H] });
    };
    const h = h0 ?? zeros();
    const hx = lstm ? this.g.insert('prim::ListConstruct', [h, c0 ?? zeros()], [ListOf(TensorType)]).output() : h;
    const plist = this.g.insert('prim::ListConstruct', params, [ListOf(TensorType)]).output();
    const key = lstm ? 'aten::lstm.input' : 'aten::gru.input';
    const n = this.g.insert(key.split('.')[0]!, [x, hx, plist, this.c(B !== null, BoolType), this.c(1, IntType), this.c(0, FloatType), this.c(false, BoolType), this.c(dirs === 2, BoolType), this.c(false, BoolType)],
      lstm ? [TensorType, TensorType, TensorType] : [TensorType, TensorType], { overload: key });
    // output [seq, batch, dirs * hidden] -> ONNX's Y [seq, dirs, batch, hidden]
    const y = nOut > 0 ? this.aten('aten::transpose.int', [this.aten('aten::unflatten.int', [n.outputs[0]!, this.c(2, IntType), this.ints([dirs, H])], { dtype }), this.c(1, IntType), this.c(2, IntType)], { dtype, shape: [null, dirs, null, H] }) : n.outputs[0]!;
    for (const o of n.outputs.slice(1)) this.setInfo(o, { dtype, shape: [dirs, null, H] });
    return [y, ...n.outputs.slice(1)];
  }

  /** Static info of an op kept as onnx:: (output 0 only, from simple rules). */
  propagate(op: string, ins: (Value | undefined)[], outs: readonly Value[], attr: Attr): void {
    const out = outs[0];
    if (!out || this.info.has(out)) return;
    const xi = this.infoOf(ins[0]);
    if (SAME_AS_INPUT.has(op)) this.setInfo(out, { dtype: xi.dtype, shape: xi.shape && [...xi.shape] });
    else if (BINARY.has(op)) this.setInfo(out, { dtype: xi.dtype, shape: broadcastInfo(xi.shape, this.infoOf(ins[1]).shape) });
    else if (SAME_RANK.has(op)) this.setInfo(out, { dtype: xi.dtype, shape: xi.shape?.map(() => null) });
    else if (op === 'Shape') this.setInfo(out, { dtype: 'int64', shape: [null] });
    else if (op === 'Cast') {
      const to = attr('to') as number;
      const d = ({ 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64' } as Record<number, DType>)[to];
      this.setInfo(out, { dtype: d, shape: xi.shape && [...xi.shape] });
    } else if (op === 'Unsqueeze' || op === 'Squeeze' || op === 'Reshape' || op === 'Flatten' || op === 'Gather' || op === 'Concat' || op === 'Split') {
      this.setInfo(out, { dtype: xi.dtype });
    } else if (['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf'].includes(op)) {
      this.setInfo(out, { dtype: 'bool', shape: broadcastInfo(xi.shape, this.infoOf(ins[1]).shape) });
    } else if (op === 'LSTM' || op === 'GRU' || op === 'RNN') {
      for (const o of outs) this.setInfo(o, { dtype: xi.dtype });
    }
  }
}

/** c10 ScalarType codes of the float dtypes (aten::zeros' dtype argument) */
const DTYPE_CODES: Record<string, number> = { float16: 5, float32: 6, float64: 7 };

function symmetric(pads: number[], k: number): boolean {
  return pads.length === 2 * k && pads.slice(0, k).every((p, i) => p === pads[k + i] && p >= 0);
}

function broadcastInfo(a?: (number | null)[], b?: (number | null)[]): (number | null)[] | undefined {
  if (!a || !b) return undefined;
  const r = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[i - (r - a.length)] ?? 1, y = b[i - (r - b.length)] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : x !== null && x === y ? x : x ?? y ?? null);
  }
  return out;
}

function matmulInfo(a?: (number | null)[], b?: (number | null)[]): (number | null)[] | undefined {
  if (!a || !b || a.length < 2 || b.length < 2) return undefined;
  const batch = broadcastInfo(a.slice(0, -2), b.slice(0, -2)) ?? [];
  return [...batch, a[a.length - 2]!, b[b.length - 1]!];
}
