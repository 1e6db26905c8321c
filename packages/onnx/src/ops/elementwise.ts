import { isFloating, type Args, type OpDecl, Tensor } from '@torchlet/core';
import { cast, onnxDType, onnxOp, op } from './define.js';

const unaryAten: Record<string, string> = {
  Abs: 'aten::abs', Neg: 'aten::neg', Exp: 'aten::exp', Log: 'aten::log', Sqrt: 'aten::sqrt', Reciprocal: 'aten::reciprocal',
  Floor: 'aten::floor', Ceil: 'aten::ceil', Round: 'aten::round', Sign: 'aten::sign', Sin: 'aten::sin', Cos: 'aten::cos',
  Tan: 'aten::tan', Asin: 'aten::asin', Acos: 'aten::acos', Atan: 'aten::atan', Sinh: 'aten::sinh', Cosh: 'aten::cosh',
  Asinh: 'aten::asinh', Acosh: 'aten::acosh', Atanh: 'aten::atanh', Erf: 'aten::erf', Sigmoid: 'aten::sigmoid',
  Tanh: 'aten::tanh', Relu: 'aten::relu', Not: 'aten::logical_not', IsNaN: 'aten::isnan',
  HardSwish: 'aten::hardswish', BitwiseNot: 'aten::bitwise_not', Softsign: 'torchlet::softsign',
};

const binaryAten: Record<string, string> = {
  Add: 'aten::add', Sub: 'aten::sub', Mul: 'aten::mul', And: 'aten::logical_and', Or: 'aten::logical_or',
  Xor: 'aten::logical_xor', Equal: 'aten::eq', Greater: 'aten::gt', Less: 'aten::lt', GreaterOrEqual: 'aten::ge',
  LessOrEqual: 'aten::le', BitwiseAnd: 'aten::bitwise_and', BitwiseOr: 'aten::bitwise_or', BitwiseXor: 'aten::bitwise_xor',
};

const variadic = (name: string, f: (a: Tensor, b: Tensor) => Tensor, finish?: (acc: Tensor, n: number) => Tensor): OpDecl =>
  onnxOp(name, 'Tensor[] data_0', 'Tensor', (a) => {
    const xs = a.data_0 as Tensor[];
    if (xs.length === 0) throw new Error(`${name} needs at least one input`);
    let acc = op('aten::alias', xs[0]!);
    for (let i = 1; i < xs.length; i++) acc = f(acc, xs[i]!);
    return finish ? finish(acc, xs.length) : acc;
  });

export const elementwiseOps: OpDecl[] = [
  ...Object.entries(unaryAten).map(([name, aten]) => onnxOp(name, 'Tensor X', 'Tensor', (a) => op(aten, a.X))),
  ...Object.entries(binaryAten).map(([name, aten]) => onnxOp(name, 'Tensor A, Tensor B', 'Tensor', (a) => op(aten, a.A, a.B))),
  onnxOp('Identity', 'Any input', 'Any', (a) => (Array.isArray(a.input) ? a.input.map((t: Tensor) => op('aten::alias', t)) : a.input === null ? null : op('aten::alias', a.input))),
  onnxOp('Div', 'Tensor A, Tensor B', 'Tensor', (a) =>
    isFloating(a.A.dtype) ? op('aten::div', a.A, a.B) : op('aten::div', a.A, a.B, { rounding_mode: 'trunc' }),
  ),
  // ONNX Pow keeps the base's type
  onnxOp('Pow', 'Tensor X, Tensor Y', 'Tensor', (a) => cast(op('aten::pow', a.X, a.Y), a.X.dtype)),
  onnxOp('Mod', 'Tensor A, Tensor B, *, int fmod=0', 'Tensor', (a) => op(a.fmod ? 'aten::fmod' : 'aten::remainder', a.A, a.B)),
  onnxOp('BitShift', 'Tensor X, Tensor Y, *, str direction', 'Tensor', (a) => {
    const f = op('aten::pow', 2, cast(a.Y, 'float64'));
    const x = cast(a.X, 'float64');
    const r = a.direction === 'LEFT' ? op('aten::mul', x, f) : op('aten::floor', op('aten::div', x, f));
    return cast(op('aten::remainder', r, 2 ** (8 * ({ uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8 } as Record<string, number>)[a.X.dtype]!)), a.X.dtype);
  }),
  variadic('Max', (x, y) => op('aten::maximum', x, y)),
  variadic('Min', (x, y) => op('aten::minimum', x, y)),
  variadic('Sum', (x, y) => op('aten::add', x, y)),
  variadic('Mean', (x, y) => op('aten::add', x, y), (acc, n) => op('aten::div', acc, n)),
  onnxOp('PRelu', 'Tensor X, Tensor slope', 'Tensor', (a) => op('aten::where', op('aten::lt', a.X, 0), op('aten::mul', a.X, a.slope), a.X)),
  onnxOp('LeakyRelu', 'Tensor X, *, float alpha=0.01', 'Tensor', (a) => op('aten::leaky_relu', a.X, a.alpha)),
  onnxOp('Elu', 'Tensor X, *, float alpha=1.0', 'Tensor', (a) => op('aten::elu', a.X, a.alpha)),
  onnxOp('Celu', 'Tensor X, *, float alpha=1.0', 'Tensor', (a) => op('aten::celu', a.X, a.alpha)),
  onnxOp('Selu', 'Tensor X, *, float alpha=1.67326319217681884765625, float gamma=1.05070102214813232421875', 'Tensor', (a) =>
    op('aten::mul', op('aten::where', op('aten::gt', a.X, 0), a.X, op('aten::mul', op('aten::expm1', a.X), a.alpha)), a.gamma),
  ),
  onnxOp('ThresholdedRelu', 'Tensor X, *, float alpha=1.0', 'Tensor', (a) => op('aten::where', op('aten::gt', a.X, a.alpha), a.X, 0)),
  onnxOp('HardSigmoid', 'Tensor X, *, float alpha=0.2, float beta=0.5', 'Tensor', (a) =>
    op('aten::clamp', op('aten::add', op('aten::mul', a.X, a.alpha), a.beta), 0, 1),
  ),
  onnxOp('Softplus', 'Tensor X', 'Tensor', (a) => op('aten::log1p', op('aten::exp', a.X))),
  onnxOp('Shrink', 'Tensor input, *, float bias=0.0, float lambd=0.5', 'Tensor', (a) => {
    const x = a.input as Tensor;
    const r = op('aten::where', op('aten::lt', x, -a.lambd), op('aten::add', x, a.bias), op('aten::where', op('aten::gt', x, a.lambd), op('aten::sub', x, a.bias), 0));
    return cast(r, x.dtype);
  }),
  onnxOp('IsInf', 'Tensor X, *, int detect_negative=1, int detect_positive=1', 'Tensor', (a) => {
    if (a.detect_negative && a.detect_positive) return op('aten::isinf', a.X);
    if (a.detect_negative) return op('aten::isneginf', a.X);
    if (a.detect_positive) return op('aten::isposinf', a.X);
    return op('aten::zeros_like', a.X, { dtype: 'bool' });
  }),
  onnxOp('Clip', 'Tensor input, Tensor? min=None, Tensor? max=None', 'Tensor', (a) => {
    let x = op('aten::alias', a.input);
    if (a.min) x = op('aten::maximum', x, cast(a.min, x.dtype));
    if (a.max) x = op('aten::minimum', x, cast(a.max, x.dtype));
    return x;
  }),
  onnxOp('Where', 'Tensor condition, Tensor X, Tensor Y', 'Tensor', (a) => op('aten::where', a.condition, a.X, a.Y)),
  onnxOp('Cast', 'Tensor input, *, int to, int saturate=1', 'Tensor', (a: Args) => {
    const r = op('aten::_to_copy', a.input, { dtype: onnxDType(a.to, 'Cast') });
    return a.to === 16 ? roundToBFloat16(r) : r;
  }),
  onnxOp('CastLike', 'Tensor input, Tensor target_type', 'Tensor', (a) => op('aten::_to_copy', a.input, { dtype: (a.target_type as Tensor).dtype })),
  onnxOp('Gelu', 'Tensor X, *, str approximate="none"', 'Tensor', (a) => op('aten::gelu', a.X, { approximate: a.approximate })),
];

/**
 * BFLOAT16 is held widened in float32 tensors: a cast to it rounds to its 8 significant bits
 * (round half to even, as PyTorch's .to(torch.bfloat16)); zeros, infinities and NaN pass through.
 */
function roundToBFloat16(x: Tensor): Tensor {
  const ax = op('aten::abs', x);
  const finite = op('aten::logical_and', op('aten::isfinite', x), op('aten::gt', ax, 0));
  const safe = op('aten::where', finite, ax, 1);
  const e = op('aten::clamp', op('aten::floor', op('aten::log2', safe)), -126);
  const q = op('aten::exp2', op('aten::sub', e, 7));
  const r = op('aten::mul', op('aten::round', op('aten::div', x, q)), q);
  return op('aten::where', finite, r, x);
}
