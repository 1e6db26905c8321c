#!/usr/bin/python3
"""Expected results for torchlet's pointwise ops, computed by PyTorch 1.13 (/usr/bin/python3).

Writes cases.json (dtype x dtype grids, Python scalars, 0-d tensors, strided inputs, errors) and
special.json (erf/erfc/erfinv/gelu over many float64 values). Run from the repository root:
    /usr/bin/python3 test-models/pointwise/make_cases.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
HERE = os.path.dirname(os.path.abspath(__file__))

DT = {
    'float32': torch.float32, 'float64': torch.float64, 'float16': torch.float16, 'int8': torch.int8,
    'int16': torch.int16, 'int32': torch.int32, 'int64': torch.int64, 'uint8': torch.uint8, 'bool': torch.bool,
}
NAME = {v: k for k, v in DT.items()}
ALL = list(DT)
FLOATS_U = [-3.75, -2.5, -1.5, -1.0, -0.5, -0.25, -0.0, 0.0, 0.25, 0.5, 1.0, 1.5, 2.5, 3.75, 10.0, -10.0, 0.1, 100.0,
            math.inf, -math.inf, math.nan]
FLOATS_B = [-2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 1.5, 3.75, math.inf, -math.inf, math.nan]


def ints_u(d):
    if d == 'uint8':
        return [0, 1, 2, 3, 7, 100, 200, 255]
    if d == 'int8':
        return [-128, -100, -7, -3, -2, -1, 0, 1, 2, 3, 7, 100, 127]
    return [-100, -7, -3, -2, -1, 0, 1, 2, 3, 7, 100]


def ints_b(d):
    return [0, 1, 2, 3, 7, 200] if d == 'uint8' else [-7, -2, -1, 0, 1, 2, 3, 7]


def values(d, binary):
    if d == 'bool':
        return [True, False] if binary else [True, False, True, True, False]
    if d.startswith('float'):
        return FLOATS_B if binary else FLOATS_U
    return ints_b(d) if binary else ints_u(d)


def num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return 'nan'
        if math.isinf(v):
            return 'inf' if v > 0 else '-inf'
        if v == 0 and math.copysign(1, v) < 0:
            return '-0'
        return v
    return v


def enc(t, transposed=False):
    """A tensor argument; `transposed` tensors are stored as the contiguous base and rebuilt as base.t()."""
    if transposed:
        base = t.t().contiguous()
        return {'t': NAME[base.dtype], 's': list(base.shape), 'v': [num(x) for x in base.flatten().tolist()], 'T': True}
    return {'t': NAME[t.dtype], 's': list(t.shape), 'v': [num(x) for x in t.flatten().tolist()]}


def enc_arg(a):
    if isinstance(a, torch.Tensor):
        return enc(a)
    if isinstance(a, float):
        assert not a.is_integer() or not math.isfinite(a), 'JS cannot tell 2.0 from 2'
        return num(a)
    if isinstance(a, (list, tuple)):
        return [enc_arg(x) for x in a]
    return a


def run(fn, args, kwargs):
    try:
        return fn(*args, **kwargs), None
    except Exception as e:  # noqa: BLE001
        return None, str(e).split('\n')[0]


cases = []
NO_HALF_EMULATION = {'torch.nextafter'}  # float32's neighbours are not half's


def case(name, fn, args, kwargs=None, note=None, transposed_first=False):
    kwargs = kwargs or {}
    out, err = run(fn, args, kwargs)
    c = {'fn': name, 'args': [enc(a, True) if transposed_first and i == 0 else enc_arg(a) for i, a in enumerate(args)],
         'kwargs': {k: enc_arg(v) for k, v in kwargs.items()}}
    if err is not None and "'Half'" in err and name not in NO_HALF_EMULATION:
        # PyTorch 1.13 has no CPU kernel for half here; torchlet computes half like PyTorch's CUDA
        # kernels do: in float32, rounded to half
        up = [a.float() if isinstance(a, torch.Tensor) and a.dtype == torch.float16 else a for a in args]
        out32, err32 = run(fn, up, kwargs)
        if err32 is None:
            out = out32.half() if isinstance(out32, torch.Tensor) and out32.dtype == torch.float32 else out32
            err = None
            c['halfEmulated'] = True
    if err is not None:
        c['error'] = err
    elif isinstance(out, torch.Tensor):
        c['out'] = enc(out)
    elif isinstance(out, (list, tuple)):
        c['out'] = [enc(o) for o in out]
    else:
        raise RuntimeError(f'{name}: unexpected result {out!r}')
    if note:
        c['note'] = note
    cases.append(c)


def T(vals, d, shape=None):
    t = torch.tensor(vals, dtype=DT[d])
    return t.reshape(shape) if shape else t


def torch_fn(name):
    return getattr(torch, name)


# ---------------------------------------------------------------- unary ops, every dtype
UNARY = ['abs', 'absolute', 'neg', 'negative', 'positive', 'cos', 'sin', 'tan', 'cosh', 'sinh', 'tanh', 'acos', 'asin',
         'atan', 'acosh', 'asinh', 'atanh', 'arccos', 'arcsinh', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p',
         'sqrt', 'rsqrt', 'reciprocal', 'square', 'sign', 'sgn', 'signbit', 'floor', 'ceil', 'round', 'trunc', 'fix',
         'frac', 'erf', 'erfc', 'erfinv', 'sigmoid', 'logit', 'relu', 'logical_not', 'bitwise_not', 'isnan', 'isinf',
         'isfinite', 'isposinf', 'isneginf', 'nan_to_num', 'deg2rad', 'rad2deg', 'sinc', 'lgamma', 'digamma', 'i0', 'isreal',
         'frexp']
FUNCTIONAL = ['relu', 'relu6', 'gelu', 'silu', 'mish', 'elu', 'selu', 'celu', 'leaky_relu', 'hardtanh', 'hardsigmoid',
              'hardswish', 'hardshrink', 'softshrink', 'softplus', 'softsign', 'tanhshrink', 'logsigmoid', 'sigmoid',
              'tanh']
for d in ALL:
    x = T(values(d, False), d)
    for op in UNARY:
        case(f'torch.{op}', torch_fn(op), [x])
    for op in FUNCTIONAL:
        case(f'F.{op}', getattr(F, op), [x])
for d in ['float32', 'int64', 'bool']:
    base = T(values(d, False)[:4] * 3, d, (3, 4))
    for op in UNARY:
        case(f'torch.{op}', torch_fn(op), [base.t()], transposed_first=True)
    for op in FUNCTIONAL:
        case(f'F.{op}', getattr(F, op), [base.t()], transposed_first=True)
# 0-d and empty tensors
for d in ['float32', 'int64']:
    for op in ['exp', 'abs', 'neg', 'sigmoid', 'isnan']:
        case(f'torch.{op}', torch_fn(op), [torch.tensor(1.5 if d == 'float32' else 3, dtype=DT[d])])
        case(f'torch.{op}', torch_fn(op), [torch.zeros(0, 3, dtype=DT[d])])

# unary ops with arguments
xf = T(FLOATS_U, 'float32')
xi = T(ints_u('int64'), 'int64')
for x in [xf, xi, T(FLOATS_U, 'float64'), T(FLOATS_U, 'float16')]:
    for dec in [0, 1, 2, 3, -1, -2]:
        case('torch.round', torch.round, [x], {'decimals': dec})
    for eps in [0.2, 1e-6, -0.2]:
        case('torch.logit', torch.logit, [x], {'eps': eps})
    case('torch.nan_to_num', torch.nan_to_num, [x], {'nan': 1.5, 'posinf': 7.5, 'neginf': -7.5})
    case('torch.nan_to_num', torch.nan_to_num, [x], {'posinf': 2.5})
    for lo, hi in [(-0.5, 0.5), (0.5, -0.5), (-2, 2), (0, 6), (-1.5, 1.5)]:
        case('F.hardtanh', F.hardtanh, [x, lo, hi])
        case('F.hardtanh', F.hardtanh, [x], {'min_val': lo, 'max_val': hi})
    for th, v in [(0.5, -1.5), (-1, 7), (2, 2), (-2.5, 0)]:
        case('F.threshold', F.threshold, [x, th, v])
    for s in [0.2, -1.5, 0]:
        case('F.leaky_relu', F.leaky_relu, [x, s])
        case('F.leaky_relu', F.leaky_relu, [x], {'negative_slope': s})
    for alpha in [0.5, 1, 2.5]:
        case('F.elu', F.elu, [x, alpha])
        case('F.celu', F.celu, [x, alpha])
    case('F.celu', F.celu, [x, 0])
    for beta, th in [(1, 20), (2, 1), (0.5, 0.2), (3, 0.25)]:
        case('F.softplus', F.softplus, [x], {'beta': beta, 'threshold': th})
    for lam in [0.5, 0, 1.5, -0.5]:
        case('F.hardshrink', F.hardshrink, [x], {'lambd': lam})
        case('F.softshrink', F.softshrink, [x], {'lambd': lam})
    for appr in ['none', 'tanh', 'bad']:
        case('F.gelu', F.gelu, [x], {'approximate': appr})
xu8 = T(ints_u('uint8'), 'uint8')
for lo, hi in [(-1, 1), (0, 6), (-0.5, 0.5), (2, 100)]:
    case('F.hardtanh', F.hardtanh, [xu8, lo, hi])
case('F.relu6', F.relu6, [xu8])
case('aten::elu', torch._C._nn.elu, [xf, 1.5, 2.5, 0.5])

# ---------------------------------------------------------------- binary ops, dtype grids
SAME = [(d, d) for d in ALL]
CROSS = [('float32', 'float64'), ('float32', 'float16'), ('float16', 'float32'), ('float32', 'int64'), ('int64', 'float32'),
         ('int32', 'int64'), ('uint8', 'int8'), ('int8', 'uint8'), ('bool', 'float32'), ('float32', 'bool'),
         ('bool', 'int64'), ('int64', 'bool'), ('uint8', 'bool'), ('int16', 'int32'), ('float16', 'int32'),
         ('int8', 'int16'), ('uint8', 'int64')]
ZERO_D = [('int32', 'float64'), ('float16', 'float64'), ('uint8', 'int64'), ('bool', 'int64'), ('float32', 'int64'),
          ('int64', 'float64'), ('bool', 'float32'), ('int8', 'int64')]
PY_SCALARS = [2, -3, 2.5, -1.5, True, False]
SCALAR_DTYPES = ['float32', 'float16', 'int64', 'int32', 'uint8', 'bool']

# name -> (fn, has Scalar overload, has Scalar_Tensor overload, extra kwargs variants)
BINARY = {
    'add': (torch.add, True, False, [{}, {'alpha': 2}, {'alpha': -1.5}, {'alpha': True}]),
    'sub': (torch.sub, True, False, [{}, {'alpha': 2}, {'alpha': -1.5}]),
    'subtract': (torch.subtract, True, False, [{}]),
    'rsub': (torch.rsub, True, False, [{}, {'alpha': 3}]),
    'mul': (torch.mul, True, False, [{}]),
    'multiply': (torch.multiply, True, False, [{}]),
    'div': (torch.div, True, False, [{}, {'rounding_mode': 'trunc'}, {'rounding_mode': 'floor'}]),
    'divide': (torch.divide, True, False, [{}]),
    'true_divide': (torch.true_divide, True, False, [{}]),
    'floor_divide': (torch.floor_divide, True, False, [{}]),
    'remainder': (torch.remainder, True, True, [{}]),
    'fmod': (torch.fmod, True, False, [{}]),
    'pow': (torch.pow, True, True, [{}]),
    'float_power': (torch.float_power, True, True, [{}]),
    'maximum': (torch.maximum, False, False, [{}]),
    'minimum': (torch.minimum, False, False, [{}]),
    'fmax': (torch.fmax, False, False, [{}]),
    'fmin': (torch.fmin, False, False, [{}]),
    'eq': (torch.eq, True, False, [{}]), 'ne': (torch.ne, True, False, [{}]), 'lt': (torch.lt, True, False, [{}]),
    'le': (torch.le, True, False, [{}]), 'gt': (torch.gt, True, False, [{}]), 'ge': (torch.ge, True, False, [{}]),
    'greater': (torch.greater, True, False, [{}]), 'less_equal': (torch.less_equal, True, False, [{}]),
    'not_equal': (torch.not_equal, True, False, [{}]),
    'logical_and': (torch.logical_and, False, False, [{}]),
    'logical_or': (torch.logical_or, False, False, [{}]),
    'logical_xor': (torch.logical_xor, False, False, [{}]),
    'bitwise_and': (torch.bitwise_and, True, True, [{}]),
    'bitwise_or': (torch.bitwise_or, True, True, [{}]),
    'bitwise_xor': (torch.bitwise_xor, True, True, [{}]),
    'atan2': (torch.atan2, False, False, [{}]),
    'arctan2': (torch.arctan2, False, False, [{}]),
    'xlogy': (torch.xlogy, True, True, [{}]),
    'hypot': (torch.hypot, False, False, [{}]),
    'copysign': (torch.copysign, True, False, [{}]),
    'heaviside': (torch.heaviside, False, False, [{}]),
    'logaddexp': (torch.logaddexp, False, False, [{}]),
    'logaddexp2': (torch.logaddexp2, False, False, [{}]),
    'clamp_min': (torch.clamp_min, True, False, [{}]),
    'clamp_max': (torch.clamp_max, True, False, [{}]),
    'nextafter': (torch.nextafter, False, False, [{}]),
    'ldexp': (torch.ldexp, False, False, [{}]),
    'gcd': (torch.gcd, False, False, [{}]),
    'lcm': (torch.lcm, False, False, [{}]),
    'bitwise_left_shift': (torch.bitwise_left_shift, True, True, [{}]),
    'bitwise_right_shift': (torch.bitwise_right_shift, True, True, [{}]),
}


def grid(da, db):
    a = T(values(da, True), da)
    b = T(values(db, True), db)
    return a.reshape(-1, 1), b


for name, (fn, has_scalar, has_scalar_tensor, kw_variants) in BINARY.items():
    for kw in kw_variants:
        for da, db in SAME + CROSS:
            a, b = grid(da, db)
            case(f'torch.{name}', fn, [a, b], kw)
        for da, db in ZERO_D:
            a = T(values(da, True), da)
            b = torch.tensor(values(db, True)[2], dtype=DT[db])
            case(f'torch.{name}', fn, [a, b], kw)
            case(f'torch.{name}', fn, [b, a], kw)
        if has_scalar:
            for d in SCALAR_DTYPES:
                for s in PY_SCALARS:
                    case(f'torch.{name}', fn, [T(values(d, True), d), s], kw)
        if has_scalar_tensor:
            for d in SCALAR_DTYPES:
                for s in PY_SCALARS:
                    case(f'torch.{name}', fn, [s, T(values(d, True), d)], kw)
        # a strided (transposed) operand and broadcasting over leading dims
        a = T(FLOATS_B[:6], 'float32', (2, 3))
        b = T(FLOATS_B[3:9], 'float32', (3, 2))
        case(f'torch.{name}', fn, [b.t(), a], kw, transposed_first=True)
        case(f'torch.{name}', fn, [T(values('int64', True)[:6], 'int64', (3, 2)).t(), T([2, -3, 7], 'int64')], kw, transposed_first=True)
        case(f'torch.{name}', fn, [torch.zeros(0, 3), torch.ones(3)], kw)

# pow with scalar exponents (ATen's special cases) and integer bases
for d in ['float32', 'float64', 'float16', 'int64', 'int32', 'uint8', 'int8', 'bool']:
    x = T(values(d, False), d)
    for e in [0, 1, 2, 3, -1, -2, 0.5, -0.5, 2.5, True, 1.5]:
        case('torch.pow', torch.pow, [x, e])
    case('torch.float_power', torch.float_power, [x, 2])
case('torch.pow', torch.pow, [T([2, 3, 1000], 'int32'), T([31, 20, 4], 'int32')], note='int32 wraps')
case('torch.pow', torch.pow, [T([2, 3, 5], 'int64'), T([62, 39, 27], 'int64')])
case('torch.pow', torch.pow, [T([2, -3, 1, -1], 'int64'), T([-1, -2, -5, -3], 'int64')])
case('torch.mul', torch.mul, [T([65536, -46341, 123456], 'int32'), T([65536, 46341, 654321], 'int32')], note='int32 wraps')
case('torch.add', torch.add, [T([2147483647, -2147483648], 'int32'), T([1, -1], 'int32')])
case('torch.add', torch.add, [T([127, -128], 'int8'), T([1, -1], 'int8')], {'alpha': 3})
case('torch.square', torch.square, [T([20, -128, 127], 'int8')])
case('torch.square', torch.square, [T([50000, -46341], 'int32')])
case('torch.bitwise_and', torch.bitwise_and, [T([2 ** 40 + 5, -(2 ** 40) - 1], 'int64'), T([2 ** 40 + 3, 2 ** 33 + 7], 'int64')])
case('torch.bitwise_xor', torch.bitwise_xor, [T([2 ** 40 + 5, -5], 'int64'), T([-1, 2 ** 35], 'int64')])
case('torch.bitwise_not', torch.bitwise_not, [T([2 ** 40 + 5, -(2 ** 45)], 'int64')])
for d in ['int64', 'int32', 'int16', 'int8', 'uint8']:
    x = T([1, -1, 5, 3, -128, 100, 7, 2], d) if d != 'uint8' else T([1, 255, 5, 3, 128, 100, 7, 2], d)
    sh = T([1, 63, 64, -1, 9, 31, 33, 70], d) if d != 'uint8' else T([1, 63, 64, 255, 9, 31, 33, 70], d)
    case('torch.bitwise_left_shift', torch.bitwise_left_shift, [x, sh])
    case('torch.bitwise_right_shift', torch.bitwise_right_shift, [x, sh])
case('torch.bitwise_left_shift', torch.bitwise_left_shift, [T([2 ** 40 + 5, -(2 ** 45)], 'int64'), T([3, 5], 'int64')])
case('torch.bitwise_right_shift', torch.bitwise_right_shift, [T([2 ** 40 + 5, -(2 ** 45)], 'int64'), T([3, 5], 'int64')])
case('torch.gcd', torch.gcd, [T([0, -4, 6, 0, 2 ** 40, -(2 ** 31)], 'int64'), T([0, 6, -9, 5, 2 ** 20 * 3, 6], 'int64')])
case('torch.lcm', torch.lcm, [T([0, -4, 6, 0, 2 ** 20, -(2 ** 11)], 'int64'), T([0, 6, -9, 5, 3, 6], 'int64')])
case('torch.nextafter', torch.nextafter, [T([0.0, -0.0, 1.0, -1.0, 3.4028234663852886e38, 1e-45, math.inf, 5.0], 'float32'), T([1.0, -1.0, 2.0, 0.0, math.inf, 0.0, 0.0, 5.0], 'float32')])
case('torch.nextafter', torch.nextafter, [T([0.0, 1.0, -1.0, 1e-310, 1.0], 'float64'), T([-1.0, 0.0, -2.0, 0.0, math.nan], 'float64')])
case('torch.frexp', torch.frexp, [T([0.0, -3.0, math.inf, math.nan, 1e-40, 1e38, -0.1], 'float32')])
case('torch.frexp', torch.frexp, [T([5e-324, 1e308, 0.75, -1.0], 'float64')])
case('torch.lgamma', torch.lgamma, [T([0.0, -0.0, -1.0, -0.5, 1.0, 2.0, 0.5, -2.5, 1e-30, 1e30, 171.5, -100.25, math.inf, -math.inf], 'float64')])
case('torch.digamma', torch.digamma, [T([0.0, -0.0, -1.0, -0.5, 1.0, 2.0, 0.5, -2.5, 1e-30, 1e30, 1.4616321449683622, -100.25, math.inf, -math.inf], 'float64')])
case('torch.i0', torch.i0, [T([0.0, 1e-10, -1.0, 5.0, 30.0, -60.0, 200.0, 700.0, 710.0, math.inf], 'float64')])
case('torch.eq', torch.eq, [T([0.1, 0.2], 'float32'), 0.1])
case('torch.eq', torch.eq, [T([0.1, 0.2], 'float16'), 0.1])
case('torch.div', torch.div, [T([5, -5, 0], 'int64'), T([0, 0, 0], 'int64')], {'rounding_mode': 'floor'})
case('torch.div', torch.div, [T([5, -5, 0], 'int64'), 0], {'rounding_mode': 'trunc'})
case('torch.div', torch.div, [T([5, -5, 0], 'int64'), T([0, 0, 0], 'int64')])
case('torch.div', torch.div, [T([5.5], 'float32'), 2.5], {'rounding_mode': 'bad'})
case('torch.remainder', torch.remainder, [T([5, -5], 'int64'), T([0, 3], 'int64')])
case('torch.fmod', torch.fmod, [T([5, -5], 'int32'), 0])
case('torch.div', torch.div, [T([1e-30, 3e38, 7.0, -7.0, 0.3], 'float32'), T([3e-10, 0.1, 0.7, 0.7, 0.1], 'float32')], {'rounding_mode': 'floor'})
case('torch.div', torch.div, [T([1e-30, 3e38, 7.0, -7.0, 0.3], 'float32'), T([3e-10, 0.1, 0.7, 0.7, 0.1], 'float32')], {'rounding_mode': 'trunc'})
case('torch.remainder', torch.remainder, [T([1e-30, 3e38, 7.0, -7.0, 0.3, 5.5], 'float32'), T([3e-10, 0.1, 0.7, 0.7, -0.1, -math.inf], 'float32')])

# ---------------------------------------------------------------- ternary and friends
rf = torch.randn
for d in ['float32', 'int64', 'bool', 'uint8', 'float16']:
    x = T(values(d, False), d)
    n = x.numel()
    mask = torch.arange(n) % 3 == 0
    for v in [2, -1, 2.5, True, -300]:
        case('torch.masked_fill', torch.masked_fill, [x, mask, v])
    for v in [torch.tensor(3.5), torch.tensor(7), torch.tensor(True), torch.tensor([1.5])]:
        case('torch.masked_fill', torch.masked_fill, [x, mask, v])
    case('torch.masked_fill', torch.masked_fill, [x.reshape(1, -1), mask.reshape(-1, 1)[:4], 9])
    case('torch.masked_fill', torch.masked_fill, [x, mask.to(torch.uint8), 9])
    case('torch.masked_fill', torch.masked_fill, [x, mask.to(torch.int64), 9])
    case('torch.masked_fill', torch.masked_fill, [x, mask.float(), 9])
    case('torch.masked_fill', torch.masked_fill, [x, mask.to(torch.int32) * 2, 9])
for dc, da, db in [('bool', 'float32', 'float32'), ('bool', 'float32', 'int64'), ('bool', 'int32', 'int64'),
                   ('bool', 'bool', 'int64'), ('bool', 'uint8', 'int8'), ('bool', 'float16', 'float64'),
                   ('uint8', 'float32', 'float32'), ('int64', 'float32', 'float32'), ('float32', 'float32', 'float32')]:
    cond = torch.tensor([True, False, True, False, False, True]).reshape(2, 3).to(DT[dc])
    a = T(values(da, True)[:3], da)
    b = T(values(db, True)[:2], db).reshape(2, 1)
    case('torch.where', torch.where, [cond, a, b])
cond = torch.tensor([True, False, True])
for s, o in [(1.5, 0), (1, 0), (True, 0), (True, False), (2.5, -1.5)]:
    case('torch.where', torch.where, [cond, s, o])
for d in ['float32', 'int32', 'bool', 'float16']:
    x = T(values(d, True)[:3], d)
    for s in [2, 2.5, True]:
        case('torch.where', torch.where, [cond, x, s])
        case('torch.where', torch.where, [cond, s, x])
    case('torch.where', torch.where, [cond, x, torch.tensor(5)])
    case('torch.where', torch.where, [cond, x, torch.tensor(5.5, dtype=torch.float64)])
for c in [torch.tensor([[True, False], [False, True]]), torch.tensor([0.0, 1.5, -2.0, 0.0]), torch.tensor(True), torch.tensor(False),
          torch.zeros(2, 0), torch.tensor([[[1, 0], [0, 3]]])]:
    case('torch.where', torch.where, [c])

for d in ['float32', 'int64', 'bool', 'float16', 'uint8']:
    x = T(values(d, False), d)
    for lo, hi in [(-0.5, 0.5), (0.5, -0.5), (-2, 2), (0, 1), (None, 1.5), (-1, None), (True, None), (False, True),
                   (math.nan, None), (None, math.nan), (None, None)]:
        case('torch.clamp', torch.clamp, [x, lo, hi])
        case('torch.clip', torch.clip, [x], {'min': lo, 'max': hi})
    n = x.numel()
    lo_t = torch.linspace(-3, 1, n).to(DT[d]) if d != 'bool' else torch.arange(n) % 2 == 0
    hi_t = torch.linspace(-1, 3, n).to(DT[d]) if d != 'bool' else torch.arange(n) % 3 == 0
    case('torch.clamp', torch.clamp, [x, lo_t, hi_t])
    case('torch.clamp', torch.clamp, [x, lo_t, None])
    case('torch.clamp', torch.clamp, [x, None, hi_t])
    case('torch.clamp', torch.clamp, [x, torch.tensor(0.5), torch.tensor(2)])
    case('torch.clamp', torch.clamp, [x.reshape(-1, 1), hi_t[:3], lo_t[:3]])
nanb = torch.tensor([math.nan, 0.0, 1.0, 2.0])
case('torch.clamp', torch.clamp, [torch.tensor([1.0, 5.0, math.nan, -3.0]), nanb, nanb.flip(0)])
case('torch.clamp_min', torch.clamp_min, [torch.tensor([1.0, 5.0, math.nan, -3.0]), nanb])
case('torch.clamp_max', torch.clamp_max, [torch.tensor([1.0, 5.0, math.nan, -3.0]), nanb])

for d in ['float32', 'float64', 'int64', 'float16']:
    s = T(FLOATS_B, d) if d != 'int64' else T(ints_b(d), d)
    e = s.flip(0).reshape(-1, 1)
    for w in [0, 0.25, 0.5, 0.75, 1, 2.5, -1.5]:
        case('torch.lerp', torch.lerp, [s, e, w])
    case('torch.lerp', torch.lerp, [s, e, torch.linspace(-1, 2, s.numel()).to(DT[d])])
    case('torch.lerp', torch.lerp, [s, e, torch.tensor(0.3, dtype=torch.float64)])
case('torch.lerp', torch.lerp, [T([1.0, 2.0], 'float32'), T([3.0, 4.0], 'float64'), 0.5])

for d1, d2, d3 in [('float32',) * 3, ('int64',) * 3, ('int64', 'float32', 'int64'), ('bool',) * 3, ('int32', 'int32', 'int64'),
                   ('float16', 'float32', 'float16'), ('uint8', 'int8', 'uint8')]:
    a = T(values(d1, True), d1).reshape(-1, 1, 1)
    b = T(values(d2, True)[:3], d2).reshape(-1, 1)
    c = T(values(d3, True)[-3:], d3)
    for v in [1, 3, -1.5, 3.14, -2.7, True]:
        case('torch.addcmul', torch.addcmul, [a, b, c], {'value': v})
        case('torch.addcdiv', torch.addcdiv, [a, b, c], {'value': v})

for shape, dim in [((4,), 0), ((2, 4), 1), ((2, 4), -1), ((4, 3), 0), ((2, 6, 2), 1), ((3,), 0), ((2, 3), 1), ((), 0), ((4, 2), 2)]:
    x = rf(*shape) if shape else torch.tensor(0.5)
    case('F.glu', F.glu, [x, dim])
case('F.glu', F.glu, [torch.arange(8).reshape(2, 4), 1])
for xs, ws in [((2, 3, 4), (3,)), ((2, 3, 4), (1,)), ((5,), (1,)), ((), (1,)), ((2, 3), (3,)), ((2, 3), (4,)),
               ((2, 3), ()), ((2, 3), (1, 3)), ((4, 2, 2, 2), (2,))]:
    x = rf(*xs) if xs else torch.tensor(-2.0)
    w = rf(*ws) if ws else torch.tensor(0.25)
    case('F.prelu', F.prelu, [x, w])
case('F.prelu', F.prelu, [T([-1, 2], 'int64'), T([2], 'int64')])
case('F.prelu', F.prelu, [T([-1.0, 2.0], 'float32'), T([0.25], 'float64')])

# ---------------------------------------------------------------- in-place methods (result cast into self)
def method(name):
    def f(x, *args, **kwargs):
        return getattr(x.clone(), name)(*args, **kwargs)
    return f


for da in ['float32', 'int64', 'int32', 'bool', 'float16', 'uint8']:
    x = T(values(da, True), da).reshape(-1, 1)
    for db in ['float32', 'int64', 'bool', 'int32']:
        y = T(values(db, True)[:3], db).reshape(1, 1, -1)[0]
        for op in ['add_', 'sub_', 'mul_', 'div_', 'eq_', 'lt_', 'maximum', 'logical_and_', 'bitwise_or_', 'pow_', 'clamp_min_',
                   'floor_divide_', 'remainder_', 'atan2_', 'copysign_', 'hypot_', 'xlogy_', 'fmod_']:
            case(f'method.{op}', method(op), [x, y])
    for op in ['sin_', 'abs_', 'neg_', 'floor_', 'sigmoid_', 'relu_', 'exp_', 'logical_not_', 'square_', 'sign_', 'reciprocal_',
               'bitwise_not_', 'nan_to_num_', 'trunc_', 'frac_', 'erfinv_']:
        case(f'method.{op}', method(op), [x])
    for args in [(0, 1), (0.5, None), (None, 2)]:
        case('method.clamp_', method('clamp_'), [x, *args])
    case('method.masked_fill_', method('masked_fill_'), [x, torch.arange(x.numel()).reshape(-1, 1) % 2 == 0, 2])
    case('method.add_', method('add_'), [x, 3])
    case('method.add_', method('add_'), [x, 2.5])
    case('method.mul_', method('mul_'), [x, True])
case('method.add_', method('add_'), [torch.ones(3), torch.ones(2, 3)])
case('method.where', method('where'), [T([1.5, 2.5, 3.5], 'float32'), torch.tensor([True, False, True]), T([0, -1, -2], 'int64')])

with open(os.path.join(HERE, 'cases.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print(f'{len(cases)} cases')

# ---------------------------------------------------------------- special functions in float64
xs = torch.cat([torch.linspace(-7, 7, 2801, dtype=torch.float64), torch.logspace(-300, 1.3, 400, dtype=torch.float64),
                -torch.logspace(-20, 1.3, 200, dtype=torch.float64)])
ys = torch.cat([torch.linspace(-1, 1, 2001, dtype=torch.float64), 1 - torch.logspace(-16, -1, 200, dtype=torch.float64),
                -1 + torch.logspace(-16, -1, 200, dtype=torch.float64), torch.logspace(-300, -1, 100, dtype=torch.float64)])
special = {
    'x': [num(v) for v in xs.tolist()],
    'erf': [num(v) for v in torch.erf(xs).tolist()],
    'erfc': [num(v) for v in torch.erfc(xs).tolist()],
    'gelu': [num(v) for v in F.gelu(xs).tolist()],
    'gelu_tanh': [num(v) for v in F.gelu(xs, approximate='tanh').tolist()],
    'lgamma': [num(v) for v in torch.lgamma(xs).tolist()],
    'digamma': [num(v) for v in torch.digamma(xs).tolist()],
    'i0': [num(v) for v in torch.i0(xs).tolist()],
    'y': [num(v) for v in ys.tolist()],
    'erfinv': [num(v) for v in torch.erfinv(ys).tolist()],
}
with open(os.path.join(HERE, 'special.json'), 'w') as f:
    json.dump(special, f, separators=(',', ':'))
