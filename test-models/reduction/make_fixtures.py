"""Regenerates the reduction/sorting fixtures with PyTorch 1.13: `/usr/bin/python3 make_fixtures.py`.

Each <op>.json has the OpInfo sample layout ({"op", "samples": [{"dtype", "input", "args",
"kwargs", "output"}]}) so packages/conformance's runSampleFile can run it. The cases stress
what OpInfo samples rarely cover: many ties and NaNs (PyTorch's sort/topk/kthvalue/median/mode
order them by their std:: algorithms), dtype rules, keepdim/negative dims and larger lanes.
"""
import base64, json, os
import numpy as np
import torch

torch.manual_seed(0)
rng = np.random.default_rng(0)
HERE = os.path.dirname(os.path.abspath(__file__))
files = {}


def enc(x):
    if isinstance(x, torch.Tensor):
        t = x.detach().contiguous()
        if t.dtype == torch.bool:
            data = t.numpy().astype(np.uint8).tobytes()
        else:
            data = t.numpy().tobytes()
        return {"tensor": {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": base64.b64encode(data).decode()}}
    if isinstance(x, torch.dtype):
        return {"dtype": str(x).replace("torch.", "")}
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        return {"float": "nan" if x != x else ("inf" if x > 0 else "-inf")}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    return x


errors = []


def add(op, fn, x, *args, **kwargs):
    try:
        out = fn(x, *args, **kwargs)
    except (RuntimeError, IndexError, ValueError) as e:
        # PyTorch rejects the call: torchlet must throw too (except where it supports more, e.g. float16 prod)
        errors.append({"op": op, "dtype": str(x.dtype).replace("torch.", ""), "input": enc(x), "args": enc(list(args)), "kwargs": enc(kwargs), "error": str(e).split("\n")[0]})
        return
    if isinstance(out, tuple):
        out = list(out)
    files.setdefault(op, []).append({"dtype": str(x.dtype).replace("torch.", ""), "input": enc(x), "args": enc(list(args)), "kwargs": enc(kwargs), "output": enc(out)})


def ties_int(*shape, hi=4):
    return torch.from_numpy(rng.integers(0, hi, size=shape)).to(torch.int64)


def ties_float(*shape, nan=True):
    vals = [0.0, 1.0, 2.0, -1.0, float("inf"), float("-inf")] + ([float("nan")] if nan else [])
    return torch.tensor(rng.choice(vals, size=shape), dtype=torch.float32)


def randf(*shape, dtype=torch.float32):
    return torch.randn(*shape).to(dtype)


# ---- sorting and selection with ties and NaNs
for n in [1, 2, 3, 5, 16, 17, 20, 33, 100, 257]:
    for x in [ties_int(n), ties_float(n)]:
        for desc in [False, True]:
            add("sort", torch.sort, x, 0, desc)
            add("sort", torch.sort, x, dim=0, descending=desc, stable=True)
            add("argsort", torch.argsort, x, 0, desc)
        add("msort", torch.msort, x)
add("sort", torch.sort, ties_int(1000, hi=50).to(torch.int32))
add("argsort", torch.argsort, ties_float(1000), descending=True)
for x in [ties_int(40, 3), ties_float(3, 40, 2)]:
    add("sort", torch.sort, x, 1)
    add("sort", torch.sort, x, -2, True)
    add("argsort", torch.argsort, x, dim=0, descending=True, stable=True)

for n, ks in [(5, [1, 3, 5]), (17, [1, 2, 9, 17]), (64, [1, 2, 30]), (65, [1, 2, 40]), (128, [1, 2, 3]), (200, [3, 4, 100]), (700, [1, 10, 11, 350])]:
    for x in [ties_int(n).to(torch.int32), ties_float(n), ties_int(2, n, hi=8).to(torch.int16)]:
        for k in ks:
            add("topk", torch.topk, x, k)
            add("topk", torch.topk, x, k, largest=False)
            add("topk", torch.topk, x, k, -1, True, False)
            add("topk", torch.topk, x, k, -1, False, False)
add("topk", torch.topk, ties_float(30, 4), 7, 0)
add("topk", torch.topk, ties_int(30, 4), 0, 0)

for n in [1, 2, 3, 4, 7, 16, 17, 50, 301]:
    for x in [ties_int(n), ties_float(n), ties_int(3, n, hi=3)]:
        for k in sorted({1, (n + 1) // 2, n}):
            add("kthvalue", torch.kthvalue, x, k)
        add("median", torch.median, x)
        add("median", torch.median, x, -1)
        add("nanmedian", torch.nanmedian, x)
        add("nanmedian", torch.nanmedian, x, -1, True)
        add("mode", torch.mode, x)
        add("cummax", torch.cummax, x, -1)
        add("cummin", torch.cummin, x, -1)
for n in [1, 2, 5, 40]:
    allnan = torch.full((n,), float("nan"))
    add("nanmedian", torch.nanmedian, allnan, 0)
    mixed = ties_float(4, n)
    mixed[1] = float("nan")
    add("nanmedian", torch.nanmedian, mixed, 1)
    add("median", torch.median, mixed, 1)
add("mode", torch.mode, ties_int(4, 30, hi=3), 0, True)
add("mode", torch.mode, torch.tensor([True, False, True, False]))
add("kthvalue", torch.kthvalue, ties_float(20, 3), 4, 0, True)

# ---- dtypes and NaN propagation of plain reductions
for dt in [torch.int32, torch.uint8, torch.int8, torch.int16, torch.float16, torch.float64, torch.bool]:
    x = ties_int(3, 4, hi=9).to(dt)
    add("sum", torch.sum, x)
    add("sum", torch.sum, x, 1, True)
    add("prod", torch.prod, x, 0)
    add("cumsum", torch.cumsum, x, 1)
    add("cumprod", torch.cumprod, x, 0)
    add("amax", torch.amax, x, 1)
    add("amin", torch.amin, x, [0, 1])
    add("max", torch.max, x, 0)
    add("count_nonzero", torch.count_nonzero, x, 1)
    add("any", torch.any, x, 0)
    add("all", torch.all, x)
    add("logsumexp", torch.logsumexp, x, 1)
    add("nansum", torch.nansum, x, 0)
    if dt != torch.bool:
        add("argmax", torch.argmax, x, 1)
        add("argmin", torch.argmin, x)
        add("median", torch.median, x, 1)
x = torch.tensor([[3.5, -2.7, 1.2], [7.9, 0.5, -1.5]])
add("sum", torch.sum, x, dtype=torch.int32)
add("sum", torch.sum, x, 0, dtype=torch.float64)
add("sum", torch.sum, ties_int(3, 4), [1], dtype=torch.bool)
add("prod", torch.prod, ties_int(3, 4), 1, dtype=torch.float32)
add("prod", torch.prod, torch.arange(1, 41).view(2, 20), 1)  # int64 wrap-around
add("cumprod", torch.cumprod, torch.arange(1, 31), 0)
add("cumprod", torch.cumprod, torch.arange(1, 15, dtype=torch.int32), 0, dtype=torch.int32)
add("cumsum", torch.cumsum, x, 0, dtype=torch.int64)
add("mean", torch.mean, ties_int(3, 4), dtype=torch.float32)
add("mean", torch.mean, randf(4, 5, dtype=torch.float16), 1)
add("mean", torch.mean, torch.empty(0, 3), 0)
add("sum", torch.sum, torch.empty(0, 3), 0)
add("prod", torch.prod, torch.empty(0, 3), 0)
add("nanmean", torch.nanmean, ties_float(4, 6), 1)
add("nansum", torch.nansum, ties_float(4, 6), [0, 1])
nanx = ties_float(5, 7)
for op in ["amax", "amin"]:
    add(op, getattr(torch, op), nanx, 1)
for op in ["argmax", "argmin"]:
    add(op, getattr(torch, op), nanx, 1)
    add(op, getattr(torch, op), nanx)
    add(op, getattr(torch, op), nanx, keepdim=True)
add("max", torch.max, nanx, 1, True)
add("min", torch.min, nanx, 0)
add("max", torch.max, nanx)
add("aminmax", torch.aminmax, nanx, dim=1)
add("aminmax", torch.aminmax, nanx)
add("logsumexp", torch.logsumexp, nanx, 1)
add("logsumexp", torch.logsumexp, torch.tensor([[float("inf"), float("inf")], [float("-inf"), float("-inf")]]), 1)
add("logcumsumexp", torch.logcumsumexp, nanx, 1)
add("logcumsumexp", torch.logcumsumexp, randf(6, 5, dtype=torch.float64), 0)

# ---- multi-dim reductions, keepdim, negative dims
y = randf(3, 4, 5, 2)
for dims in [[0, 2], [1, 3], [-1, 0], [0, 1, 2, 3], [2], [-3, -2]]:
    add("sum", torch.sum, y, dims, True)
    add("mean", torch.mean, y, dims)
    add("amax", torch.amax, y, dims)
    add("logsumexp", torch.logsumexp, y, dims, True)
    add("var", torch.var, y, dims, False, True)
    add("std", torch.std, y, dims, correction=0)
    add("nansum", torch.nansum, y, dims)
    add("count_nonzero", torch.count_nonzero, (y > 0).to(torch.int32), dims)
    add("norm", torch.norm, y, 3, dims, True)
for d in [0, 1, 2, -1]:
    add("softmax", torch.softmax, y, d)
    add("log_softmax", torch.log_softmax, y, d)
    add("cumsum", torch.cumsum, y, d)
    add("cummax", torch.cummax, y, d)
    add("logcumsumexp", torch.logcumsumexp, y, d)
    add("var_mean", torch.var_mean, y, d)
    add("std_mean", torch.std_mean, y, [d], correction=2, keepdim=True)
    add("max", torch.max, y, d)
    add("argmin", torch.argmin, y, d, True)
    add("sort", torch.sort, y, d)
    add("topk", torch.topk, y, 2, d)

# ---- softmax family: dtypes, implicit dim, special values
F = torch.nn.functional
add("softmax", torch.softmax, randf(3, 5, dtype=torch.float64), 1)
add("softmax", torch.softmax, ties_int(3, 5), 1, dtype=torch.float32)
add("softmax", torch.softmax, torch.tensor([[float("inf"), 1.0], [float("-inf"), float("-inf")], [float("-inf"), 1.0]]), 1)
add("log_softmax", torch.log_softmax, torch.tensor([[float("-inf"), 1.0], [0.0, 1000.0]]), 1)
add("softmax", torch.softmax, torch.empty(0, 4), 1)
for shape in [(5,), (4, 6), (2, 3, 4), (2, 3, 4, 2)]:
    z = randf(*shape)
    add("nn.functional.softmax", F.softmax, z)
    add("nn.functional.log_softmax", F.log_softmax, z)
    add("nn.functional.softmin", F.softmin, z)
add("nn.functional.softmax", F.softmax, randf(3, 4), dim=0, dtype=torch.float64)
add("nn.functional.log_softmax", F.log_softmax, randf(3, 4), -1, 3, torch.float64)
add("nn.functional.softmin", F.softmin, randf(3, 4), 1)

# ---- norms through torch.norm (torch/functional.py) and the ATen overloads
w = randf(4, 5)
for p in [2, 1, 0, 3, 0.5, -1, float("inf"), float("-inf")]:
    add("norm", torch.norm, w, p)
    add("norm", torch.norm, w, p, 1)
    add("norm", torch.norm, w, p=p, dim=[0], keepdim=True)
add("norm", torch.norm, w)
add("norm", torch.norm, w, dim=1)
add("norm", torch.norm, w, "fro", [0, 1], True)
add("norm", torch.norm, w, 2, 1, dtype=torch.float64)
add("norm", torch.norm, randf(2, 3, 4), "fro")
add("norm", torch.norm, torch.empty(0, 3), float("inf"), 0)
add("frobenius_norm", torch.frobenius_norm, w, [1], True)

# ---- var/std overloads
v = randf(4, 6)
add("var", torch.var, v, False)
add("var", torch.var, v, 1)
add("var", torch.var, v, dim=1, correction=3)
add("var", torch.var, v, dim=None, correction=None, keepdim=True)
add("std", torch.std, v, 0, True, True)
add("std", torch.std, v, dim=0, correction=6)
add("var", torch.var, torch.ones(1, 3), 0)
add("std_mean", torch.std_mean, v, False)
add("var_mean", torch.var_mean, v, [0, 1], correction=0)

# ---- nuclear norm (sum of singular values)
add("norm", torch.norm, randf(4, 6), "nuc")
add("norm", torch.norm, randf(3, 5, 2), "nuc", [2, 0], True)
add("nuclear_norm", torch.nuclear_norm, randf(5, 5, 3, dtype=torch.float64), [0, 1])
add("nuclear_norm", torch.nuclear_norm, torch.tensor([[1.0, 2.0], [2.0, 4.0]]))

# ---- calls PyTorch rejects (errors/errors.json): torchlet must throw as well
xi = ties_int(3, 4)
add("mean", torch.mean, xi)
add("mean", torch.mean, randf(3), dtype=torch.int32)
add("nanmean", torch.nanmean, xi)
add("var", torch.var, xi)
add("std_mean", torch.std_mean, xi, 0)
add("softmax", torch.softmax, xi, 1)
add("log_softmax", torch.log_softmax, xi.bool(), 0)
add("logcumsumexp", torch.logcumsumexp, xi, 0)
add("max", torch.max, torch.empty(0))
add("max", torch.max, torch.empty(0, 3), 0)
add("amax", torch.amax, torch.empty(0, 3))
add("amin", torch.amin, torch.empty(2, 0), 1)
add("argmax", torch.argmax, torch.empty(0))
add("argmin", torch.argmin, torch.empty(0, 2), 0)
add("argmax", torch.argmax, xi.bool())
add("aminmax", torch.aminmax, torch.empty(0))
add("median", torch.median, torch.empty(0, 2), 0)
add("median", torch.median, xi.bool())
add("mode", torch.mode, torch.empty(2, 0))
add("kthvalue", torch.kthvalue, randf(4), 5)
add("kthvalue", torch.kthvalue, randf(4), 0)
add("kthvalue", torch.kthvalue, xi.bool(), 1)
add("topk", torch.topk, randf(4), 5)
add("topk", torch.topk, xi.bool(), 1)
add("sum", torch.sum, randf(3, 4), [0, -2])
add("sum", torch.sum, randf(3, 4), 2)
add("cumsum", torch.cumsum, xi, 0, dtype=torch.bool)
add("norm", torch.norm, xi, 2)
add("norm", torch.norm, randf(3, 3), "bad")
add("norm", torch.norm, randf(2, 2, 2), "fro", [0, 1, 2])
add("norm", torch.norm, randf(2, 2), "fro", dtype=torch.float64)
add("nuclear_norm", torch.nuclear_norm, randf(2, 2, 2))
add("logsumexp", torch.logsumexp, randf(2, 2), [])
add("nansum", torch.nansum, randf(3), dtype=torch.int32)

for op, samples in files.items():
    path = os.path.join(HERE, op + ".json")
    with open(path, "w") as f:
        json.dump({"op": op, "variant": "", "aten": op.split(".")[-1], "samples": samples}, f, separators=(",", ":"))
os.makedirs(os.path.join(HERE, "errors"), exist_ok=True)
with open(os.path.join(HERE, "errors", "errors.json"), "w") as f:
    json.dump(errors, f, separators=(",", ":"))
print({k: len(v) for k, v in files.items()}, len(errors), "errors")
