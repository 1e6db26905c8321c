"""Generates small scripted TorchScript archives + io fixtures for constructs the reference models miss.
Run with /usr/bin/python3 (torch 1.13): python3 make_cases.py  (writes next to this file's parent folder)."""
import base64, json, os, sys
from typing import Dict, List, Optional, Tuple
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'cases')
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)

def enc(v):
    if isinstance(v, torch.Tensor):
        t = v.detach().contiguous()
        return {"__tensor__": True, "dtype": str(t.dtype).replace('torch.', ''), "shape": list(t.shape),
                "data_b64": base64.b64encode(t.numpy().tobytes()).decode()}
    if isinstance(v, tuple):
        return {"__tuple__": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {"__dict__": [[k, enc(x)] for k, x in v.items()]}
    if isinstance(v, float) and (v != v or v in (float('inf'), float('-inf'))):
        return {"__float__": str(v)}
    return v

def save(name, mod, calls):
    m = torch.jit.script(mod)
    path = os.path.join(OUT, name + '.pt')
    torch.jit.save(m, path)
    loaded = torch.jit.load(path)
    fixtures = []
    for method, args in calls:
        out = getattr(loaded, method)(*args)
        ref = getattr(mod, method)(*args) if hasattr(mod, method) else out
        fixtures.append({"method": method, "inputs": [enc(a) for a in args], "output": enc(out)})
    with open(os.path.join(OUT, name + '.io.json'), 'w') as f:
        json.dump({"model": name + '.pt', "calls": fixtures}, f)
    print('wrote', name)

class Loops(nn.Module):
    def forward(self, x: torch.Tensor, n: int) -> Tuple[torch.Tensor, List[int]]:
        acc: List[int] = []
        for i in range(10):
            if i == 1:
                continue
            if i > n:
                break
            acc.append(i * 2)
        j = 0
        while True:
            j += 1
            if j % 2 == 0:
                continue
            if j > 7:
                break
            x = x + j
        k = 0
        for a in range(3):
            for b in range(3):
                if b > a:
                    break
                k += a * 10 + b
        acc.append(k)
        return x, acc

class EnumZip(nn.Module):
    def __init__(self):
        super().__init__()
        self.names: List[str] = ['a', 'b', 'c']
        self.scales: List[float] = [0.5, 1.5, 2.0, 9.0]
    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        out: Dict[str, torch.Tensor] = {}
        for i, name in enumerate(self.names):
            out[name] = x * float(i)
        for name, s in zip(self.names, self.scales):
            out[name] = out[name] + s
        for i, s in enumerate(self.scales, 1):
            if i == 4:
                out['last'] = x - s
        total = torch.zeros_like(x)
        for k, v in out.items():
            total = total + v
        for k in out.keys():
            total = total + 1
        out['total'] = total
        return out

class Strings(nn.Module):
    def forward(self, s: str, n: int) -> Tuple[str, List[str], int, bool, str]:
        parts = s.split(',')
        joined = '-'.join(parts)
        up = joined.upper()
        msg = "{}:{}".format(up, n)
        cnt = 0
        for p in parts:
            if p.startswith('a') or 'z' in p:
                cnt += len(p)
        stripped = '  pad  '.strip()
        flag = s.endswith('c') and not s.isdigit()
        sub = s[1:4] + str(n) + stripped.replace('a', 'A')
        return msg, parts, cnt, flag, sub

class Block(nn.Module):
    def __init__(self, k: int):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.k = k
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.lin(x)) * self.k

class Containers(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleDict({'one': Block(1), 'two': Block(2)})
        self.layers = nn.ModuleList([Block(3), Block(4), Block(5)])
        self.seq = nn.Sequential(nn.Linear(4, 4), nn.Tanh())
    def forward(self, x: torch.Tensor, which: str) -> Tuple[torch.Tensor, List[str]]:
        names: List[str] = []
        for name, b in self.blocks.items():
            x = b(x)
            names.append(name)
        for i, layer in enumerate(self.layers):
            if i != 1:
                x = layer(x) / 10.0
        x = self.seq(x)
        y = self.layers[0](x)
        return x + y.mean(), names

class Optionals(nn.Module):
    def __init__(self):
        super().__init__()
        self.bias: Optional[torch.Tensor] = torch.tensor([1.0, 2.0])
        self.scale: Optional[float] = None
    def forward(self, x: torch.Tensor, extra: Optional[torch.Tensor] = None, k: Optional[int] = None) -> torch.Tensor:
        if extra is not None:
            x = x + extra
        if k is None:
            k = 3
        b = self.bias
        if b is not None and k > 2:
            x = x + b * k
        if self.scale is None:
            x = x * 2
        y: Optional[torch.Tensor] = None
        for i in range(2):
            if y is None:
                y = x
            else:
                y = y + x
        assert y is not None
        return y if k > 0 else -y

class Indexing(nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, int]:
        a = x[0, 1:]
        b = x[..., -1]
        c = x[:, None, ::2]
        y = x.clone()
        y[0] = 7.0
        y[1, 1:3] += 1.5
        d = x.view(-1)[2:8].reshape(2, 3)
        n = x.size(0) * x.dim() + len(x.shape)
        return a, b, c, y + d.sum(), n

class Arith(nn.Module):
    def forward(self, a: int, b: int, f: float) -> Tuple[int, int, float, float, int, bool, int, float]:
        q = a // b
        r = a % b
        t = a / b
        p = f ** 2 + a ** 2
        bits = (a & b) | (a ^ 3) << 1
        cmp = a < b <= 100 != a
        m = max(a, b) - min(a, b) + abs(-a)
        g = -f if a > b else f * 2
        return q, r, t, p, bits, cmp, m, g

class ListOps(nn.Module):
    def forward(self, xs: List[int]) -> Tuple[List[int], List[int], int, List[int], bool]:
        ys = [x * x for x in xs]
        zs = sorted(xs)
        zs.reverse()
        total = len(xs) * 2 if len(xs) > 0 else -1
        ws = xs[1:3] + [10, 20]
        ws.insert(0, 5)
        ws.pop()
        has = 3 in xs
        return ys, zs, total, ws, has

class EarlyReturn(nn.Module):
    def forward(self, x: torch.Tensor, n: int) -> torch.Tensor:
        if n < 0:
            raise ValueError("negative n: " + str(n))
        for i in range(n):
            if i == 3:
                return x * 100
        if n == 0:
            return x
        return x + n

class WithState(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.tensor([1.0, 2.0, 3.0])
        self.k = 3
        self.tag = "v1"

    @torch.jit.export
    def __getstate__(self) -> Tuple[torch.Tensor, int, str, bool]:
        return (self.w * 2, self.k + 1, self.tag + "!", self.training)

    @torch.jit.export
    def __setstate__(self, state: Tuple[torch.Tensor, int, str, bool]) -> None:
        self.w = state[0] / 2
        self.k = state[1] - 1
        self.tag = state[2]
        self.training = state[3]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, str]:
        return x * self.w + self.k, self.tag

def run():
    x34 = torch.randn(3, 4)
    save('loops', Loops(), [('forward', (torch.randn(2, 3), 4)), ('forward', (torch.randn(2), 0))])
    save('enum_zip', EnumZip(), [('forward', (torch.randn(2, 2),))])
    save('strings', Strings(), [('forward', ('abc,xyz,za,q', 7)), ('forward', ('12', -1))])
    save('containers', Containers(), [('forward', (torch.randn(2, 4), 'one'))])
    save('optionals', Optionals(), [('forward', (torch.randn(2),)), ('forward', (torch.randn(2), torch.randn(2), 5)), ('forward', (torch.randn(2), None, 1))])
    save('indexing', Indexing(), [('forward', (torch.randn(3, 4),))])
    save('arith', Arith(), [('forward', (17, 5, 1.5)), ('forward', (-7, 2, -0.25)), ('forward', (3, 9, 2.0))])
    save('list_ops', ListOps(), [('forward', ([3, 1, 4, 1, 5, 9, 2],)), ('forward', ([],))])
    save('with_state', WithState(), [('forward', (torch.randn(3),))])
    save('early_return', EarlyReturn(), [('forward', (torch.randn(2), 5)), ('forward', (torch.randn(2), 0)), ('forward', (torch.randn(2), 2))])

if __name__ == '__main__':
    run()
