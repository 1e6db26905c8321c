"""Hand-written TorchScript functions (full Python syntax: infix operators, elif, break/continue,
early return, comprehensions, ternaries, chained comparisons). Each is checked by torch.jit.script
(so it is valid TorchScript) and its expected outputs come from TorchScript itself.
Writes ../cases/source_cases.json with the source text and calls."""
import inspect, json, os
from typing import Dict, List, Optional, Tuple
import torch

SRC = '''
def collatz(n: int) -> List[int]:
    out: List[int] = [n]
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        elif n % 3 == 0:
            n = n * 3 + 1
        else:
            n = 3 * n + 1
        out.append(n)
        if len(out) > 50:
            break
    return out

def first_index(xs: List[int], target: int) -> int:
    for i, x in enumerate(xs):
        if x == target:
            return i
    return -1

def classify(x: float) -> str:
    if x < 0.0:
        return "neg"
    elif x == 0.0:
        return "zero"
    elif 0.0 < x <= 1.0:
        return "small"
    return "big"

def skip_odd_sum(xs: List[int]) -> int:
    total = 0
    for x in xs:
        if x % 2 == 1:
            continue
        if x > 100:
            break
        total += x
    return total

def comprehension(xs: List[int]) -> List[int]:
    ys = [x * x for x in xs]
    zs = [y - 1 for y in ys]
    return [a + b for a, b in zip(ys, zs)]

def words(s: str) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for w in s.split(" "):
        if w == "":
            continue
        counts[w] = counts.get(w, 0) + 1
    return counts

def maybe_add(a: int, b: Optional[int]) -> int:
    if b is None:
        return a
    return a + b

def nested_loops(n: int) -> Tuple[int, int]:
    found = -1
    count = 0
    for i in range(n):
        for j in range(n):
            count += 1
            if i * j == 6:
                found = i * 10 + j
                break
        if found >= 0:
            break
    return found, count

def tensor_math(x: torch.Tensor, k: int) -> torch.Tensor:
    y = x * 2 + 1
    y = y ** 2 - x / 4
    if k > 1:
        y = y @ y.t()
    z = -y if k % 2 == 0 else y
    return z[0] if k > 2 else z

def bits(a: int, b: int) -> List[int]:
    return [a & b, a | b, a ^ b, a << 2, a >> 1, a // b, a % b, -a // b, -a % b]

def ranges(a: int, b: int, s: int) -> List[int]:
    out: List[int] = []
    for i in range(a, b, s):
        out.append(i)
    for i in range(b, a, -s):
        out.append(i * 100)
    return out

class Counter:
    def __init__(self, start: int):
        self.count = start
        self.seen: List[str] = []

    def add(self, name: str, k: int = 1) -> int:
        self.count += k
        self.seen.append(name)
        return self.count

def use_class(names: List[str]) -> Tuple[int, List[str]]:
    c = Counter(10)
    for n in names:
        c.add(n, len(n))
    c.add("end")
    return c.count, c.seen

def nn_calls(x: torch.Tensor, w: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    with torch.no_grad():
        a = torch.nn.functional.relu(x)
    b = torch.nn.functional.softmax(x, dim=-1)
    c = torch._C._nn.linear(x, w)
    return a, b, c

def formatting(d: Dict[str, int], t: Tuple[int, float]) -> List[str]:
    out: List[str] = []
    for k, v in d.items():
        out.append("{}={}".format(k, v))
    for k in d:
        out.append(k + "!")
    a, b = t
    out.append("{} and {}".format(a, b))
    return out

def helper(x: int) -> int:
    return x * 3

def calls_helper(xs: List[int]) -> int:
    total = 0
    for x in xs:
        total += helper(x) if x > 0 else -helper(-x)
    return total

def opt_tensor(x: torch.Tensor, y: Optional[torch.Tensor]) -> torch.Tensor:
    if isinstance(y, torch.Tensor):
        return x + y
    return x * 2

def str_ops(s: str) -> List[str]:
    return [s.lower(), s.upper(), s.strip(), s.replace("a", "o"), s[1:], s[-2:], str(len(s)), s + "!"]
'''

CALLS = [
    ('collatz', [6]), ('collatz', [27]),
    ('first_index', [[5, 3, 9, 3], 3]), ('first_index', [[1, 2], 7]),
    ('classify', [-1.5]), ('classify', [0.0]), ('classify', [0.5]), ('classify', [3.0]),
    ('skip_odd_sum', [[1, 2, 3, 4, 200, 6]]),
    ('comprehension', [[1, 2, 3, 4]]),
    ('words', ["the cat the  dog cat the"]),
    ('maybe_add', [3, None]), ('maybe_add', [3, 4]),
    ('nested_loops', [5]), ('nested_loops', [2]),
    ('tensor_math', ['T:2x2', 1]), ('tensor_math', ['T:2x2', 2]), ('tensor_math', ['T:2x2', 3]),
    ('bits', [13, 5]), ('bits', [-7, 3]),
    ('ranges', [1, 10, 3]),
    ('str_ops', ["  Banana "]),
    ('use_class', [["ab", "cde"]]),
    ('nn_calls', ['T:2x2', 'T:2x2']),
    ('formatting', [{"x": 1, "yy": 22}, (3, 0.5)]),
    ('calls_helper', [[1, -2, 3]]),
    ('opt_tensor', ['T:2x2', 'T:2x2']), ('opt_tensor', ['T:2x2', None]),
]

def enc(v):
    if isinstance(v, torch.Tensor):
        return {"tensor": v.tolist(), "dtype": str(v.dtype).replace('torch.', ''), "shape": list(v.shape)}
    if isinstance(v, tuple):
        return {"tuple": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {"dict": [[k, enc(x)] for k, x in v.items()]}
    return v

def main():
    import importlib.util, tempfile
    tmp = os.path.join(tempfile.mkdtemp(), 'ts_source_cases.py')
    with open(tmp, 'w') as f:
        f.write('from typing import Dict, List, Optional, Tuple\nimport torch\n' + SRC)
    spec = importlib.util.spec_from_file_location('ts_source_cases', tmp)
    mod = importlib.util.module_from_spec(spec)
    import sys
    sys.modules['ts_source_cases'] = mod
    spec.loader.exec_module(mod)
    ns = vars(mod)
    torch.manual_seed(1)
    out = []
    for name, args in CALLS:
        fn = torch.jit.script(ns[name])
        real = [torch.randn(2, 2) if a == 'T:2x2' else a for a in args]
        res = fn(*real)
        out.append({"fn": name, "args": [enc(a) for a in real], "result": enc(res)})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'cases', 'source_cases.json')
    with open(path, 'w') as f:
        json.dump({"source": SRC, "calls": out}, f, indent=1)
    print('wrote', path)

main()
