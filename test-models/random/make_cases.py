"""Regenerates cases.json with PyTorch 1.13: `/usr/bin/python3 test-models/random/make_cases.py`.

Each case is named; packages/core/test/random.test.ts makes the same call after
torch.manual_seed(seed) and compares the values. "fresh" is drawn first, from the generator's
default seed (67280421310721).
"""
import json, os
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []


def add(name, fn, seed=1234):
    if seed is not None:
        torch.manual_seed(seed)
    t = fn()
    cases.append({"name": name, "seed": seed, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "values": t.double().flatten().tolist()})


add("default_seed", lambda: torch.rand(5), seed=67280421310721)
add("rand_5", lambda: torch.rand(5))
add("rand_2x3", lambda: torch.rand(2, 3))
add("rand_40", lambda: torch.rand(40))
add("rand_1000", lambda: torch.rand(1000))
add("rand_f64_7", lambda: torch.rand(7, dtype=torch.float64))
add("rand_f16_7", lambda: torch.rand(7, dtype=torch.float16))
add("rand_seed_big", lambda: torch.rand(4), seed=2**40 + 5)
add("rand_seed_0", lambda: torch.rand(4), seed=0)
add("rand_like", lambda: torch.rand_like(torch.zeros(2, 2, dtype=torch.float64)))
add("randn_3", lambda: torch.randn(3))
add("randn_5_then_3", lambda: (torch.randn(5), torch.randn(3))[1])
add("randn_16", lambda: torch.randn(16))
add("randn_37", lambda: torch.randn(37))
add("randn_300", lambda: torch.randn(300))
add("randn_f64_20", lambda: torch.randn(20, dtype=torch.float64))
add("randn_f64_5", lambda: torch.randn(5, dtype=torch.float64))
add("randn_like", lambda: torch.randn_like(torch.zeros(4, 5)))
add("rand_then_randn", lambda: (torch.rand(3), torch.randn(17))[1])
add("randn_odd_then_even", lambda: (torch.randn(3), torch.randn(2, dtype=torch.float64))[1])
add("normal_strided", lambda: torch.zeros(20, 2).t().normal_()[0:2].contiguous())
add("normal_ff", lambda: torch.normal(2.0, 3.0, (20,)))
add("normal_ff_small", lambda: torch.normal(2.0, 3.0, (5,)))
add("normal_tensor_mean", lambda: torch.normal(torch.arange(20.0), 0.5))
add("normal_tensor_std", lambda: torch.normal(1.0, torch.arange(20.0)))
add("normal_tensor_both", lambda: torch.normal(torch.arange(4.0), torch.full((4,), 2.0)))
add("normal_", lambda: torch.empty(33).normal_(-1.0, 0.25))
add("uniform_", lambda: torch.empty(10).uniform_(-2, 3))
add("uniform_f64", lambda: torch.empty(10, dtype=torch.float64).uniform_(-2, 3))
add("uniform_strided", lambda: torch.zeros(3, 4).t().uniform_().contiguous())
add("randint_10_20", lambda: torch.randint(10, (20,)))
add("randint_m5_7", lambda: torch.randint(-5, 7, (3, 4)))
add("randint_big", lambda: torch.randint(0, 2**40, (6,)))
add("randint_float", lambda: torch.randint(3, 9, (5,), dtype=torch.float32))
add("randint_int32", lambda: torch.randint(100, (5,), dtype=torch.int32))
add("randint_like", lambda: torch.randint_like(torch.zeros(6), 2, 50))
add("random_to", lambda: torch.zeros(6, dtype=torch.int64).random_(7))
add("random_from_to", lambda: torch.zeros(6).random_(-3, 3))
add("random_full_f32", lambda: torch.zeros(6).random_())
add("random_full_i32", lambda: torch.zeros(6, dtype=torch.int32).random_())
add("randperm_10", lambda: torch.randperm(10))
add("randperm_1000", lambda: torch.randperm(1000))
add("randperm_float", lambda: torch.randperm(7, dtype=torch.float32))
add("bernoulli_p", lambda: torch.bernoulli(torch.full((12,), 0.3)))
add("bernoulli_p64", lambda: torch.bernoulli(torch.full((12,), 0.7, dtype=torch.float64)))
add("bernoulli_float_p", lambda: torch.bernoulli(torch.zeros(12), 0.4))
add("bernoulli_scalar", lambda: torch.zeros(12).bernoulli_(0.4))
add("bernoulli_tensor_", lambda: torch.zeros(3, 4).bernoulli_(torch.linspace(0, 1, 4)))
g = torch.Generator().manual_seed(99)
cases.append({"name": "generator", "seed": 99, "dtype": "float32", "shape": [6], "values": torch.rand(6, generator=g).double().tolist()})
with open(os.path.join(HERE, "cases.json"), "w") as f:
    json.dump(cases, f)
print(len(cases), "cases")
