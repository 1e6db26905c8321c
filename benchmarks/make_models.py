"""Benchmark models (random weights, nothing downloaded), written into benchmarks/models/.

Usage: /usr/bin/python3 benchmarks/make_models.py benchmarks/models
Each case folder holds model.onnx (torch.onnx.export, opset 13 / 17) and, for whole models,
model.pt (torch.jit.save). ResNet-18 and MobileNetV2 come from /work/shared/refs/make_refs.py
(public-large) or torchvision directly with the same settings.
"""
import os
import sys

import torch
import torch.nn as nn
import torchvision

root = sys.argv[1]
torch.manual_seed(0)


def export(name, module, args, pt=None, opset=13):
    d = os.path.join(root, name)
    if os.path.exists(os.path.join(d, "model.onnx")):
        return
    os.makedirs(d, exist_ok=True)
    module.eval()
    torch.onnx.export(module, args, os.path.join(d, "model.onnx"), opset_version=opset,
                      input_names=[f"input_{i}" for i in range(len(args))], output_names=["output_0"],
                      do_constant_folding=True)
    if pt:
        with torch.no_grad():
            jm = torch.jit.script(module) if pt == "script" else torch.jit.trace(module, args)
        jm.save(os.path.join(d, "model.pt"))
    print("made", name)


class MatMul(nn.Module):
    def forward(self, a, b):
        return a @ b


class LSTMModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(128, 256, num_layers=2, batch_first=True)

    def forward(self, x):
        y, _ = self.lstm(x)
        return y


for n in (256, 512, 1024):
    export(f"matmul_{n}", MatMul(), (torch.randn(n, n), torch.randn(n, n)))
export("conv_64x56", nn.Conv2d(64, 64, 3, padding=1), (torch.randn(1, 64, 56, 56),))
export("dwconv_144x56", nn.Conv2d(144, 144, 3, padding=1, groups=144), (torch.randn(1, 144, 56, 56),))
export("lstm_2x256", LSTMModel(), (torch.randn(1, 32, 128),), pt="script")
enc = nn.TransformerEncoderLayer(d_model=256, nhead=4, dim_feedforward=1024, batch_first=True, dropout=0.0)
export("transformer_256", enc, (torch.randn(1, 64, 256),), pt="script", opset=17)
img = torch.randn(1, 3, 224, 224)
export("resnet18_traced", torchvision.models.resnet18(weights=None), (img,), pt="trace")
export("mobilenet_v2_traced", torchvision.models.mobilenet_v2(weights=None), (img,), pt="trace")
