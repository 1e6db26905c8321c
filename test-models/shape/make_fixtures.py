"""Regenerates the shape/factory/indexing/random fixtures with PyTorch 1.13:
`/usr/bin/python3 test-models/shape/make_fixtures.py`.

Writes test-models/{shape,factory,indexing}/<op>.json in the OpInfo sample layout ({"op",
"samples": [{"dtype", "input", "args", "kwargs", "output"}]}) that packages/conformance's
runSampleFile runs, plus errors.json (calls PyTorch rejects, with its message), and
test-models/random/cases.json (values drawn after torch.manual_seed). The cases cover what the
OpInfo samples rarely do: negative/out-of-range dims and indices, Python slice clamping, dtype
promotion in cat, non-adjacent advanced indices, accumulate with duplicates, std::unordered_set
order of unique(sorted=False), the vector/scalar split of arange/linspace, and PyTorch's messages.
"""
import base64, json, os
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
torch.manual_seed(0)
files = {"shape": {}, "factory": {}, "indexing": {}}
errors = {"shape": [], "factory": [], "indexing": []}


def enc(x):
    if isinstance(x, torch.Tensor):
        t = x.detach().contiguous()
        data = t.numpy().astype(np.uint8).tobytes() if t.dtype == torch.bool else t.numpy().tobytes()
        return {"tensor": {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": base64.b64encode(data).decode()}}
    if isinstance(x, torch.dtype):
        return {"dtype": str(x).replace("torch.", "")}
    if isinstance(x, slice) or x is Ellipsis:
        return "..." if x is Ellipsis else f"{'' if x.start is None else x.start}:{'' if x.stop is None else x.stop}" + ("" if x.step is None else f":{x.step}")
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        return {"float": "nan" if x != x else ("inf" if x > 0 else "-inf")}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    return x


def dtype_of(x):
    if isinstance(x, torch.Tensor):
        return str(x.dtype).replace("torch.", "")
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], torch.Tensor):
        return dtype_of(x[0])
    return "none"


def add(group, op, fn, x, *args, **kwargs):
    """op: torchlet's Python name (nn.functional.* for F); fn: the PyTorch callable."""
    try:
        out = fn(x, *args, **kwargs)
    except (RuntimeError, IndexError, ValueError, TypeError, AssertionError, NotImplementedError) as e:
        msg = str(e).split("\n")[0]
        if "but got: " in msg and op == "meshgrid":
            msg = msg.split("but got: ")[0]  # PyTorch prints the tensor's values here
        errors[group].append({"op": op, "dtype": dtype_of(x), "input": enc(x), "args": enc(list(args)), "kwargs": enc(kwargs), "error": msg})
        return
    if isinstance(out, tuple):
        out = list(out)
    files[group].setdefault(op, []).append({"dtype": dtype_of(x), "input": enc(x), "args": enc(list(args)), "kwargs": enc(kwargs), "output": enc(out)})


def r(*shape, dtype=torch.float32):
    if dtype == torch.bool:
        return torch.rand(shape) > 0.5
    if dtype.is_floating_point:
        return torch.randn(shape).to(dtype)
    return torch.randint(-9, 10, shape).to(dtype)


S = "shape"
# ---------------------------------------------------------------- views
x3 = r(4, 5, 6)
for size in [[4, 5, 6], [2, 4, 5, 6], [-1, 5, -1], [3, 4, 5, 6], [4, 1, 6], [5, 6], [-1, 4, 5, 6]]:
    add(S, "expand", torch.Tensor.expand, r(4, 1, 6), size)
add(S, "expand", torch.Tensor.expand, r(1), [0])
add(S, "expand", torch.Tensor.expand, r(3, 1), [2, 0, 4])
add(S, "broadcast_to", torch.broadcast_to, r(3, 1), [2, 3, 5])
add(S, "broadcast_to", torch.broadcast_to, r(3, 2), [3, 3])
for d in [0, 1, -1, -4, 3, 4, -5]:
    add(S, "unsqueeze", torch.unsqueeze, x3, d)
    add(S, "squeeze", torch.squeeze, r(1, 3, 1, 2), d)
for d, i in [(0, 0), (1, -1), (-1, 5), (2, -6), (2, 6), (3, 0), (0, -5)]:
    add(S, "select", torch.select, x3, d, i)
add(S, "select", torch.select, r(), 0, 0)
for kw in [dict(dim=1, start=None, end=None), dict(dim=1, start=-3), dict(dim=0, start=1, end=100), dict(dim=2, start=-100, end=-2, step=2),
           dict(dim=2, start=4, end=2), dict(dim=-1, start=5, end=6, step=3), dict(dim=2, start=7, end=9), dict(dim=1, start=0, end=5, step=0),
           dict(dim=2, start=None, end=-1, step=4), dict(dim=3, start=0)]:
    add(S, "slice", lambda t, **k: torch.ops.aten.slice(t, **k), x3, **kw)
for d, s, l in [(0, 0, 4), (1, -2, 2), (2, 6, 0), (2, 5, 2), (2, -7, 1), (-1, 1, 3), (0, 4, 1), (1, 0, -1)]:
    add(S, "narrow", torch.narrow, x3, d, s, l)
    add(S, "narrow_copy", torch.narrow_copy, x3, d, s, l)
add(S, "narrow", torch.narrow, x3, 1, torch.tensor(-2), 2)
add(S, "narrow", torch.narrow, r(), 0, 0, 1)
for t in [r(), r(3), r(2, 3)]:
    add(S, "t", torch.t, t)
    add(S, "T", lambda v: v.T, t)
    add(S, "adjoint", torch.adjoint, t)
add(S, "t", torch.t, r(2, 3, 4))
add(S, "T", lambda v: v.T, r(2, 3, 4))
add(S, "mT", lambda v: v.mT, r(3))
add(S, "H", lambda v: v.H, r(2, 3, 4))
for d in [0, 1, -1, 2, -3, 3]:
    add(S, "unbind", torch.unbind, x3, d)
add(S, "unbind", torch.unbind, r(), 0)
for a in [(2,), (3, 1), (4, -1), (0,), (7, 2), (-1,), (6, 3)]:
    add(S, "split", torch.split, x3, *a)
add(S, "split", torch.split, r(0, 3), 0)
for sizes, d in [([1, 3], 0), ([2, 2, 1], 1), ([6], -1), ([0, 4, 0, 1], 1), ([2, 2], 1), ([1, -1, 5], 1)]:
    add(S, "split", torch.split, x3, sizes, d)
    add(S, "split_with_sizes", torch.split_with_sizes, x3, sizes, d)
for a in [(2,), (3, 1), (4, -1), (7, 2), (1, 0), (0,), (-1,), (6, 3)]:
    add(S, "chunk", torch.chunk, x3, *a)
add(S, "chunk", torch.chunk, r(0, 3), 3)
add(S, "chunk", torch.chunk, r(13), 5)
add(S, "chunk", torch.chunk, r(), 2)
for a in [(3,), (7, 2), ([1, 3], 1), ([5, 2], 2), ([-1, 100], 0), ([], 1), (torch.tensor(2), 1), (torch.tensor([0, 2]), -1), (0,)]:
    add(S, "tensor_split", torch.tensor_split, x3, *a)
for op, fn in [("hsplit", torch.hsplit), ("vsplit", torch.vsplit), ("dsplit", torch.dsplit)]:
    for a in [2, 3, [1, 3], [10]]:
        add(S, op, fn, x3, a)
    add(S, op, fn, r(6), 2)
for s, e in [(0, -1), (1, 2), (0, 0), (-2, -1), (2, 1), (-4, 2), (0, 3)]:
    add(S, "flatten", torch.flatten, x3, s, e)
add(S, "flatten", torch.flatten, r(), 0, 0)
add(S, "flatten", torch.flatten, r(2, 0, 3), 0, 1)
for d, sizes in [(0, [2, 2]), (1, [5, 1]), (-1, [2, -1]), (2, [-1]), (1, [2, 3]), (1, []), (2, [-1, -1])]:
    add(S, "unflatten", torch.unflatten, x3, d, sizes)
for s, d in [(0, 2), (-1, 0), ([0, 1], [2, 0]), ([2], [-3]), ([0, 0], [1, 2]), ([0], [1, 2]), (3, 0)]:
    add(S, "movedim", torch.movedim, x3, s, d)
    add(S, "moveaxis", torch.moveaxis, x3, s, d)
for o, d1, d2 in [(0, 0, 1), (1, 1, 2), (-2, 2, 0), (7, 0, 2), (-5, -1, -2), (0, 1, 1)]:
    add(S, "diagonal", torch.diagonal, x3, o, d1, d2)
for d, sz, st in [(0, 2, 1), (1, 5, 2), (2, 3, 3), (-1, 6, 1), (2, 7, 1), (1, 2, 0)]:
    add(S, "unfold", torch.Tensor.unfold, x3, d, sz, st)
add(S, "as_strided", torch.as_strided, torch.arange(20.), [3, 4], [4, 1])
add(S, "as_strided", torch.as_strided, torch.arange(20.), [2, 3], [1, 5], 2)
add(S, "as_strided", torch.as_strided, torch.arange(20.), [2, 2], [10, 3], 5)
add(S, "as_strided", torch.as_strided, torch.arange(20.), [5, 5], [5, 1])
add(S, "swapaxes", torch.swapaxes, x3, 0, -1)
add(S, "swapdims", torch.swapdims, x3, 1, 2)
add(S, "view", torch.Tensor.view, x3, [-1, -1])
add(S, "reshape", torch.reshape, x3, [3, -1, 2])
add(S, "ravel", torch.ravel, x3)
add(S, "detach", torch.detach, x3)

# ---------------------------------------------------------------- joining
dts = [torch.float32, torch.float64, torch.int64, torch.int32, torch.uint8, torch.int8, torch.bool, torch.float16]
for a in dts:
    for b in dts:
        add(S, "cat", torch.cat, [r(2, 3, dtype=a), r(1, 3, dtype=b)])
add(S, "cat", torch.cat, [r(2, 3), torch.zeros(0), r(1, 3)])
add(S, "cat", torch.cat, [torch.zeros(0), torch.zeros(0, dtype=torch.int64)])
add(S, "cat", torch.cat, [torch.zeros(0, dtype=torch.int32), r(2, 2)], 1)
add(S, "cat", torch.cat, [r(2, 3), r(2, 4)], -1)
add(S, "cat", torch.cat, [r(2, 3), r(2, 4)], 0)
add(S, "cat", torch.cat, [r(2, 3), r(3)], 0)
add(S, "cat", torch.cat, [r(2, 3), r(2, 3)], 2)
add(S, "cat", torch.cat, [r(), r()])
add(S, "cat", torch.cat, [])
add(S, "concat", torch.concat, [r(2, 3), r(2, 1)], 1)
add(S, "concatenate", torch.concatenate, [r(2), r(2, dtype=torch.int64)])
for d in [0, 1, 2, 3, -1, -4, 4, -5]:
    add(S, "stack", torch.stack, [r(2, 3, 2), r(2, 3, 2)], d)
add(S, "stack", torch.stack, [r(2, dtype=torch.int64), r(2), r(2, dtype=torch.bool)])
add(S, "stack", torch.stack, [r(2), r(3)])
add(S, "stack", torch.stack, [r(), r()])
add(S, "stack", torch.stack, [])
for op, fn in [("hstack", torch.hstack), ("vstack", torch.vstack), ("dstack", torch.dstack), ("column_stack", torch.column_stack), ("row_stack", torch.row_stack)]:
    add(S, op, fn, [r(), r()])
    add(S, op, fn, [r(3), r(3)])
    add(S, op, fn, [r(2, 3), r(2, 3, dtype=torch.int64)])
    add(S, op, fn, [r(2, 3, 2), r(2, 3, 2)])
add(S, "block_diag", torch.block_diag, r(2, 3), r(), r(2, dtype=torch.int64), r(0, 2), r(3, 0))
add(S, "block_diag", torch.block_diag, r(2, 3, dtype=torch.bool), r(1, 1, dtype=torch.uint8))
add(S, "block_diag", torch.block_diag, r(2, 2, 2))
add(S, "meshgrid", lambda *ts, **k: torch.meshgrid(*ts, **k), r(2), r(3), r(), r(4), indexing="xy")
add(S, "meshgrid", lambda *ts, **k: torch.meshgrid(*ts, **k), r(2), r(3), r(4), indexing="ij")
add(S, "meshgrid", lambda *ts, **k: torch.meshgrid(*ts, **k), r(2), r(3, 1), indexing="ij")
add(S, "cartesian_prod", torch.cartesian_prod, r(2), r(3), r(2))
for rr in [0, 1, 2, 3, 5]:
    for wr in [False, True]:
        add(S, "combinations", torch.combinations, r(4), rr, wr)
add(S, "broadcast_tensors", torch.broadcast_tensors, r(3, 1), r(2, 1, 4), r())
add(S, "broadcast_tensors", torch.broadcast_tensors, r(3), r(4))

# ---------------------------------------------------------------- copies
for dims in [[0], [1, 2], [-1, 0], [0, 1, 2], [], [2, 2], [3]]:
    add(S, "flip", torch.flip, x3, dims)
add(S, "flip", torch.flip, r(4, dtype=torch.int64), [0])
add(S, "fliplr", torch.fliplr, r(2, 3, dtype=torch.bool))
add(S, "fliplr", torch.fliplr, r(3))
add(S, "flipud", torch.flipud, r(3))
for sh, d in [(1, 0), (-2, 1), (13, 2), ([1, -1], [0, 2]), ([2, 3, 4], [0, 1, 2]), (7, None), (-31, None), ([1, 2], [0, 0]), ([1, 2], [0]), (1, 3)]:
    add(S, "roll", torch.roll, x3, sh, d) if d is not None else add(S, "roll", torch.roll, x3, sh)
add(S, "roll", torch.roll, r(0, 3), 2, 0)
for k, dims in [(1, [0, 1]), (2, [1, 2]), (3, [2, 0]), (-1, [0, 2]), (6, [1, -1]), (1, [0, 0]), (1, [0, 3]), (1, [0])]:
    add(S, "rot90", torch.rot90, x3, k, dims)
for reps in [[2, 1, 1], [1, 2, 3], [2, 1, 1, 1], [0, 1, 2], [3, 1], [1, -1, 1]]:
    add(S, "repeat", torch.Tensor.repeat, r(2, 3, 1), reps)
    add(S, "tile", torch.tile, r(2, 3, 1), reps)
add(S, "tile", torch.tile, r(3), [2])
add(S, "repeat", torch.Tensor.repeat, r(), [2, 3])
for reps, d in [(2, None), (3, 0), (torch.tensor([1, 0, 2]), 1), (torch.tensor([2]), 0), (torch.tensor(3), -1), (torch.tensor([1, 2]), 1), (-1, 0)]:
    add(S, "repeat_interleave", torch.repeat_interleave, r(2, 3, 3), reps, d)
add(S, "repeat_interleave", torch.repeat_interleave, torch.tensor([1, 0, 3, 2]))
add(S, "repeat_interleave", torch.repeat_interleave, torch.tensor([1, 2], dtype=torch.int32))
add(S, "repeat_interleave", torch.repeat_interleave, r(2, 3), 2, 1, output_size=6)
for dt in [torch.float32, torch.int64, torch.bool]:
    for k in [0, 1, -1, 3, -4, 10, -10]:
        add(S, "tril", torch.tril, r(2, 3, 5, dtype=dt), k)
        add(S, "triu", torch.triu, r(2, 3, 5, dtype=dt), k)
add(S, "tril", torch.tril, r(4))
add(S, "triu", torch.triu, r(0, 3))
for pad, val in [([1, 2], 0.5), ([-1, 2, 0, 1], 3), ([1, 1, -2, -1], 0), ([0, 0, 0, 0, 1, 1], -1), ([2, -3], 1), ([-3, -3], 0), ([1], 0), ([1, 1] * 4, 0)]:
    add(S, "constant_pad_nd", torch.constant_pad_nd, r(2, 3, 4), pad, val)
add(S, "constant_pad_nd", torch.constant_pad_nd, r(2, 3, dtype=torch.int64), [1, 1], 2.7)
add(S, "constant_pad_nd", torch.constant_pad_nd, r(2, 3, dtype=torch.bool), [1, 1], 2)
for mode in ["constant", "reflect", "replicate", "circular"]:
    for shape, pad in [((2, 3, 4), [1, 2]), ((1, 2, 4, 5), [2, 1, 3, 0]), ((1, 2, 3, 4, 4), [1, 1, 2, 0, 1, 2]), ((2, 5), [2, 2]), ((2, 3, 5), [-1, 2]),
                       ((1, 2, 4, 5), [-1, 1, 2, -2]), ((2, 3, 4), [4, 0]), ((3, 4), [1, 1, 1, 1]), ((4,), [1, 1])]:
        add(S, "nn.functional.pad", F.pad, r(*shape), pad, mode)
add(S, "nn.functional.pad", F.pad, r(2, 3, 4), [1, 1], "reflect", 2.0)
add(S, "nn.functional.pad", F.pad, r(2, 3, 4), [1, 1], "constant", 2.5)
add(S, "nn.functional.pad", F.pad, r(2, 3, 4, dtype=torch.int64), [1, 1], "replicate")
add(S, "nn.functional.pad", F.pad, r(2, 3, 4), [1, 1, 1], "constant")
add(S, "nn.functional.pad", F.pad, r(2, 3, 4), [1, 1], "wrap")
add(S, "nn.functional.pixel_shuffle", F.pixel_shuffle, r(2, 2, 8, 3, 2), 2)
add(S, "nn.functional.pixel_shuffle", F.pixel_shuffle, r(8, 3, 2, dtype=torch.int64), 2)
add(S, "nn.functional.pixel_shuffle", F.pixel_shuffle, r(7, 3, 2), 2)
add(S, "nn.functional.pixel_shuffle", F.pixel_shuffle, r(3, 2), 2)
add(S, "nn.functional.pixel_unshuffle", F.pixel_unshuffle, r(2, 2, 2, 6, 4), 2)
add(S, "nn.functional.pixel_unshuffle", F.pixel_unshuffle, r(2, 5, 4), 2)
for k in [0, 1, -2, 5, -7]:
    add(S, "diag", torch.diag, r(4), k)
    add(S, "diag", torch.diag, r(3, 5, dtype=torch.int64), k)
    add(S, "diagflat", torch.diagflat, r(2, 2), k)
add(S, "diag", torch.diag, r(2, 2, 2))
for o, d1, d2 in [(0, -2, -1), (1, 0, 2), (-2, 2, 0), (0, 1, 1), (0, 0, 3)]:
    add(S, "diag_embed", torch.diag_embed, r(2, 3), o, d1, d2)

# ---------------------------------------------------------------- factories
FA = "factory"
for a in [(10,), (0, 100, 0.1), (-3.5, 7.25, 0.37), (5, -5, -0.3), (1, 1e4, 7.77), (0, 1000), (2, 50, 3), (10, 0, -3), (0.5,), (0, 10, 0), (0, 10, -1), (0, 3e4, 1.5)]:
    for dt in [None, torch.float32, torch.float64, torch.int64, torch.int32, torch.float16]:
        kw = {} if dt is None else {"dtype": dt}
        if dt is None and any(isinstance(v, float) for v in a):
            continue
        if a[-1] in (7.77, 1.5) and dt not in (torch.float32, torch.int32):
            continue
        add(FA, "arange", torch.arange, *a, **kw)
add(FA, "arange", torch.arange, 0, 3, 0.5, dtype=torch.int64)
add(FA, "arange", torch.arange, 4, dtype=torch.bool)
for s, e, n in [(0, 1, 1000), (-3.3, 7.9, 33), (5, -5, 17), (0, 1, 2), (2.5, 2.5, 5), (-1e3, 1e3, 2049), (0, 10, 1), (0, 10, 0)]:
    for dt in [torch.float32, torch.float64, torch.int64, torch.int32, torch.int16, torch.float16]:
        add(FA, "linspace", torch.linspace, s, e, n, dtype=dt)
        if dt != torch.float16:
            add(FA, "logspace", torch.logspace, s / 100, e / 100, n, 2.0, dtype=dt)
add(FA, "linspace", torch.linspace, 0, 10, -1)
add(FA, "logspace", torch.logspace, 0, 3, 4, dtype=torch.int64)
add(FA, "logspace", torch.logspace, 0, 3, 1)
add(FA, "full", torch.full, [2, 3], 7)
add(FA, "full", torch.full, [2], True)
add(FA, "full", torch.full, [2], 2.5)
add(FA, "full", torch.full, [2], 2.5, dtype=torch.int64)
add(FA, "full", torch.full, [2], -1, dtype=torch.uint8)
add(FA, "full", torch.full, [2, -1], 1)
add(FA, "zeros", torch.zeros, [2, 0, 3])
add(FA, "ones", torch.ones, [3], dtype=torch.bool)
add(FA, "scalar_tensor", torch.scalar_tensor, 3)
add(FA, "scalar_tensor", torch.scalar_tensor, True, dtype=torch.int64)
add(FA, "full_like", torch.full_like, r(2, dtype=torch.int64), 2.9)
add(FA, "full_like", torch.full_like, r(2), 1, dtype=torch.bool)
add(FA, "zeros_like", torch.zeros_like, r(2, 3, dtype=torch.int32))
add(FA, "ones_like", torch.ones_like, r(2, 3), dtype=torch.float16)
add(FA, "new_full", torch.Tensor.new_full, r(1, dtype=torch.int32), [2], 3.5)
add(FA, "new_ones", torch.Tensor.new_ones, r(1, dtype=torch.bool), [2, 2])
for a in [(3,), (2, 4), (4, 2), (0, 3), (3, 0)]:
    add(FA, "eye", torch.eye, *a)
add(FA, "eye", torch.eye, 3, dtype=torch.int64)
add(FA, "eye", torch.eye, -1)
for a in [(4, 4), (3, 5, 1), (5, 3, -1), (4, 4, 10), (4, 4, -10), (0, 3), (3, 3, 0)]:
    add(FA, "tril_indices", torch.tril_indices, *a)
    add(FA, "triu_indices", torch.triu_indices, *a)
add(FA, "tril_indices", torch.tril_indices, 3, 3, dtype=torch.int32)

# ---------------------------------------------------------------- indexing
I = "indexing"
src = r(4, 5)
idx = torch.tensor([[0, -1, 2, 1, 3], [3, 3, 0, -4, 1]])
add(I, "gather", torch.gather, src, 0, idx)
add(I, "gather", torch.gather, src, 1, torch.tensor([[4, 0], [-5, 2], [1, 1]]))
add(I, "gather", torch.gather, src, 1, torch.tensor([[5]]))
add(I, "gather", torch.gather, src, 0, torch.tensor([[0]], dtype=torch.int32))
add(I, "gather", torch.gather, src, 0, torch.tensor([[[0]]]))
add(I, "gather", torch.gather, src, 1, torch.zeros(5, 1, dtype=torch.int64))
add(I, "gather", torch.gather, src, 2, idx)
for red in [None, "add", "multiply"]:
    kw = {} if red is None else {"reduce": red}
    add(I, "scatter", torch.scatter, src, 0, idx, r(2, 5), **kw)
    add(I, "scatter", torch.scatter, src.to(torch.int64), 1, torch.tensor([[1, 1, 1], [0, 4, 0]]), 3, **kw)
add(I, "scatter", torch.scatter, src, 0, idx, r(2, 5, dtype=torch.float64))
add(I, "scatter", torch.scatter, src, 0, torch.tensor([[4]]), 1.0)
add(I, "scatter", torch.scatter, src, 0, idx, r(1, 5))
add(I, "scatter_add", torch.scatter_add, src, 1, torch.tensor([[1, 1, 1, 1], [0, 4, 0, -1]]), r(3, 4))
add(I, "scatter_add", torch.scatter_add, r(3, dtype=torch.bool), 0, torch.tensor([0, 0, 2]), r(3, dtype=torch.bool))
for red in ["sum", "prod", "mean", "amax", "amin"]:
    for inc in [True, False]:
        for dt in [torch.float32, torch.int64]:
            add(I, "scatter_reduce", torch.scatter_reduce, r(4, 3, dtype=dt), 0, torch.tensor([[0, 1, 1], [0, 0, 3], [2, 0, 3]]), r(3, 3, dtype=dt), red, include_self=inc)
add(I, "scatter_reduce", torch.scatter_reduce, r(4, 3), 0, idx[:, :3], r(2, 3), "max")
for d, ix in [(0, [2, -1, 0, 2]), (1, [4]), (-1, []), (1, torch.tensor([1, 2], dtype=torch.int32)), (0, [4]), (0, [[0, 1]])]:
    t = ix if isinstance(ix, torch.Tensor) else torch.tensor(ix, dtype=torch.int64)
    add(I, "index_select", torch.index_select, src, d, t)
add(I, "index_select", torch.index_select, src, 0, torch.tensor([0.0]))
add(I, "index_select", torch.index_select, r(), 0, torch.tensor([0]))
for alpha in [1, 2.5, -1]:
    add(I, "index_add", torch.index_add, src, 0, torch.tensor([1, 1, -1]), r(3, 5), alpha=alpha)
add(I, "index_add", torch.index_add, src.to(torch.int64), 1, torch.tensor([0, 0]), r(4, 2, dtype=torch.int64), alpha=3)
add(I, "index_add", torch.index_add, src, 1, torch.tensor([0, 0]), r(4, 3))
add(I, "index_copy", torch.index_copy, src, 1, torch.tensor([4, 0, 2]), r(4, 3))
add(I, "index_copy", torch.index_copy, src, 0, torch.tensor([0], dtype=torch.int32), r(1, 5))
add(I, "index_fill", torch.index_fill, src, 1, torch.tensor([4, -1, 2]), 2.5)
add(I, "index_fill", torch.index_fill, src.to(torch.int64), 0, torch.tensor([1]), torch.tensor(-7))
add(I, "index_fill", torch.index_fill, src, 0, torch.tensor([1]), torch.tensor([1.0]))
for red in ["prod", "mean", "amax", "amin"]:
    for inc in [True, False]:
        add(I, "index_reduce", torch.index_reduce, src, 0, torch.tensor([1, 1, 3]), r(3, 5), red, include_self=inc)
        add(I, "index_reduce", torch.index_reduce, src.to(torch.int64), 1, torch.tensor([0, 0, 4, 0]), r(4, 4, dtype=torch.int64), red, include_self=inc)
add(I, "take", torch.take, src, torch.tensor([[0, -1], [19, 7]]))
add(I, "take", torch.take, src, torch.tensor([20]))
add(I, "put", torch.put, src, torch.tensor([0, -1, 0]), r(3), accumulate=True)
add(I, "put", torch.put, src, torch.tensor([[0, 3], [5, 5]]), r(2, 2), accumulate=False)
x4 = r(3, 4, 5, 6)
i1, i2 = torch.tensor([0, 2, -1]), torch.tensor([[1], [3]])
for ind in [[i1], [None, i1], [i1, i2], [i1, None, torch.tensor([4, 0, 1])], [None, i2, torch.tensor([0, 1, 2])], [None, None, None, i1],
            [torch.tensor([[True, False, True, False]] * 3)], [None, torch.tensor([True, False, False, True])], [i1, torch.tensor([True, False, True, True, False])],
            [torch.tensor(1), i1], [None, torch.tensor([4])], [torch.tensor([3])], [i1, i1, i1, i1, i1], [torch.tensor([], dtype=torch.int64)]]:
    add(I, "index", lambda t, ind: torch.ops.aten.index(t, ind), x4, ind)
add(I, "index", lambda t, ind: torch.ops.aten.index(t, ind), x4, [torch.tensor([True, False])])
add(I, "index", lambda t, ind: torch.ops.aten.index(t, ind), x4, [i1, torch.tensor([0, 1])])
for ind, vshape in [([i1], (1, 5, 6)), ([None, torch.tensor([1, 1, 2])], (3, 3, 5, 6)), ([i1, None, torch.tensor([4, 0, 1])], (3, 4, 6)), ([torch.tensor([[True, False, True, False]] * 3)], (6,))]:
    for acc in [False, True]:
        # (torch.index_put's Python binding rejects None indices; aten::index_put takes them)
        add(I, "index_put", torch.ops.aten.index_put, x4, list(ind), r(*vshape), acc)
add(I, "index_put", torch.index_put, x4, (torch.tensor([0, 0, 0]),), r(3, 4, 5, 6), True)
add(I, "index_put", torch.index_put, x4, (i1,), r(2, 4, 5, 6), False)
add(I, "index_put", torch.index_put, x4, (i1,), r(3, 4, 5, 6, dtype=torch.float64), False)
m = r(4, 5, dtype=torch.bool)
add(I, "masked_select", torch.masked_select, src, m)
add(I, "masked_select", torch.masked_select, r(2, 1, 5), m)
add(I, "masked_select", torch.masked_select, src, m.to(torch.int64))
add(I, "masked_scatter", torch.masked_scatter, src, m, r(20))
add(I, "masked_scatter", torch.masked_scatter, src, m[0], r(4, 5))
add(I, "masked_scatter", torch.masked_scatter, src, torch.ones(4, 5, dtype=torch.bool), r(3))
for t in [r(2, 3, 4, dtype=torch.bool), torch.tensor([[0.0, float("nan")], [-0.0, 2.0]]), r(0, 3), torch.tensor(0), torch.tensor(2)]:
    add(I, "nonzero", torch.nonzero, t)
    add(I, "nonzero", torch.nonzero, t, as_tuple=True)
    add(I, "argwhere", torch.argwhere, t)
w = r(10, 4)
for inp, kw in [(torch.tensor([[1, 9], [0, 0]]), {}), (torch.tensor([3, -1]), {}), (torch.tensor([2, 4], dtype=torch.int32), {}), (torch.tensor([1.0]), {}),
                (torch.tensor([1, 2, 1]), {"padding_idx": -3}), (torch.tensor([1]), {"padding_idx": 10}), (torch.tensor([1, 2, 1, 3]), {"max_norm": 0.5}),
                (torch.tensor([[1, 2], [8, 3]]), {"max_norm": 1.5, "norm_type": 1.0}), (torch.tensor([1, 2]), {"max_norm": 0.5, "norm_type": float("inf")})]:
    add(I, "nn.functional.embedding", lambda ww, ii, **k: F.embedding(ii, ww.clone(), **k), w, inp, **kw)
add(I, "embedding", torch.embedding, w, torch.tensor([[0, 3]]))
add(I, "embedding", torch.embedding, r(10), torch.tensor([0]))
for t, c in [(torch.tensor([0, 3, 1]), -1), (torch.tensor([[0, 3], [1, 1]]), 5), (torch.tensor([4]), 4), (torch.tensor([-1]), 3), (torch.tensor([], dtype=torch.int64), -1), (torch.tensor([1], dtype=torch.int32), 3)]:
    add(I, "nn.functional.one_hot", F.one_hot, t, c)
sr = r(5, 6, 7)
add(I, "select_scatter", torch.select_scatter, sr, r(5, 7), 1, -2)
add(I, "select_scatter", torch.select_scatter, sr, r(5, 6), 2, 6)
add(I, "select_scatter", torch.select_scatter, sr, r(5, 1), 1, 0)
add(I, "slice_scatter", torch.slice_scatter, sr, r(5, 2, 7), 1, -4, None, 2)
add(I, "slice_scatter", torch.slice_scatter, sr, r(5, 6, 3), -1, 1, 100, 2)
# (1.13's Python binding of slice_scatter misreads positional start/end: call the ATen op)
add(I, "slice_scatter", torch.ops.aten.slice_scatter, sr, r(5, 6, 2), 2, 0, 2)
add(I, "diagonal_scatter", torch.diagonal_scatter, sr, r(7, 4), 1, 0, 1)
add(I, "diagonal_scatter", torch.diagonal_scatter, sr, r(6, 5), -1, 2, 0)
seq = torch.sort(r(3, 8))[0]
vals = r(3, 5)
for kw in [{}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}, {"right": True, "side": "left"}, {"side": "middle"}]:
    add(I, "searchsorted", torch.searchsorted, seq, vals, **kw)
    add(I, "searchsorted", torch.searchsorted, seq[0], vals, **kw)
dup = torch.tensor([1.0, 2.0, 2.0, 2.0, 5.0, float("inf")])
add(I, "searchsorted", torch.searchsorted, dup, torch.tensor([2.0, 0.0, 7.0, float("inf"), float("nan"), -float("inf")]))
add(I, "searchsorted", torch.searchsorted, dup, torch.tensor([2.0, 0.0, 7.0, float("inf"), float("nan")]), right=True)
perm = torch.randperm(8)
unsorted = seq[0][perm]
add(I, "searchsorted", torch.searchsorted, unsorted, vals, sorter=torch.argsort(unsorted))
add(I, "searchsorted", torch.searchsorted, seq, 0.3)
add(I, "searchsorted", torch.searchsorted, seq[0], 0.3)
add(I, "searchsorted", torch.searchsorted, seq, r(2, 5))
add(I, "searchsorted", torch.searchsorted, seq[0].to(torch.int64), torch.tensor([1, -3]))
add(I, "bucketize", torch.bucketize, vals, seq[0])
add(I, "bucketize", torch.bucketize, vals, seq[0], right=True, out_int32=True)
add(I, "bucketize", torch.bucketize, 0.1, seq[0])
add(I, "bucketize", torch.bucketize, vals, seq)
for t in [torch.tensor([3, 1, 2, 3, 1, 7, 5, 100, -4]), torch.tensor([[2.5, -1.0, 2.5], [0.0, -0.0, 7.0]]), torch.randint(-30, 30, (300,)), (torch.randint(-40, 40, (50,)) / 8).double(),
          torch.tensor([True, False, True]), torch.randint(0, 5, (4, 3)).to(torch.int32), torch.tensor([], dtype=torch.float32)]:
    for so in [True, False]:
        add(I, "unique", torch.unique, t, sorted=so, return_inverse=True, return_counts=True)
        add(I, "unique", torch.unique, t, sorted=so)
        add(I, "unique", torch.unique, t, sorted=so, return_counts=True)
dmat = torch.tensor([[1, 2, 1, 1], [0, 5, 0, 0], [1, 2, 1, 1]])
for d in [0, 1, -1]:
    add(I, "unique", torch.unique, dmat, dim=d, return_inverse=True, return_counts=True)
    add(I, "unique_consecutive", torch.unique_consecutive, dmat, dim=d, return_inverse=True, return_counts=True)
add(I, "unique_consecutive", torch.unique_consecutive, torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]), return_inverse=True, return_counts=True)
add(I, "unique_consecutive", torch.unique_consecutive, torch.tensor([[1.0, 1.0], [2.0, 2.0]]))
add(I, "unique_consecutive", torch.unique_consecutive, torch.tensor([[1.0, 1.0], [2.0, 2.0]]), return_counts=True)
tad = r(3, 4)
add(I, "take_along_dim", torch.take_along_dim, tad, torch.tensor([[0], [3], [1]]), 1)
add(I, "take_along_dim", torch.take_along_dim, tad, torch.tensor([[0, 2, 1, 0]]), 0)
add(I, "take_along_dim", torch.take_along_dim, tad, torch.tensor([[1, 1], [2, 0]]))
add(I, "take_along_dim", torch.take_along_dim, tad, torch.tensor([0]), 0)

# ---------------------------------------------------------------- Python indexing (x[...], x[...] = v)
def js_item(i):
    if isinstance(i, slice):
        f = lambda v: "" if v is None else str(v)
        return f"{f(i.start)}:{f(i.stop)}" + (f":{i.step}" if i.step is not None else "")
    if i is Ellipsis:
        return "..."
    return i


def js_index(ix):
    """torchlet's form of a Python index: slices as 'a:b:c', Ellipsis as '...', tuples as arrays."""
    if not isinstance(ix, tuple):
        return js_item(ix)
    items = [js_item(i) for i in ix]
    if not any(isinstance(i, (list, torch.Tensor, str)) or i is None for i in items):
        items.append("...")  # an array of plain numbers would be one advanced index
    return items


def getitem(t, ix):
    return t[ix]


def setitem(t, ix, v):
    t = t.clone()
    t[ix] = v
    return t


gx = r(4, 5, 6)
for ix in [1, -1, slice(1, 3), slice(None, None, 2), slice(-3, None), (0, 1), (0, slice(1, 4), -1), (Ellipsis, 0), (None, 1, Ellipsis, None),
           (slice(None), None, slice(1, 5, 3)), [0, 2, 2], [[0, 1], [2, 3]], ([0, 3], [1, 1]), (slice(None), [4, 0]), ([1, 2], slice(None), [0, 5]),
           (torch.tensor([[0], [3]]), torch.tensor([1, 2, 4])), gx[:, :, 0] > 0, (Ellipsis, torch.tensor([True, False, True, False, False, True])),
           (1, [0, 2], slice(None, 4)), (slice(5, 1),), (slice(-100, 100, 3), Ellipsis), (True,), (False, 0), (Ellipsis, 0, Ellipsis)]:
    add(S, "__getitem__", getitem, gx, ix)
    files[S]["__getitem__"][-1]["args"] = enc([js_index(ix)])
for ix, v in [(1, 7.0), ((slice(None), 0), r(4, 6)), ((Ellipsis, slice(1, 3)), r(2)), ([0, 0, 3], r(3, 5, 6)), (([0, 1], [2, 2]), r(2, 6)), (gx > 0, -1.0),
              ((slice(None), [1, 3], slice(0, 2)), r(4, 2, 2)), ((None, 2), r(1, 5, 6))]:
    add(S, "__setitem__", lambda t, ix, v: setitem(t, ix, v), gx, ix, v)
    files[S]["__setitem__"][-1]["args"] = enc([js_index(ix), v])
for ix in [(0, 0, 0, 0), 4, (slice(None), 7)]:
    n = len(errors[S])
    add(S, "__getitem__", getitem, gx, ix)
    assert len(errors[S]) == n + 1
    errors[S][-1]["args"] = enc([js_index(ix)])

for group in files:
    d = os.path.join(ROOT, group)
    os.makedirs(d, exist_ok=True)
    for op, samples in files[group].items():
        with open(os.path.join(d, f"{op}.json"), "w") as f:
            json.dump({"op": op, "variant": "", "aten": op, "samples": samples}, f)
    with open(os.path.join(d, "errors.json"), "w") as f:
        json.dump(errors[group], f, indent=0)
    print(group, sum(len(s) for s in files[group].values()), "samples,", len(errors[group]), "errors")
