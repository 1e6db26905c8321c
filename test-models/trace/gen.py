"""Fixtures for packages/jit/test/trace*.test.ts, save*.test.ts and packages/onnx/test/export*.test.ts.

Builds the test models in PyTorch 1.13 (/usr/bin/python3), records their state dicts, two inputs
each and the outputs PyTorch computes for them (eval mode), and writes models.json. The tests
load the state dicts into the same models written with torchlet's torch.nn, trace them on the
first input, and check that replaying the trace, reloading it from a saved file and running the
exported ONNX model give PyTorch's outputs for both inputs.

Run: /usr/bin/python3 test-models/trace/gen.py
"""
import json
import os
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.1)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 3)

    def forward(self, x):
        h = self.drop(self.act(self.fc1(x)))
        h = torch.tanh(self.fc2(h)) + h
        return F.log_softmax(self.fc3(h), dim=-1)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.AvgPool2d(2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(16, 5)

    def forward(self, x):
        return self.classifier(self.flatten(self.pool(self.features(x))))


class AttentionBlock(nn.Module):
    """A pre-norm transformer block: self-attention and a GELU MLP with residuals."""

    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(16)
        self.attn = nn.MultiheadAttention(16, 4, batch_first=True)
        self.norm2 = nn.LayerNorm(16)
        self.fc1 = nn.Linear(16, 32)
        self.fc2 = nn.Linear(32, 16)

    def forward(self, x):
        h = self.norm1(x)
        a, w = self.attn(h, h, h)
        x = x + a
        x = x + self.fc2(F.gelu(self.fc1(self.norm2(x))))
        return x, w


def tensor_json(t):
    t = t.detach().contiguous()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.flatten().tolist()}


def case(name, model, shapes, seed):
    model.eval()
    torch.manual_seed(seed)
    inputs = [[torch.randn(s) for s in shapes] for _ in range(2)]
    with torch.no_grad():
        outputs = [model(*ins) for ins in inputs]
    def outs(o):
        return [tensor_json(t) for t in (o if isinstance(o, tuple) else (o,))]
    return {
        "name": name,
        "state_dict": {k: tensor_json(v) for k, v in model.state_dict().items()},
        "inputs": [[tensor_json(t) for t in ins] for ins in inputs],
        "outputs": [outs(o) for o in outputs],
    }


def cnn():
    m = SmallCNN()
    # batch-norm statistics and affine parameters that are not the initial ones
    with torch.no_grad():
        for bn in m.modules():
            if isinstance(bn, nn.BatchNorm2d):
                bn.running_mean.normal_(0, 0.2)
                bn.running_var.uniform_(0.5, 1.5)
                bn.weight.uniform_(0.5, 1.5)
                bn.bias.normal_(0, 0.1)
    return m


torch.manual_seed(0)
cases = [
    case("mlp", MLP(), [(4, 6)], 1),
    case("cnn", cnn(), [(2, 3, 16, 16)], 2),
    case("attention", AttentionBlock(), [(2, 5, 16)], 3),
]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models.json")
with open(out, "w") as f:
    json.dump({"generator": "test-models/trace/gen.py", "torch": torch.__version__, "cases": cases}, f)
print("wrote", out)
