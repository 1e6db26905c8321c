import { Tensor, type Args, type DType, type OpDecl } from '@torchlet/core';
import { cast, normAxis, onnxOp, op } from './define.js';

const RANGE: Partial<Record<DType, [number, number]>> = { uint8: [0, 255], int8: [-128, 127], int32: [-2147483648, 2147483647] };

/** A per-tensor (0-d / 1-element) or per-axis (1-D) parameter shaped to broadcast against x at `axis`. */
function along(p: Tensor, x: Tensor, axis: number): Tensor {
  if (p.numel() === 1 && p.ndim <= 1) return op('aten::reshape', p, []);
  const shape = x.shape.map(() => 1);
  shape[normAxis(axis, x.ndim)] = p.numel();
  return op('aten::reshape', p, shape);
}

/** round half to even, + zero point, saturate to the integer type, cast */
function saturate(v: Tensor, zp: Tensor | null, dtype: DType): Tensor {
  let r = op('aten::round', v);
  if (zp) r = op('aten::add', r, cast(zp, r.dtype));
  const [lo, hi] = RANGE[dtype] ?? [-Infinity, Infinity];
  return cast(op('aten::clamp', r, lo, hi), dtype);
}

function dequant(x: Tensor, scale: Tensor | null, zp: Tensor | null, axis = 1): Tensor {
  let v = cast(x, 'float32');
  if (zp) v = op('aten::sub', v, cast(along(zp, x, axis), 'float32'));
  return scale ? op('aten::mul', v, along(scale, x, axis)) : v;
}

/** integer matmul / conv on (x - zero point): float64 holds every int32 partial sum exactly */
function centered(x: Tensor, zp: Tensor | null, axis?: number): Tensor {
  const v = cast(x, 'float64');
  if (!zp) return v;
  return op('aten::sub', v, cast(axis === undefined ? zp : along(zp, x, axis), 'float64'));
}

function convAttrs(a: Args, x: Tensor, w: Tensor): { strides: number[]; pads: number[]; dil: number[]; pre: number[] | null } {
  const k = w.ndim - 2;
  const kernel = (a.kernel_shape as number[] | null) ?? w.shape.slice(2);
  const strides = (a.strides as number[] | null) ?? new Array(k).fill(1);
  const dil = (a.dilations as number[] | null) ?? new Array(k).fill(1);
  let begin: number[] = new Array(k).fill(0), end: number[] = new Array(k).fill(0);
  if (a.auto_pad === 'SAME_UPPER' || a.auto_pad === 'SAME_LOWER') {
    begin = [];
    end = [];
    for (let i = 0; i < k; i++) {
      const n = x.shape[2 + i]!;
      const total = Math.max((Math.ceil(n / strides[i]!) - 1) * strides[i]! + (kernel[i]! - 1) * dil[i]! + 1 - n, 0);
      const small = Math.floor(total / 2);
      begin.push(a.auto_pad === 'SAME_UPPER' ? small : total - small);
      end.push(a.auto_pad === 'SAME_UPPER' ? total - small : small);
    }
  } else if (a.pads && a.auto_pad !== 'VALID') {
    begin = (a.pads as number[]).slice(0, k);
    end = (a.pads as number[]).slice(k);
  }
  if (begin.every((b, i) => b === end[i])) return { strides, pads: begin, dil, pre: null };
  const pre: number[] = [];
  for (let i = k - 1; i >= 0; i--) pre.push(begin[i]!, end[i]!);
  return { strides, pads: new Array(k).fill(0), dil, pre };
}

function intConv(a: Args, x: Tensor, w: Tensor): Tensor {
  const c = convAttrs(a, x, w);
  const xx = c.pre ? op('aten::constant_pad_nd', x, c.pre, 0) : x;
  return op('aten::convolution', xx, w, null, c.strides, c.pads, c.dil, false, new Array(w.ndim - 2).fill(0), a.group);
}

const CONV = 'str auto_pad="NOTSET", int[]? dilations=None, int group=1, int[]? kernel_shape=None, int[]? pads=None, int[]? strides=None';

export const quantOps: OpDecl[] = [
  onnxOp('QuantizeLinear', 'Tensor x, Tensor y_scale, Tensor? y_zero_point=None, *, int axis=1, int saturate=1', 'Tensor', (a) => {
    const x = a.x as Tensor;
    const zp = a.y_zero_point as Tensor | null;
    return saturate(op('aten::div', x, along(a.y_scale, x, a.axis)), zp && along(zp, x, a.axis), zp?.dtype ?? 'uint8');
  }),
  onnxOp('DequantizeLinear', 'Tensor x, Tensor x_scale, Tensor? x_zero_point=None, *, int axis=1', 'Tensor', (a) =>
    dequant(a.x, a.x_scale, a.x_zero_point, a.axis),
  ),
  onnxOp('DynamicQuantizeLinear', 'Tensor x', '(Tensor, Tensor, Tensor)', (a) => {
    const x = a.x as Tensor;
    const lo = op('aten::clamp', op('aten::amin', op('aten::reshape', x, [-1]), [0]), null, 0);
    const hi = op('aten::clamp', op('aten::amax', op('aten::reshape', x, [-1]), [0]), 0);
    const scale = op('aten::reshape', op('aten::div', op('aten::sub', hi, lo), 255), []);
    const zp = saturate(op('aten::neg', op('aten::div', op('aten::reshape', lo, []), scale)), null, 'uint8');
    return [saturate(op('aten::div', x, scale), zp, 'uint8'), scale, zp];
  }),
  onnxOp('MatMulInteger', 'Tensor A, Tensor B, Tensor? a_zero_point=None, Tensor? b_zero_point=None', 'Tensor', (a) => {
    // a_zero_point is per row of A (its second-to-last dim), b_zero_point per column of B
    const A = a.A as Tensor, B = a.B as Tensor;
    const azp = a.a_zero_point as Tensor | null, bzp = a.b_zero_point as Tensor | null;
    const ac = azp && azp.numel() > 1 ? op('aten::sub', cast(A, 'float64'), cast(op('aten::unsqueeze', azp, -1), 'float64')) : centered(A, azp);
    const bc = centered(B, bzp);
    return cast(op('aten::matmul', ac, bc), 'int32');
  }),
  onnxOp('ConvInteger', `Tensor x, Tensor w, Tensor? x_zero_point=None, Tensor? w_zero_point=None, *, ${CONV}`, 'Tensor', (a) => {
    const w = a.w as Tensor;
    return cast(intConv(a, centered(a.x, a.x_zero_point), centered(w, a.w_zero_point, 0)), 'int32');
  }),
  onnxOp('QLinearMatMul', 'Tensor a, Tensor a_scale, Tensor a_zero_point, Tensor b, Tensor b_scale, Tensor b_zero_point, Tensor y_scale, Tensor y_zero_point', 'Tensor', (a) => {
    const acc = op('aten::matmul', centered(a.a, a.a_zero_point), centered(a.b, a.b_zero_point));
    const k = op('aten::div', op('aten::mul', cast(a.a_scale, 'float64'), cast(a.b_scale, 'float64')), cast(a.y_scale, 'float64'));
    return saturate(op('aten::mul', acc, k), a.y_zero_point, (a.y_zero_point as Tensor).dtype);
  }),
  onnxOp('QLinearConv', `Tensor x, Tensor x_scale, Tensor x_zero_point, Tensor w, Tensor w_scale, Tensor w_zero_point, Tensor y_scale, Tensor y_zero_point, Tensor? B=None, *, ${CONV}`, 'Tensor', (a) => {
    const w = a.w as Tensor;
    let acc = intConv(a, centered(a.x, a.x_zero_point), centered(w, a.w_zero_point, 0));
    const ones = new Array(w.ndim - 2).fill(1);
    if (a.B) acc = op('aten::add', acc, op('aten::reshape', cast(a.B, 'float64'), [-1, ...ones]));
    const ws = a.w_scale as Tensor;
    const wsB = ws.numel() > 1 ? op('aten::reshape', ws, [-1, ...ones]) : op('aten::reshape', ws, []);
    const k = op('aten::div', op('aten::mul', cast(a.x_scale, 'float64'), cast(wsB, 'float64')), cast(a.y_scale, 'float64'));
    return saturate(op('aten::mul', acc, k), a.y_zero_point, (a.y_zero_point as Tensor).dtype);
  }),
];
