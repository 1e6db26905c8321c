/** int()/float()/bool() conversions, tensor <-> number, tensor metadata, grad-mode and misc builtins. */
import { isFloating, scalarTypeCode } from '../../dtype.js';
import type { Args } from '../../registry.js';
import { broadcastShapes, normalizeDim } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { I, scalarOp } from './define.js';
import { isFloatValue, num, plain } from './util.js';

function single(t: Tensor, what: string): number | boolean {
  if (t.numel() !== 1) throw new RangeError(`${what}: a Tensor with ${t.numel()} elements cannot be converted to Scalar`);
  return t.item();
}

function parseIntStr(s: string): number {
  // like std::stoll plus a whole-string check: leading whitespace only
  const t = s.replace(/^\s+/, '');
  if (!/^[+-]?\d+$/.test(t)) throw new Error(`invalid literal for int() with base 10: '${s}'`);
  return I(Number(t));
}
function parseFloatStr(s: string): number {
  const t = s.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) throw new Error(`could not convert string to float: '${s}'`);
  return Number(t);
}

/**
 * float -> int64 as PyTorch's C++ cast does on x86 (cvttsd2si): NaN, infinities and values outside
 * the int64 range give INT64_MIN.
 */
export function toInt64(x: number): number {
  if (!Number.isFinite(x) || x >= 2 ** 63 || x < -(2 ** 63)) return -(2 ** 63);
  return I(Math.trunc(x));
}

export const scalarInt = scalarOp('Int', {
  'aten::Int.Tensor': (a) => toInt64(Number(single(a.a, 'int()'))),
  'aten::Int.bool': (a) => (a.a ? 1 : 0),
  'aten::Int.float': (a) => toInt64(num(a.a)),
  'aten::Int.Scalar': (a) => toInt64(num(a.a)),
  'aten::Int.str': (a) => parseIntStr(a.a),
});
export const scalarFloat = scalarOp('Float', {
  'aten::Float.Tensor': (a) => Number(single(a.a, 'float()')),
  'aten::Float.Scalar': (a) => num(a.a),
  'aten::Float.int': (a) => num(a.a),
  'aten::Float.bool': (a) => (a.a ? 1 : 0),
  'aten::Float.str': (a) => parseFloatStr(a.a),
});
export const scalarBool = scalarOp('Bool', {
  'aten::Bool.Tensor': (a) => {
    const t = a.a as Tensor;
    if (t.numel() !== 1) throw new Error(`Boolean value of Tensor with ${t.numel() === 0 ? 'no values' : 'more than one value'} is ambiguous`);
    return Number(t.item()) !== 0;
  },
  'aten::Bool.int': (a) => num(a.a) !== 0,
  'aten::Bool.float': (a) => num(a.a) !== 0,
});
function implicit(a: Args, what: string): Tensor {
  const t = a.a as Tensor;
  if (t.ndim !== 0) throw new Error(`Cannot input a tensor of dimension other than 0 as a scalar argument (${what})`);
  return t;
}
export const scalarImplicit = scalarOp('ScalarImplicit', { 'aten::ScalarImplicit': (a) => implicit(a, 'ScalarImplicit').item() });
export const intImplicit = scalarOp('IntImplicit', {
  'aten::IntImplicit': (a) => {
    const t = implicit(a, 'IntImplicit');
    if (t.isFloatingPoint) throw new Error(`Cannot input a tensor of type ${t.dtype} as an integral argument`);
    return I(Number(t.item()));
  },
});
export const floatImplicit = scalarOp('FloatImplicit', { 'aten::FloatImplicit': (a) => Number(implicit(a, 'FloatImplicit').item()) });

/** prim::NumToTensor: a 0-d tensor: int -> int64, float -> float64, bool -> bool (like at::scalar_to_tensor). */
export const numToTensor = scalarOp('NumToTensor', {
  'prim::NumToTensor.Scalar': (a) => {
    const v = plain(a.a);
    if (typeof v === 'boolean') return scalarTensor(v ? 1 : 0, 'bool');
    return scalarTensor(num(v), isFloatValue(a.a) ? 'float64' : 'int64');
  },
  'prim::NumToTensor.bool': (a) => scalarTensor(a.a ? 1 : 0, 'bool'),
});
function scalarTensor(v: number, dtype: 'int64' | 'float64' | 'bool'): Tensor {
  const t = Tensor.empty([], dtype);
  t.hostArray[0] = v;
  return t;
}

export const scalarItem = scalarOp('item', {
  'aten::item': (a) => {
    const t = a.self as Tensor;
    if (t.numel() !== 1) throw new RangeError(`a Tensor with ${t.numel()} elements cannot be converted to Scalar`);
    return t.item();
  },
});

// ------------------------------------------------------------------ tensor metadata

export const scalarSize = scalarOp('size', {
  'aten::size': (a) => [...(a.self as Tensor).shape],
  'aten::size.int': (a) => {
    const t = a.self as Tensor;
    return t.shape[normalizeDim(a.dim, t.ndim)] ?? 1;
  },
});
export const scalarDim = scalarOp('dim', { 'aten::dim': (a) => (a.self as Tensor).ndim });
export const scalarNumel = scalarOp('numel', { 'aten::numel': (a) => (a.self as Tensor).numel() });
export const scalarIsFloatingPoint = scalarOp('is_floating_point', { 'aten::is_floating_point': (a) => isFloating((a.self as Tensor).dtype) });
const tensorProp = (key: string, f: (t: Tensor) => unknown) => ({ [key]: (a: Args) => f(a.a as Tensor) });
export const primTensorProps = [
  scalarOp('dtype', tensorProp('prim::dtype', (t) => scalarTypeCode[t.dtype])),
  scalarOp('device', {
    ...tensorProp('prim::device', (t) => t.device),
    'aten::device': (a) => parseDevice(a.a),
  }),
  scalarOp('is_cuda', tensorProp('prim::is_cuda', () => false)),
  scalarOp('requires_grad', tensorProp('prim::requires_grad', (t) => t.requiresGrad)),
  scalarOp('is_nested', tensorProp('prim::is_nested', () => false)),
  scalarOp('layout', tensorProp('prim::layout', () => 0)),
  scalarOp('is_quantized', tensorProp('prim::is_quantized', () => false)),
  scalarOp('is_mkldnn', tensorProp('prim::is_mkldnn', () => false)),
  scalarOp('is_sparse', tensorProp('prim::is_sparse', () => false)),
  scalarOp('is_meta', tensorProp('prim::is_meta', () => false)),
  scalarOp('is_xpu', tensorProp('prim::is_xpu', () => false)),
  scalarOp('is_vulkan', tensorProp('prim::is_vulkan', () => false)),
  scalarOp('is_ipu', tensorProp('prim::is_ipu', () => false)),
];
function parseDevice(s: string): string {
  if (!/^(cpu|cuda|wasm|webgpu|mps|meta|xpu)(:\d+)?$/.test(s)) {
    throw new Error(`Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, xla, lazy, vulkan, mps, meta, hpu device type at start of device string: ${s}`);
  }
  return s;
}

// ------------------------------------------------------------------ grad mode, warnings, range helpers

let gradEnabled = true;
/**
 * torchlet runs inference only, but reports grad mode as TorchScript code sets it: scripted
 * TransformerEncoderLayer / MultiheadAttention take their portable (non-fused) path when
 * `torch.is_grad_enabled()` is true, which is what torchlet implements.
 */
export const gradModeOps = [
  scalarOp('is_grad_enabled', { 'aten::is_grad_enabled': () => gradEnabled }),
  scalarOp('set_grad_enabled', {
    'aten::set_grad_enabled': (a) => {
      gradEnabled = Boolean(a.val);
      return null;
    },
  }),
  scalarOp('is_autocast_enabled', { 'aten::is_autocast_enabled': () => false }),
  scalarOp('_get_tracing_state', { 'aten::_get_tracing_state': () => false }),
];

const warnedMessages = new Set<string>();
export const scalarWarn = scalarOp('warn', {
  'aten::warn': (a) => {
    const m = String(a.message);
    if (!warnedMessages.has(m)) {
      warnedMessages.add(m);
      console.warn(`UserWarning: ${m}`);
    }
    return null;
  },
});

export const rangeOps = [
  scalarOp('__range_length', {
    'aten::__range_length': (a) => {
      const lo = num(a.lo), hi = num(a.hi), step = num(a.step);
      if (step === 0) throw new Error('range() arg 3 must not be zero');
      if (step > 0 && lo < hi) return I(1 + Math.floor((hi - 1 - lo) / step));
      if (step < 0 && lo > hi) return I(1 + Math.floor((lo - 1 - hi) / -step));
      return 0;
    },
  }),
  scalarOp('__derive_index', { 'aten::__derive_index': (a) => I(num(a.start) + num(a.index) * num(a.step)) }),
  scalarOp('_infer_size', { 'aten::_infer_size': (a) => broadcastShapes(a.a, a.b) }),
];

export const convertOps = [
  scalarInt, scalarFloat, scalarBool, scalarImplicit, intImplicit, floatImplicit, numToTensor, scalarItem,
  scalarSize, scalarDim, scalarNumel, scalarIsFloatingPoint, ...primTensorProps, ...gradModeOps, scalarWarn, ...rangeOps,
];
