#!/usr/bin/python3
"""PyTorch/torchvision references for the onnx_support ops (nms, roi_align, linalg_det, grid_sampler bicubic).

Usage: /usr/bin/python3 packages/onnx/scripts/make-support-fixtures.py test-models/onnx/fixtures/support_ops.json
"""
import json
import sys

import torch
import torchvision

torch.manual_seed(0)


def t(x):
    return {"shape": list(x.shape), "dtype": str(x.dtype).replace("torch.", ""), "data": x.flatten().tolist()}


cases = []
for n, thr in [(30, 0.5), (50, 0.3), (8, 0.0)]:
    xy = torch.rand(n, 2) * 20
    wh = torch.rand(n, 2) * 10 + 0.5
    boxes = torch.cat([xy, xy + wh], 1)
    scores = torch.rand(n)
    cases.append({"op": "torchvision::nms", "args": [t(boxes), t(scores), thr], "out": t(torchvision.ops.nms(boxes, scores, thr))})
x = torch.randn(2, 3, 12, 10)
rois = torch.tensor([[0, 1.0, 1.5, 7.2, 9.1], [1, 0.0, 0.0, 9.0, 11.0], [0, 3.3, 2.2, 4.1, 2.9]])
for scale, ph, pw, sr, aligned in [(1.0, 3, 2, 2, True), (0.5, 4, 4, 0, False), (1.0, 2, 3, 0, True)]:
    out = torchvision.ops.roi_align(x, rois, (ph, pw), scale, sr, aligned)
    cases.append({"op": "torchvision::roi_align", "args": [t(x), t(rois), scale, ph, pw, sr, aligned], "out": t(out)})
for shape in [(3, 3), (2, 4, 4), (5, 1, 1)]:
    a = torch.randn(*shape, dtype=torch.float64)
    cases.append({"op": "aten::linalg_det", "args": [t(a)], "out": t(torch.linalg.det(a))})
sing = torch.tensor([[1.0, 2.0], [2.0, 4.0]])
cases.append({"op": "aten::linalg_det", "args": [t(sing)], "out": t(torch.linalg.det(sing))})
img = torch.randn(2, 2, 6, 7)
grid = torch.rand(2, 4, 5, 2) * 2.4 - 1.2
for pad in [0, 1, 2]:
    for align in [False, True]:
        out = torch.grid_sampler(img, grid, 2, pad, align)
        cases.append({"op": "aten::grid_sampler", "args": [t(img), t(grid), 2, pad, align], "out": t(out)})
json.dump(cases, open(sys.argv[1], "w"))
print(len(cases), "cases")
