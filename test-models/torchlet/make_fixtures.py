"""Expected values for packages/torchlet/test/api.test.ts (run with /usr/bin/python3, PyTorch 1.13).

    /usr/bin/python3 test-models/torchlet/make_fixtures.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def enc(t):
    t = t.detach()
    return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'data': t.flatten().tolist()}


out = {}
x = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.5 - 1
out['x'] = enc(x)
out['sum_dim1_keepdim'] = enc(torch.sum(x, dim=1, keepdim=True))
out['sum_all'] = enc(torch.sum(x))
out['x_relu'] = enc(x.relu())
out['x_mul_add'] = enc(torch.add(x, torch.mul(x, 2), alpha=3))
out['to_int32'] = enc(x.to(torch.int32))

g = torch.Generator().manual_seed(1)
inp = torch.randn(1, 2, 5, 5, generator=g)
w = torch.randn(3, 2, 3, 3, generator=g)
b = torch.randn(3, generator=g)
out['conv_in'] = enc(inp)
out['conv_w'] = enc(w)
out['conv_b'] = enc(b)
out['conv_out'] = enc(F.conv2d(inp, w, b, stride=[2, 2], padding=1))

torch.manual_seed(0)
lin = nn.Linear(4, 3)
out['linear_weight'] = enc(lin.weight)
out['linear_bias'] = enc(lin.bias)
out['linear_out'] = enc(lin(x))

with open(os.path.join(HERE, 'api.json'), 'w') as f:
    json.dump(out, f)
