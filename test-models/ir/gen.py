"""TorchScript functions and a module: PyTorch 1.13's graph text (inlined), inputs and outputs.
The IR tests parse the graph text with @torchlet/ir's parser, run it with the interpreter and
compare with these outputs. Run: /usr/bin/python3 test-models/ir/gen.py (writes scripted.json).

Encoding: tensors {"tensor": {"dtype", "shape", "data"}}, floats {"float": x}, tuples
{"tuple": [...]}, dicts {"dict": [[k, v], ...]}, errors {"error": "<last message line>"}.
"""
import json, math, os
from typing import Dict, List, Optional, Tuple
import torch
from torch import Tensor

torch.manual_seed(0)

@torch.jit.script
def helper(x: Tensor) -> Tensor:
    return torch.relu(x) * 2

@torch.jit.script
def f_arith(a: int, b: float, x: Tensor) -> Tuple[int, float, Tensor]:
    c = a * 3 + a // 2 - a % 3
    d = b / 2 + a ** 2
    y = x * b + a
    return c, d, y

@torch.jit.script
def f_loop(x: Tensor, n: int) -> Tensor:
    y = x
    for i in range(n):
        y = y * 2 + i
    return y

@torch.jit.script
def f_while(n: int) -> List[int]:
    out: List[int] = []
    i = 0
    while i < n:
        if i % 2 == 0:
            out.append(i * i)
        i += 1
        if i > 7:
            break
    return out

@torch.jit.script
def f_if(x: Tensor, flag: bool) -> Tensor:
    if flag and bool(x.sum() > 0):
        return x.relu()
    else:
        return -x

@torch.jit.script
def f_dict(keys: List[str]) -> Dict[str, int]:
    d: Dict[str, int] = {}
    for i, k in enumerate(keys):
        d[k] = i * 10
    if "b" in d:
        d["b"] += 1
    return d

@torch.jit.script
def f_str(name: str, n: int, v: float) -> str:
    return "{}-{}-{}".format(name.upper(), n, v) + str([1, 2])

@torch.jit.script
def f_tuple(x: Tensor) -> Tuple[Tensor, int]:
    t = (x, x.dim())
    a, b = t
    return a.view(-1), b + len(x.size())

@torch.jit.script
def f_shape(x: Tensor) -> Tensor:
    n = x.size(0)
    y = x.reshape(n, -1).permute(1, 0).contiguous()
    return y.transpose(0, 1).clone() * float(n)

@torch.jit.script
def f_promote(x: Tensor, k: float) -> Tuple[Tensor, Tensor]:
    return torch.add(x, 2.0), x * k

@torch.jit.script
def f_raise(x: int) -> int:
    if x < 0:
        raise ValueError("negative: " + str(x))
    return x

@torch.jit.script
def f_assert(x: int) -> int:
    assert x < 10, "too big"
    return x + 1

@torch.jit.script
def f_optional(x: Optional[Tensor], y: Tensor) -> Tensor:
    if x is None:
        return y
    return x + y

@torch.jit.script
def f_listops(l: List[int]) -> List[int]:
    m = l[1:] + [max(l), min(l)]
    m.insert(0, len(l))
    m[1] = -1
    return sorted(m)

@torch.jit.script
def f_inplace(x: Tensor) -> Tensor:
    y = x.clone()
    y.add_(1)
    z = y.view(-1)
    z.mul_(2)
    return y

@torch.jit.script
def f_call(x: Tensor) -> Tensor:
    return helper(x) + helper(x * 2)

@torch.jit.script
def f_tensor_list(x: Tensor) -> Tuple[List[Tensor], Tensor]:
    parts: List[Tensor] = []
    for i in range(x.size(0)):
        parts.append(x[i] * (i + 1))
    return parts, torch.cat(parts)

@torch.jit.script
def f_scalars(x: Tensor) -> Tuple[int, float, bool]:
    s = x.sum()
    return int(s), float(s) / 3, bool(s > 1)

@torch.jit.script
def f_builtins(x: Tensor, l: List[int], k: float) -> Tuple[Tensor, Tensor, Tensor, Tensor, List[List[float]], bool, bool, List[int], int]:
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([[1, 2], [3, 4]])
    c = torch.tensor(2.0)
    d = torch.tensor([True, False])
    t: List[List[float]] = x.tolist()
    flags = [l[0] > 0, l[1] > 0]
    del l[0]
    return a, b, c, d, t, all(flags), any(flags), l, int(k)

@torch.jit.script
def f_sorted(l: List[int], names: List[str]) -> Tuple[List[int], List[str]]:
    return sorted(l), sorted(names)

class Sub(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = 3
        self.w = torch.nn.Parameter(torch.tensor([[1.0, -2.0], [0.5, 4.0]]))
    def forward(self, x: Tensor) -> Tensor:
        return torch.matmul(x, self.w) * self.scale

class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.sub = Sub()
        self.bias = torch.nn.Parameter(torch.tensor([0.25, -0.5]))
        self.count = 0
    def forward(self, x: Tensor) -> Tuple[Tensor, int]:
        self.count += 1
        return self.sub(x) + self.bias, self.count

def enc(v):
    if isinstance(v, torch.Tensor):
        t = v.detach().contiguous()
        return {"tensor": {"dtype": str(t.dtype).replace('torch.', ''), "shape": list(t.shape), "data": [float(e) if t.is_floating_point() else (bool(e) if t.dtype == torch.bool else int(e)) for e in t.reshape(-1).tolist()]}}
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

def run(fn, args):
    import copy
    try:
        return enc(fn(*copy.deepcopy(args)))
    except Exception as e:
        return {"error": [l for l in str(e).split('\n') if l.strip()][-1]}

x23 = torch.tensor([[1.5, -2.0, 0.5], [3.0, -0.25, 2.0]])
cases = [
    ("f_arith", f_arith, [[7, 2.5, x23], [-5, 1.0, x23]]),
    ("f_loop", f_loop, [[x23, 3], [x23, 0]]),
    ("f_while", f_while, [[5], [20], [0]]),
    ("f_if", f_if, [[x23, True], [x23, False], [-x23.abs(), True]]),
    ("f_dict", f_dict, [[["a", "b", "c"]], [["x"]]]),
    ("f_str", f_str, [["ab", 3, 2.0], ["q", -1, 0.1]]),
    ("f_tuple", f_tuple, [[x23]]),
    ("f_shape", f_shape, [[x23]]),
    ("f_promote", f_promote, [[torch.tensor([1, 2, 3]), 2.0], [torch.tensor([1, 2, 3]), 0.5]]),
    ("f_raise", f_raise, [[3], [-2]]),
    ("f_assert", f_assert, [[3], [12]]),
    ("f_optional", f_optional, [[None, x23], [x23, x23]]),
    ("f_listops", f_listops, [[[5, 3, 9, 1]]]),
    ("f_inplace", f_inplace, [[x23]]),
    ("f_call", f_call, [[x23]]),
    ("f_tensor_list", f_tensor_list, [[x23]]),
    ("f_scalars", f_scalars, [[x23], [torch.tensor([1, 2])]]),
    ("f_builtins", f_builtins, [[x23, [3, -1], float('inf')], [x23, [1, 2], -2.5]]),
    ("f_sorted", f_sorted, [[[3, 1, 2], ['b', 'a']]]),
]
out = {"torch": torch.__version__, "functions": []}
for name, fn, arg_sets in cases:
    out["functions"].append({
        "name": name,
        "graph": str(fn.inlined_graph).replace(os.path.abspath(__file__), "gen.py"),
        "runs": [{"inputs": [enc(a) for a in args], "outputs": run(fn, args)} for args in arg_sets],
    })

m = torch.jit.script(M())
out["module"] = {
    "forward": str(m.forward.graph).replace(os.path.abspath(__file__), "gen.py"),
    "sub_forward": str(m.sub.forward.graph).replace(os.path.abspath(__file__), "gen.py"),
    "sub_w": enc(m.sub.w), "bias": enc(m.bias),
    "x": enc(x23[:, :2]),
    "outputs": [enc(m(x23[:, :2])), enc(m(x23[:, :2]))],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'scripted.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
print('wrote', path)
