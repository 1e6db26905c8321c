#!/usr/bin/python3
"""ONNX exports of recurrent layers (PyTorch 1.13 torch.onnx.export, random weights), for the
importer's LSTM/GRU lowering to aten::lstm / aten::gru: each case is NAME.onnx with
NAME.input_K.npy / NAME.output_K.npy (PyTorch's outputs).

Usage: /usr/bin/python3 packages/onnx/scripts/make-rnn-fixtures.py test-models/onnx/fixtures/rnn
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class Rnn(nn.Module):
    def __init__(self, cell, **kw):
        super().__init__()
        self.rnn = cell(**kw)

    def forward(self, x, h):
        return self.rnn(x, h)


class RnnNoState(nn.Module):
    def __init__(self, cell, **kw):
        super().__init__()
        self.rnn = cell(**kw)

    def forward(self, x):
        y, h = self.rnn(x)
        return (y, *h) if isinstance(h, tuple) else (y, h)


def save(name, module, args):
    module.eval()
    with torch.no_grad():
        outs = module(*args)
    flat = []
    for o in outs:
        flat.extend(o if isinstance(o, tuple) else [o])
    torch.onnx.export(module, args, os.path.join(out, name + ".onnx"), opset_version=14,
                      input_names=[f"input_{i}" for i in range(len(args))],
                      output_names=[f"output_{i}" for i in range(len(flat))])
    for i, a in enumerate(args):
        np.save(os.path.join(out, f"{name}.input_{i}.npy"), a.numpy())
    for i, o in enumerate(flat):
        np.save(os.path.join(out, f"{name}.output_{i}.npy"), o.numpy())
    print("wrote", name)


x = torch.randn(5, 2, 4)
save("lstm_bidirectional_2layers", RnnNoState(nn.LSTM, input_size=4, hidden_size=3, num_layers=2, bidirectional=True), (x,))
save("gru_bidirectional", RnnNoState(nn.GRU, input_size=4, hidden_size=3, bidirectional=True), (x,))
save("gru_with_state", Rnn(nn.GRU, input_size=4, hidden_size=3, num_layers=2), (x, torch.randn(2, 2, 3)))
save("lstm_no_bias", RnnNoState(nn.LSTM, input_size=4, hidden_size=3, bias=False), (x,))
