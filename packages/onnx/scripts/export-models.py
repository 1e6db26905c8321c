#!/usr/bin/python3
"""ONNX models of the kinds people deploy, exported by torch.onnx.export with random (seeded) weights.

Usage: /usr/bin/python3 packages/onnx/scripts/export-models.py OUTDIR [small|all]

Each case is a folder like /work/shared/refs/pytorch: model.onnx, input_K.npy, output_K.npy
(PyTorch's outputs), meta.json (rtol/atol). `small` writes only the models small enough to keep
in test-models/onnx/ (audio models with loops and state, a small CNN classifier); `all` adds
torchvision classifiers (resnet18, mobilenet_v3_small, squeezenet, shufflenet, efficientnet,
mnasnet, regnet) at 96x96.
"""
import json
import math
import os
import sys
from typing import List, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

torch.manual_seed(0)
torch.set_num_threads(2)


# ---------------------------------------------------------------- audio

class StftConv(nn.Module):
    """|STFT| as a strided conv1d with a fixed Fourier basis (how Silero VAD exports an STFT)."""

    def __init__(self, n_fft=128, hop=64):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        k = n_fft // 2 + 1
        n = torch.arange(n_fft, dtype=torch.float64)
        f = torch.arange(k, dtype=torch.float64)[:, None]
        win = torch.hann_window(n_fft, periodic=True, dtype=torch.float64)
        ang = 2 * math.pi * f * n / n_fft
        basis = torch.cat([torch.cos(ang) * win, -torch.sin(ang) * win], 0).float()[:, None, :]
        self.register_buffer("basis", basis)

    def forward(self, x):  # x: [B, T]
        x = F.pad(x[:, None, :], (self.n_fft // 2, self.n_fft // 2), mode="reflect")
        y = F.conv1d(x, self.basis, stride=self.hop)
        k = self.n_fft // 2 + 1
        re, im = y[:, :k], y[:, k:]
        return torch.sqrt(re * re + im * im + 1e-9)


class TinyVAD(nn.Module):
    """Silero-like streaming VAD: STFT frontend, conv encoder, LSTM with state in/out, sigmoid head."""

    def __init__(self):
        super().__init__()
        self.stft = StftConv(128, 64)
        self.enc = nn.Sequential(
            nn.Conv1d(65, 32, 3, padding=1), nn.ReLU(),
            nn.Conv1d(32, 32, 3, stride=2, padding=1), nn.ReLU(),
        )
        self.lstm = nn.LSTM(32, 32, batch_first=True)
        self.head = nn.Conv1d(32, 1, 1)

    def forward(self, x, h, c):
        s = torch.log(self.stft(x) + 1e-3)
        e = self.enc(s).transpose(1, 2)
        y, (h2, c2) = self.lstm(e, (h, c))
        p = torch.sigmoid(self.head(y.transpose(1, 2))).mean(2)
        return p, h2, c2


class MelFrontendCNN(nn.Module):
    """Keyword spotter: log-mel (STFT conv + mel matmul), 2-D CNN, global pooling, linear."""

    def __init__(self):
        super().__init__()
        self.stft = StftConv(256, 128)
        mel = torch.rand(40, 129)
        self.register_buffer("mel", mel / mel.sum(1, keepdim=True))
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 12),
        )

    def forward(self, x):
        spec = self.stft(x)
        logmel = torch.log(torch.matmul(self.mel, spec) + 1e-6)
        return F.log_softmax(self.cnn(logmel[:, None]), -1)


class GRUCellM(nn.Module):
    """GRU cell from Linear layers (aten::gru_cell has no ONNX export)."""

    def __init__(self, n_in: int, n_h: int):
        super().__init__()
        self.ih = nn.Linear(n_in, 3 * n_h)
        self.hh = nn.Linear(n_h, 3 * n_h)

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        gi = self.ih(x).chunk(3, 1)
        gh = self.hh(h).chunk(3, 1)
        r = torch.sigmoid(gi[0] + gh[0])
        z = torch.sigmoid(gi[1] + gh[1])
        n = torch.tanh(gi[2] + r * gh[2])
        return (1 - z) * n + z * h


class StreamingGRU(nn.Module):
    """A scripted loop over frames carrying GRU state (exports as ONNX Loop)."""

    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(20, 24)
        self.cell = GRUCellM(24, 24)
        self.out = nn.Linear(24, 4)

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        ys: List[torch.Tensor] = []
        for t in range(x.size(1)):
            h = self.cell(torch.tanh(self.inp(x[:, t])), h)
            ys.append(self.out(h))
        return torch.stack(ys, 1), h


class GreedyDecoder(nn.Module):
    """Scripted greedy decoding: a while loop with a data-dependent stop, an If inside, state."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 16)
        self.cell = GRUCellM(16, 16)
        self.proj = nn.Linear(16, 10)

    def forward(self, h: torch.Tensor, max_len: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        tok = torch.zeros([h.size(0)], dtype=torch.long)
        scores = torch.zeros([h.size(0)])
        i = 0
        while i < int(max_len):
            h = self.cell(self.emb(tok), h)
            logits = self.proj(h)
            if bool(logits.max() > 0.0):
                logits = logits * 2.0
            best = logits.argmax(1)
            scores = scores + logits.max(1)[0]
            tok = best
            i += 1
        return scores, h


class Wav2VecLike(nn.Module):
    """wav2vec2-style: conv feature extractor with GroupNorm and GELU, then a transformer layer."""

    def __init__(self):
        super().__init__()
        self.fe = nn.Sequential(
            nn.Conv1d(1, 32, 10, stride=5, bias=False), nn.GroupNorm(32, 32), nn.GELU(),
            nn.Conv1d(32, 32, 3, stride=2, bias=False), nn.GELU(),
            nn.Conv1d(32, 32, 2, stride=2, bias=False), nn.GELU(),
        )
        self.proj = nn.Linear(32, 48)
        self.layer = nn.TransformerEncoderLayer(48, 4, 96, dropout=0.0, batch_first=True, activation="gelu")
        self.norm = nn.LayerNorm(48)

    def forward(self, x):
        f = self.fe(x[:, None]).transpose(1, 2)
        return self.norm(self.layer(self.proj(f)))


class SmallClassifier(nn.Module):
    """A small CNN classifier: depthwise-separable blocks, residual add, hardswish, SE, dropout."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.Hardswish())
        self.dw = nn.Sequential(nn.Conv2d(16, 16, 3, 1, 1, groups=16, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
        self.se_fc1 = nn.Conv2d(16, 8, 1)
        self.se_fc2 = nn.Conv2d(8, 16, 1)
        self.pw = nn.Sequential(nn.Conv2d(16, 32, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.pool = nn.AvgPool2d(3, 2, 1)
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(32, 10))

    def forward(self, x):
        x = self.stem(x)
        y = self.dw(x)
        s = F.hardsigmoid(self.se_fc2(F.relu(self.se_fc1(F.adaptive_avg_pool2d(y, 1)))))
        x = x + y * s
        x = self.pool(self.pw(x))
        return F.softmax(self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)), -1)


# ---------------------------------------------------------------- saving

def save_case(root, name, module, args, opset=13, script=False, tol=(1e-4, 1e-5), names=None, dynamic_axes=None):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    module.eval()
    # grad stays enabled: nn.TransformerEncoderLayer's inference fast path has no ONNX export
    m = torch.jit.script(module) if script else module
    out = m(*args)
    outs = [t.detach() for t in (list(out) if isinstance(out, (tuple, list)) else [out])]
    in_names = names or [f"input_{i}" for i in range(len(args))]
    meta = {"name": name, "export": "script" if script else "trace", "rtol": tol[0], "atol": tol[1], "onnx_opset": opset,
            "inputs": [], "outputs": []}
    for k, a in enumerate(args):
        np.save(os.path.join(d, f"input_{k}.npy"), a.numpy())
        meta["inputs"].append({"index": k, "name": in_names[k], "kind": "tensor", "dtype": str(a.dtype).replace("torch.", ""),
                               "shape": list(a.shape), "file": f"input_{k}.npy"})
    for k, t in enumerate(outs):
        np.save(os.path.join(d, f"output_{k}.npy"), t.numpy())
        meta["outputs"].append({"index": k, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "file": f"output_{k}.npy"})
    if True:
        torch.onnx.export(m, args, os.path.join(d, "model.onnx"), opset_version=opset, input_names=in_names,
                          output_names=[f"output_{i}" for i in range(len(outs))], do_constant_folding=True,
                          dynamic_axes=dynamic_axes)
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    size = os.path.getsize(os.path.join(d, "model.onnx"))
    print(f"{name:24s} {size / 1e6:7.2f} MB")


def small(root):
    save_case(root, "tiny_vad", TinyVAD(), (torch.randn(1, 1024), torch.randn(1, 1, 32), torch.randn(1, 1, 32)),
              names=["audio", "h", "c"])
    save_case(root, "kws_logmel_cnn", MelFrontendCNN(), (torch.randn(2, 4000),), tol=(1e-4, 1e-4))
    save_case(root, "streaming_gru", StreamingGRU(), (torch.randn(2, 6, 20), torch.zeros(2, 24)), script=True)
    save_case(root, "greedy_decoder", GreedyDecoder(), (torch.randn(2, 16), torch.tensor(5)), script=True)
    save_case(root, "wav2vec_like", Wav2VecLike(), (torch.randn(2, 1600),), opset=17, tol=(1e-4, 1e-4))
    save_case(root, "small_classifier", SmallClassifier(), (torch.randn(2, 3, 32, 32),),
              dynamic_axes={"input_0": {0: "batch"}})


def tv(name, **kw):
    return getattr(torchvision.models, name)(weights=None, **kw)


def large(root):
    img = torch.randn(1, 3, 96, 96)
    for name in ["resnet18", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x0_5", "efficientnet_b0", "mnasnet0_5", "regnet_y_400mf"]:
        save_case(root, name, tv(name), (img,), tol=(1e-3, 1e-4))


if __name__ == "__main__":
    out = sys.argv[1]
    which = sys.argv[2] if len(sys.argv) > 2 else "small"
    os.makedirs(out, exist_ok=True)
    small(out)
    if which == "all":
        large(out)
