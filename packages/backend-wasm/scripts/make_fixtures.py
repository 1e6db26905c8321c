"""Small PyTorch models (random weights) and their outputs for the wasm backend's model tests.

Usage: /usr/bin/python3 packages/backend-wasm/scripts/make_fixtures.py test-models/backend-wasm
Each case: model.pt (torch.jit.save), model.onnx (torch.onnx.export), input_0.npy, output_0.npy,
meta.json (rtol/atol for a float32 reimplementation).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

torch.manual_seed(0)
out_root = sys.argv[1]


def save(name, module, args, export="trace", opset=13, tol=(1e-4, 1e-5)):
    d = os.path.join(out_root, name)
    os.makedirs(d, exist_ok=True)
    module.eval()
    # batch-norm statistics that are not the identity, so folding them matters
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    with torch.no_grad():
        out = module(*args)
        if isinstance(out, tuple):
            out = out[0]
        jm = torch.jit.script(module) if export == "script" else torch.jit.trace(module, args)
        jm.save(os.path.join(d, "model.pt"))
    # outside no_grad: nn.TransformerEncoderLayer's fused fast path has no ONNX export
    if True:
        torch.onnx.export(module, args, os.path.join(d, "model.onnx"), opset_version=opset,
                          input_names=[f"input_{i}" for i in range(len(args))], output_names=["output_0"],
                          do_constant_folding=True)
    for i, a in enumerate(args):
        np.save(os.path.join(d, f"input_{i}.npy"), a.numpy())
    np.save(os.path.join(d, "output_0.npy"), out.numpy())
    meta = {"name": name, "export": export, "rtol": tol[0], "atol": tol[1], "onnx_opset": opset,
            "inputs": [list(a.shape) for a in args], "output": list(out.shape)}
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d)) // 1024, "KiB")


class LSTMHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(12, 16, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.fc(y)


class GRUHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(12, 16, num_layers=1)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        y, _ = self.gru(x)
        return torch.relu(self.fc(y))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return torch.relu(out)


class TinyResNet(nn.Module):
    """torchvision's ResNet structure (stem, BasicBlocks with an Optional downsample) at small widths."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = BasicBlock(8, 8, 1)
        self.layer2 = BasicBlock(8, 16, 2)
        self.layer3 = BasicBlock(16, 24, 2)
        self.fc = nn.Linear(24, 10)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


save("resnet_tiny_scripted", TinyResNet(), (torch.randn(1, 3, 48, 48),), "script", tol=(1e-3, 1e-4))
save("mobilenet_v2_small", torchvision.models.mobilenet_v2(weights=None, width_mult=0.1, num_classes=10), (torch.randn(1, 3, 64, 64),), "trace", tol=(1e-3, 1e-4))
save("lstm_bidir", LSTMHead(), (torch.randn(2, 7, 12),), "script", tol=(1e-4, 1e-5))
save("gru_relu", GRUHead(), (torch.randn(6, 3, 12),), "script", tol=(1e-4, 1e-5))
enc = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=48, batch_first=True, dropout=0.0)
save("transformer_layer", enc, (torch.randn(2, 9, 32),), "script", opset=17, tol=(1e-4, 1e-5))
