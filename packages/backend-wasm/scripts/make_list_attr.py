"""A scripted module whose forward appends to a list attribute (freezing must not copy it).

Usage: /usr/bin/python3 packages/backend-wasm/scripts/make_list_attr.py (from the repository root)
"""
import torch, os, json
from typing import List
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.sizes: List[int] = [1, 2]
        self.scale = torch.nn.Linear(3, 3)
    def forward(self, x):
        self.sizes.append(x.shape[0])
        return self.scale(x) * len(self.sizes) + self.sizes[-1]
m = torch.jit.script(M().eval())
d = 'test-models/backend-wasm/list_attr'
os.makedirs(d, exist_ok=True)
m.save(d + '/model.pt')
import numpy as np
torch.manual_seed(0)
x = torch.randn(4, 3)
np.save(d + '/input_0.npy', x.numpy())
m2 = torch.jit.load(d + '/model.pt')
with torch.no_grad():
    np.save(d + '/output_0.npy', m2(x).numpy())
    np.save(d + '/output_1.npy', m2(x).numpy())
print('ok')
