"""Expected results of TorchScript builtin scalar/list/dict/str ops, computed by PyTorch 1.13.
Run: /usr/bin/python3 test-models/scalar-ops/gen.py  (writes cases.json next to this file)

Each case: {"key": overload key, "args": [positional values], "result": value} or {"error": true}.
Encoding: floats as {"float": x} (x may be "nan", "inf", "-inf"), tuples {"tuple": [...]},
dicts {"dict": [[k, v], ...]}, everything else as JSON.
"""
import json, math, os, torch

A, P = torch.ops.aten, torch.ops.prim
cu = torch.jit.CompilationUnit('''
def str_float(a: float) -> str:
    return str(a)
def str_int(a: int) -> str:
    return str(a)
def str_bool(a: bool) -> str:
    return str(a)
def str_float_list(a: List[float]) -> str:
    return str(a)
def str_str_list(a: List[str]) -> str:
    return str(a)
def str_dict(a: Dict[str, float]) -> str:
    return str(a)
def str_tuple(a: Tuple[int, str]) -> str:
    return str(a)
def str_none(a: Optional[int]) -> str:
    return str(a)
def format3(a: int, b: float, c: str) -> str:
    return "x={} y={} z={}!".format(a, b, c)
def format_list(a: List[int]) -> str:
    return "{}|{}".format(a, "end")
def len_list(a: List[int]) -> int:
    return len(a)
def getitem_list(a: List[int], i: int) -> int:
    return a[i]
def append_list(a: List[int], v: int) -> List[int]:
    a.append(v)
    return a
def setitem_list(a: List[int], i: int, v: int) -> List[int]:
    a[i] = v
    return a
def insert_list(a: List[int], i: int, v: int) -> List[int]:
    a.insert(i, v)
    return a
def pop_list(a: List[int], i: int) -> Tuple[int, List[int]]:
    v = a.pop(i)
    return v, a
def extend_list(a: List[int], b: List[int]) -> List[int]:
    a.extend(b)
    return a
def slice_list(a: List[int], s: Optional[int], e: Optional[int], st: int) -> List[int]:
    return a[s:e:st]
def add_list(a: List[int], b: List[int]) -> List[int]:
    return a + b
def mul_list(a: List[int], n: int) -> List[int]:
    return a * n
def contains_list(a: List[int], v: int) -> bool:
    return v in a
def contains_dict(d: Dict[str, int], k: str) -> bool:
    return k in d
def dict_keys(d: Dict[str, int]) -> List[str]:
    return list(d.keys())
def dict_values(d: Dict[str, int]) -> List[int]:
    return list(d.values())
def dict_items(d: Dict[str, int]) -> List[Tuple[str, int]]:
    return d.items()
def dict_get(d: Dict[str, int], k: str) -> Optional[int]:
    return d.get(k)
def dict_get_default(d: Dict[str, int], k: str) -> int:
    return d.get(k, -1)
def dict_getitem(d: Dict[str, int], k: str) -> int:
    return d[k]
def dict_setitem(d: Dict[str, int], k: str, v: int) -> Dict[str, int]:
    d[k] = v
    return d
def dict_pop(d: Dict[str, int], k: str) -> Tuple[int, Dict[str, int]]:
    v = d.pop(k)
    return v, d
def dict_setdefault(d: Dict[str, int], k: str, v: int) -> Tuple[int, Dict[str, int]]:
    r = d.setdefault(k, v)
    return r, d
def dict_len(d: Dict[str, int]) -> int:
    return len(d)
def min_list(a: List[int]) -> int:
    return min(a)
def max_list(a: List[float]) -> float:
    return max(a)
def min_lists(a: List[int], b: List[int]) -> List[int]:
    return min(a, b)
def sorted_list(a: List[int]) -> List[int]:
    return sorted(a)
def sort_rev(a: List[str]) -> List[str]:
    a.sort(reverse=True)
    return a
def list_index(a: List[int], v: int) -> int:
    return a.index(v)
def list_count(a: List[int], v: int) -> int:
    return a.count(v)
def sum_list(a: List[int]) -> int:
    return sum(a)
def is_none(a: Optional[int]) -> bool:
    return a is None
def isnot_none(a: Optional[int]) -> bool:
    return a is not None
def list_str(s: str) -> List[str]:
    return list(s)
def range_len(lo: int, hi: int, st: int) -> int:
    n = 0
    for _ in range(lo, hi, st):
        n += 1
    return n
''')

def enc(v):
    if isinstance(v, bool) or v is None or isinstance(v, str): return v
    if isinstance(v, int): return v
    if isinstance(v, float):
        if math.isnan(v): return {"float": "nan"}
        if math.isinf(v): return {"float": "inf" if v > 0 else "-inf"}
        return {"float": v}
    if isinstance(v, tuple): return {"tuple": [enc(x) for x in v]}
    if isinstance(v, list): return [enc(x) for x in v]
    if isinstance(v, dict): return {"dict": [[enc(k), enc(x)] for k, x in v.items()]}
    raise TypeError(type(v))

cases = []
def case(key, fn, *args, opargs=None, ret=None):
    """opargs: the op's own arguments when they differ from fn's; ret: 'arg0' when the
    expected value is the (mutated) first op argument, 'op+arg0' for (op result, first argument)."""
    import copy
    c = {"key": key, "args": [enc(a) for a in (args if opargs is None else opargs)]}
    if ret: c["ret"] = ret
    try:
        c["result"] = enc(fn(*copy.deepcopy(args)))
    except Exception as e:
        c["error"] = [l for l in str(e).split('\n') if l.strip()][-1][:200]
    cases.append(c)

ints = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (6, 3), (2**40, 3)]
floats = [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (0.1, 0.2), (1.0, 3.0), (-0.0, 1.0), (5.0, 0.5)]
for op in ['add', 'sub', 'mul', 'floordiv', 'remainder', 'div', 'pow']:
    o = getattr(A, op)
    for a, b in ints:
        if op == 'pow' and b < 0: continue
        case(f'aten::{op}.int', o.int, a, b)
    for a, b in floats:
        case(f'aten::{op}.float', o.float, a, b)
    if hasattr(o, 'int_float'):
        case(f'aten::{op}.int_float', o.int_float, 7, 2.5)
        case(f'aten::{op}.int_float', o.int_float, -7, 2.5)
        case(f'aten::{op}.float_int', o.float_int, -7.5, 2)
case('aten::floordiv.int', A.floordiv.int, 1, 0)
case('aten::div.int', A.div.int, 1, 0)
case('aten::pow.int_to_int', A.pow.int_to_int, 3, 4)
case('aten::pow.int', A.pow.int, 2, -1)
case('aten::fmod.float', A.fmod.float, -7.5, 2.0)
case('aten::__round_to_zero_floordiv.int', A.__round_to_zero_floordiv.int, -7, 2)
for a, b in [(7, 2), (-7, 2), (7, -2)]:
    case('aten::divmod.int', A.divmod.int, a, b)
for a, b in [(7.5, 2.0), (-7.5, 2.0)]:
    case('aten::divmod.float', A.divmod.float, a, b)
for op in ['eq', 'ne', 'lt', 'le', 'gt', 'ge']:
    o = getattr(A, op)
    for a, b in [(1, 2), (2, 2), (3, 2)]:
        case(f'aten::{op}.int', o.int, a, b)
    for a, b in [(1.5, 2.5), (2.5, 2.5), (float('nan'), float('nan'))]:
        case(f'aten::{op}.float', o.float, a, b)
    case(f'aten::{op}.int_float', o.int_float, 2, 2.0)
    for a, b in [('abc', 'abd'), ('b', 'a'), ('x', 'x')]:
        case(f'aten::{op}.str', o.str, a, b)
case('aten::eq.int_list', A.eq.int_list, [1, 2], [1, 2])
case('aten::eq.int_list', A.eq.int_list, [1, 2], [1, 3])
case('aten::ne.str_list', A.ne.str_list, ['a'], ['a', 'b'])
case('aten::eq.bool', A.eq.bool, True, False)
for op in ['__and__', '__or__', '__xor__']:
    o = getattr(A, op)
    case(f'aten::{op}.bool', o.bool, True, False)
    case(f'aten::{op}.int', o.int, 12, 10)
    case(f'aten::{op}.int', o.int, -12, 10)
case('aten::__lshift__.int', A.__lshift__.int, 3, 4)
case('aten::__rshift__.int', A.__rshift__.int, -17, 2)
case('aten::__not__', A.__not__, True)
for v in [3, -3, 0]:
    case('aten::neg.int', A.neg.int, v)
    case('prim::abs.int', P.abs.int, v)
for v in [2.5, -2.5, 0.0]:
    case('aten::neg.float', A.neg.float, v)
    case('prim::abs.float', P.abs.float, v)
for a, b in [(3, 4), (4, 3)]:
    case('prim::min.int', P.min.int, a, b)
    case('prim::max.int', P.max.int, a, b)
case('prim::min.float', P.min.float, 1.5, float('nan'))
case('prim::max.float', P.max.float, float('nan'), 1.5)
case('prim::min.self_int', P.min.self_int, [3, 1, 2])
case('prim::max.self_float', P.max.self_float, [3.5, 1.0, 2.0])
case('prim::min.self_int', P.min.self_int, [])
case('prim::min.int_list', P.min.int_list, [1, 2, 3], [1, 2])
case('prim::max.int_list', P.max.int_list, [1, 2, 3], [1, 3])
for v in [-2.7, 2.7, -0.5]:
    case('aten::Int.float', A.Int.float, v)
    case('aten::floor.float', A.floor.float, v)
    case('aten::ceil.float', A.ceil.float, v)
for v in [0.5, 1.5, 2.5, -2.5, 2.675]:
    case('aten::round.float', A.round.float, v)
case('aten::Int.bool', A.Int.bool, True)
case('aten::Int.str', A.Int.str, '42')
case('aten::Int.str', A.Int.str, ' -7 ')
case('aten::Float.str', A.Float.str, '1.5e3')
case('aten::Float.int', A.Float.int, 3)
case('aten::Bool.int', A.Bool.int, 0)
case('aten::Bool.float', A.Bool.float, 0.5)
for v in [4, 2]:
    case('aten::sqrt.int', A.sqrt.int, v)
for v in [2.0, 0.0, -1.0]:
    case('aten::sqrt.float', A.sqrt.float, v)
    case('aten::log.float', A.log.float, v)
    case('aten::exp.float', A.exp.float, v)
case('aten::log.int_int', A.log.int_int, 8, 2)
case('aten::log10.float', A.log10.float, 1000.0)
case('aten::gcd.int', A.gcd.int, 12, -18)
case('aten::isnan.float', A.isnan.float, float('nan'))
case('aten::isinf.float', A.isinf.float, float('-inf'))
case('aten::__range_length', A.__range_length, 0, 10, 3)
case('aten::__range_length', A.__range_length, 10, 0, -3)
case('aten::__range_length', A.__range_length, 5, 5, 1)
case('aten::__derive_index', A.__derive_index, 2, 1, 3)
# strings
for s in ['Hello World', '']:
    case('aten::lower', A.lower, s)
    case('aten::upper', A.upper, s)
    case('aten::len.str', A.len.str, s)
case('aten::isdigit', A.isdigit, '123')
case('aten::isdigit', A.isdigit, '12a')
case('aten::isupper', A.isupper, 'AB1')
case('aten::islower', A.islower, 'Ab')
case('aten::startswith', A.startswith, 'hello', 'he')
case('aten::startswith', A.startswith, 'hello', 'll', 2)
case('aten::endswith', A.endswith, 'hello', 'lo')
case('aten::find', A.find, 'a cpu b', 'cpu')
case('aten::find', A.find, 'a cpu b', 'cpu', 3)
case('aten::find', A.find, 'a cpu b', 'gpu')
case('aten::rfind', A.rfind, 'abcabc', 'bc')
case('aten::replace', A.replace, 'aXbXc', 'X', '--')
case('aten::replace', A.replace, 'aXbXc', 'X', '-', 1)
case('aten::split.str', A.split.str, 'a,b,,c', ',')
case('aten::split.str', A.split.str, '  a b\tc  ')
case('aten::split.str', A.split.str, 'a,b,c', ',', 1)
case('aten::join', A.join, '-', ['a', 'b', 'c'])
case('aten::strip', A.strip, '  x y \n')
case('aten::lstrip', A.lstrip, 'xxhixx', 'x')
case('aten::rstrip', A.rstrip, 'xxhixx', 'x')
case('aten::add.str', A.add.str, 'ab', 'cd')
case('aten::__getitem__.str', A.__getitem__.str, 'abc', -1)
case('aten::__getitem__.str', A.__getitem__.str, 'abc', 5)
case('aten::slice.str', A.slice.str, 'hello', 1, -1, 1)
case('aten::slice.str', A.slice.str, 'hello', None, None, -2)
case('aten::ord', A.ord, 'A')
case('aten::chr', A.chr, 97)
case('aten::splitlines', A.splitlines, 'a\nb\r\nc')
# generic (scripted)
case('aten::str', cu.str_float, 1.0)
for v in [0.1, 1e20, 1.5e-7, 1e16, 1e15, 123456789.123, float('inf'), 1e-4, 1e-5, 2.5, -3.25]:
    case('aten::str', cu.str_float, v)
case('aten::str', cu.str_int, -12)
case('aten::str', cu.str_bool, True)
case('aten::str', cu.str_float_list, [1.0, 2.5])
case('aten::str', cu.str_str_list, ['a', 'b'])
case('aten::str', cu.str_dict, {'a': 1.0})
case('aten::str', cu.str_tuple, (1, 'x'))
case('aten::str', cu.str_none, None)
case('aten::format', cu.format3, 1, 2.0, 'z', opargs=['x={} y={} z={}!', 1, 2.0, 'z'])
case('aten::format', cu.format_list, [1, 2], opargs=['{}|{}', [1, 2], 'end'])
case('aten::len.t', cu.len_list, [1, 2, 3])
case('aten::__getitem__.t', cu.getitem_list, [1, 2, 3], -1)
case('aten::__getitem__.t', cu.getitem_list, [1, 2, 3], 3)
case('aten::append.t', cu.append_list, [1], 2, ret='arg0')
case('aten::_set_item.t', cu.setitem_list, [1, 2], -1, 9, ret='arg0')
case('aten::insert.t', cu.insert_list, [1, 2], 1, 9, ret='arg0')
case('aten::insert.t', cu.insert_list, [1, 2], -5, 9, ret='arg0')
case('aten::insert.t', cu.insert_list, [1, 2], 10, 9, ret='arg0')
case('aten::pop.t', cu.pop_list, [1, 2, 3], 0, ret='op+arg0')
case('aten::pop.t', cu.pop_list, [1, 2, 3], -1, ret='op+arg0')
case('aten::pop.t', cu.pop_list, [], -1, ret='op+arg0')
case('aten::extend.t', cu.extend_list, [1], [2, 3], ret='arg0')
case('aten::slice.t', cu.slice_list, [0, 1, 2, 3, 4, 5], 1, None, 2)
case('aten::slice.t', cu.slice_list, [0, 1, 2, 3, 4, 5], None, None, -1)
case('aten::slice.t', cu.slice_list, [0, 1, 2, 3, 4, 5], -2, 9223372036854775807, 1)
case('aten::slice.t', cu.slice_list, [0, 1, 2, 3, 4, 5], 4, 1, -2)
case('aten::add.t', cu.add_list, [1], [2, 3])
case('aten::mul.left_t', cu.mul_list, [1, 2], 3)
case('aten::__contains__.int_list', cu.contains_list, [1, 2], 2)
case('aten::__contains__.str', cu.contains_dict, {'a': 1}, 'b')
case('aten::keys.str', cu.dict_keys, {'b': 1, 'a': 2})
case('aten::values.str', cu.dict_values, {'b': 1, 'a': 2})
case('aten::items.str', cu.dict_items, {'b': 1, 'a': 2})
case('aten::get.str', cu.dict_get, {'a': 1}, 'z')
case('aten::get.default_str', cu.dict_get_default, {'a': 1}, 'z', opargs=[{'a': 1}, 'z', -1])
case('aten::__getitem__.Dict_str', cu.dict_getitem, {'a': 1}, 'a')
case('aten::__getitem__.Dict_str', cu.dict_getitem, {'a': 1}, 'b')
case('aten::_set_item.str', cu.dict_setitem, {'a': 1}, 'b', 2, ret='arg0')
case('aten::pop.Dict_str', cu.dict_pop, {'a': 1, 'b': 2}, 'a', ret='op+arg0')
case('aten::setdefault.str', cu.dict_setdefault, {'a': 1}, 'a', 5, ret='op+arg0')
case('aten::setdefault.str', cu.dict_setdefault, {'a': 1}, 'b', 5, ret='op+arg0')
case('aten::len.Dict_str', cu.dict_len, {'a': 1, 'b': 2})
case('prim::min.self_int', cu.min_list, [4, -1, 3])
case('prim::max.self_float', cu.max_list, [0.5, 2.5])
case('prim::min.int_list', cu.min_lists, [1, 5], [1, 2, 3])
case('aten::sorted.int', cu.sorted_list, [3, 1, 2])
case('aten::sort.str', cu.sort_rev, ['b', 'c', 'a'], opargs=[['b', 'c', 'a'], True], ret='arg0')
case('aten::index.list_int', cu.list_index, [5, 6, 7], 6)
case('aten::index.list_int', cu.list_index, [5, 6, 7], 9)
case('aten::count.int', cu.list_count, [1, 2, 1], 1)
case('aten::sum.int', cu.sum_list, [1, 2, 3])
case('aten::__is__', cu.is_none, None, opargs=[None, None])
case('aten::__isnot__', cu.isnot_none, 3, opargs=[3, None])
case('aten::list', cu.list_str, 'abc')
for lo, hi, st in [(0, 10, 3), (10, 0, -3), (0, 0, 1)]:
    case('aten::__range_length', cu.range_len, lo, hi, st)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases.json')
with open(out, 'w') as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=0)
print(len(cases), 'cases ->', out)
