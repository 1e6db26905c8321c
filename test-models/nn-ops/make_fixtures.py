"""Expected values for packages/core/test/nn_ops.test.ts, computed by PyTorch 1.13.

Run with Debian's python3-torch: /usr/bin/python3 test-models/nn-ops/make_fixtures.py
Each JSON file holds {"cases": [{"name", "kind", "target", "args", "kwargs", "out", "rtol", "atol"}]}:
kind "op" calls the exact ATen overload `target` (e.g. aten::upsample_bilinear2d.vec) through the
registry, kind "F" calls torch.nn.functional.<target>, kind "torch" calls torch.<target>.
A tensor is {"tensor": {"dtype", "shape", "data"}} with data the base64 of little-endian bytes.
"""
import base64
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)


def enc(v):
    if isinstance(v, torch.Tensor):
        t = v.detach().contiguous()
        dt = str(t.dtype).replace("torch.", "")
        return {"tensor": {"dtype": dt, "shape": list(t.shape), "data": base64.b64encode(t.numpy().tobytes()).decode()}}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return {"float": str(v)}
    return v


def case(cases, name, kind, target, fn, args, kwargs=None, rtol=1e-4, atol=1e-5, pick=None):
    """`pick`: the expected value is element `pick` of the target's tuple result."""
    kwargs = kwargs or {}
    out = fn(*args, **kwargs)
    c = {"name": name, "kind": kind, "target": target, "args": enc(list(args)), "kwargs": {k: enc(v) for k, v in kwargs.items()},
         "out": enc(out), "rtol": rtol, "atol": atol}
    if pick is not None:
        c["pick"] = pick
    cases.append(c)


def save(name, cases):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump({"generator": "make_fixtures.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    print(name, len(cases), "cases")


def interp():
    cases = []
    nn_ = torch._C._nn
    scales = [0.3, 0.5, 0.6, 0.75, 1.1, 1.5, 1.7, 2.0, 2.5, 3.0, 1 / 3]
    for sf in scales:
        x1 = torch.randn(2, 3, 7)
        x2 = torch.randn(1, 2, 5, 6)
        x3 = torch.randn(1, 1, 4, 5, 6)
        case(cases, f"nearest1d sf={sf}", "op", "aten::upsample_nearest1d.vec", nn_.upsample_nearest1d, [x1, None, [sf]])
        case(cases, f"nearest2d sf={sf}", "op", "aten::upsample_nearest2d.vec", nn_.upsample_nearest2d, [x2, None, [sf, sf * 1.3]])
        case(cases, f"nearest3d sf={sf}", "op", "aten::upsample_nearest3d.vec", nn_.upsample_nearest3d, [x3, None, [sf, sf, 1.9]])
        # one channel: PyTorch takes its channels-last nearest kernel, whose index function differs
        case(cases, f"nearest2d 1-channel sf={sf}", "op", "aten::upsample_nearest2d.vec", nn_.upsample_nearest2d, [x2[:, :1].contiguous(), None, [sf, 2.0]])
        case(cases, f"nearest-exact2d sf={sf}", "op", "aten::_upsample_nearest_exact2d.vec", nn_._upsample_nearest_exact2d, [x2, None, [sf, sf]])
        case(cases, f"nearest-exact1d sf={sf}", "op", "aten::_upsample_nearest_exact1d.vec", nn_._upsample_nearest_exact1d, [x1, None, [sf]])
        for ac in (False, True):
            case(cases, f"linear1d sf={sf} ac={ac}", "op", "aten::upsample_linear1d.vec", nn_.upsample_linear1d, [x1, None, ac, [sf]])
            case(cases, f"bilinear2d sf={sf} ac={ac}", "op", "aten::upsample_bilinear2d.vec", nn_.upsample_bilinear2d, [x2, None, ac, [sf, sf]])
            case(cases, f"bicubic2d sf={sf} ac={ac}", "op", "aten::upsample_bicubic2d.vec", nn_.upsample_bicubic2d, [x2, None, ac, [sf, 1.2]])
            case(cases, f"trilinear3d sf={sf} ac={ac}", "op", "aten::upsample_trilinear3d.vec", nn_.upsample_trilinear3d, [x3, None, ac, [sf, 1.5, sf]])
    x2 = torch.randn(2, 3, 6, 5)
    for size in [[1, 1], [3, 4], [6, 5], [12, 10], [13, 7], [5, 17]]:
        case(cases, f"nearest2d size={size}", "op", "aten::upsample_nearest2d.vec", nn_.upsample_nearest2d, [x2, size, None])
        case(cases, f"nearest-exact2d size={size}", "op", "aten::_upsample_nearest_exact2d.vec", nn_._upsample_nearest_exact2d, [x2, size, None])
        for ac in (False, True):
            case(cases, f"bilinear2d size={size} ac={ac}", "op", "aten::upsample_bilinear2d.vec", nn_.upsample_bilinear2d, [x2, size, ac, None])
            case(cases, f"bicubic2d size={size} ac={ac}", "op", "aten::upsample_bicubic2d.vec", nn_.upsample_bicubic2d, [x2, size, ac, None])
    # the sized overloads with explicit scales (what TorchScript graphs of older exports carry)
    case(cases, "nearest2d sized+scales", "op", "aten::upsample_nearest2d", nn_.upsample_nearest2d, [x2, [10, 7], 1.7, 1.5])
    case(cases, "bilinear2d sized+scales", "op", "aten::upsample_bilinear2d", nn_.upsample_bilinear2d, [x2, [10, 7], False, 1.7, 1.5])
    case(cases, "bicubic2d sized+scales", "op", "aten::upsample_bicubic2d", nn_.upsample_bicubic2d, [x2, [6, 5], False, 1.1, 1.1])
    case(cases, "bilinear2d sized same+scales", "op", "aten::upsample_bilinear2d", nn_.upsample_bilinear2d, [x2, [6, 5], False, 1.1, 1.1])
    case(cases, "nearest1d sized", "op", "aten::upsample_nearest1d", nn_.upsample_nearest1d, [torch.randn(1, 2, 5), [11], None])
    u8 = torch.randint(0, 255, (1, 2, 4, 5), dtype=torch.uint8)
    case(cases, "nearest2d uint8", "op", "aten::upsample_nearest2d.vec", nn_.upsample_nearest2d, [u8, [7, 3], None])
    case(cases, "nearest2d float64", "op", "aten::upsample_nearest2d.vec", nn_.upsample_nearest2d, [x2.double(), None, [1.5, 0.5]])
    case(cases, "bilinear2d float64", "op", "aten::upsample_bilinear2d.vec", nn_.upsample_bilinear2d, [x2.double(), None, False, [1.5, 0.7]])
    case(cases, "bilinear2d empty batch", "op", "aten::upsample_bilinear2d.vec", nn_.upsample_bilinear2d, [torch.randn(0, 2, 3, 3), [5, 4], False, None])
    # antialiased (torchvision Resize(antialias=True)): down- and upsampling, both corner modes
    xa = torch.randn(1, 2, 9, 12)
    for size in [[4, 5], [3, 12], [9, 4], [13, 17], [2, 2], [1, 3]]:
        for ac in (False, True):
            case(cases, f"bilinear2d_aa size={size} ac={ac}", "op", "aten::_upsample_bilinear2d_aa.vec", nn_._upsample_bilinear2d_aa, [xa, size, ac, None])
            case(cases, f"bicubic2d_aa size={size} ac={ac}", "op", "aten::_upsample_bicubic2d_aa.vec", nn_._upsample_bicubic2d_aa, [xa, size, ac, None])
    for sf in [0.3, 0.45, 1.7]:
        case(cases, f"bilinear2d_aa sf={sf}", "op", "aten::_upsample_bilinear2d_aa.vec", nn_._upsample_bilinear2d_aa, [xa, None, False, [sf, sf]])
        case(cases, f"bicubic2d_aa sf={sf}", "op", "aten::_upsample_bicubic2d_aa.vec", nn_._upsample_bicubic2d_aa, [xa, None, False, [sf, 0.5]])
    case(cases, "F.interpolate antialias", "F", "interpolate", F.interpolate, [xa], {"size": [4, 5], "mode": "bilinear", "antialias": True})
    # F.interpolate front end
    x = torch.randn(1, 2, 5, 7)
    case(cases, "F.interpolate int size", "F", "interpolate", F.interpolate, [x], {"size": 4})
    case(cases, "F.interpolate recompute", "F", "interpolate", F.interpolate, [x], {"scale_factor": 1.7, "mode": "bilinear", "recompute_scale_factor": True})
    case(cases, "F.interpolate per-dim scale", "F", "interpolate", F.interpolate, [x], {"scale_factor": [2.0, 0.5], "mode": "bicubic", "align_corners": True})
    case(cases, "F.interpolate nearest-exact", "F", "interpolate", F.interpolate, [x], {"scale_factor": 1.5, "mode": "nearest-exact"})
    case(cases, "F.upsample", "F", "upsample", F.upsample, [x], {"scale_factor": 2, "mode": "bilinear"})
    case(cases, "aten::__interpolate", "op", "aten::__interpolate.size_list_scale_list", F.interpolate, [x, None, [1.5, 0.5], "bicubic", True, None, False])
    case(cases, "aten::__upsample_bilinear", "op", "aten::__upsample_bilinear", F.upsample_bilinear, [x, None, 2])
    save("interp.json", cases)


def rnn():
    cases = []
    # nn.LSTM(8, 16, 2, batch_first=True, bidirectional=True)
    m = nn.LSTM(8, 16, 2, batch_first=True, bidirectional=True).eval()
    x = torch.randn(3, 5, 8)
    h0 = torch.randn(4, 3, 16)
    c0 = torch.randn(4, 3, 16)
    params = [p for p in m._flat_weights]
    with torch.no_grad():
        case(cases, "lstm 2-layer bidirectional batch_first", "torch", "lstm", torch.lstm, [x, [h0, c0], params, True, 2, 0.0, False, True, True])
        # no biases, not batch_first, 1 layer
        m2 = nn.LSTM(4, 6, 1, bias=False).eval()
        x2 = torch.randn(7, 2, 4)
        case(cases, "lstm no bias", "torch", "lstm", torch.lstm, [x2, [torch.zeros(1, 2, 6), torch.zeros(1, 2, 6)], list(m2._flat_weights), False, 1, 0.0, False, False, False])
        # projections
        m3 = nn.LSTM(5, 8, 2, proj_size=3, bidirectional=True).eval()
        x3 = torch.randn(4, 2, 5)
        case(cases, "lstm proj_size", "torch", "lstm", torch.lstm, [x3, [torch.randn(4, 2, 3), torch.randn(4, 2, 8)], list(m3._flat_weights), True, 2, 0.0, False, True, False])
        g = nn.GRU(6, 10, 2, batch_first=True, bidirectional=True).eval()
        xg = torch.randn(2, 4, 6)
        hg = torch.randn(4, 2, 10)
        case(cases, "gru 2-layer bidirectional batch_first", "torch", "gru", torch.gru, [xg, hg, list(g._flat_weights), True, 2, 0.0, False, True, True])
        r = nn.RNN(3, 5, 2, nonlinearity="tanh").eval()
        xr = torch.randn(6, 2, 3)
        hr = torch.randn(2, 2, 5)
        case(cases, "rnn_tanh 2-layer", "torch", "rnn_tanh", torch.rnn_tanh, [xr, hr, list(r._flat_weights), True, 2, 0.0, False, False, False])
        rr = nn.RNN(3, 5, 1, nonlinearity="relu", bidirectional=True, batch_first=True).eval()
        xrr = torch.randn(2, 6, 3)
        case(cases, "rnn_relu bidirectional", "torch", "rnn_relu", torch.rnn_relu, [xrr, torch.randn(2, 2, 5), list(rr._flat_weights), True, 1, 0.0, False, True, True])
        # PackedSequence (.data overloads): lengths 5, 3, 2
        from torch.nn.utils.rnn import pack_padded_sequence
        mp = nn.LSTM(4, 5, 2, bidirectional=True).eval()
        packed = pack_padded_sequence(torch.randn(5, 3, 4), torch.tensor([5, 3, 2]))
        case(cases, "lstm packed", "op", "aten::lstm.data", torch.lstm,
             [packed.data, packed.batch_sizes, [torch.randn(4, 3, 5), torch.randn(4, 3, 5)], list(mp._flat_weights), True, 2, 0.0, False, True])
        gp = nn.GRU(4, 5, 1, bidirectional=True).eval()
        case(cases, "gru packed", "op", "aten::gru.data", torch.gru,
             [packed.data, packed.batch_sizes, torch.randn(2, 3, 5), list(gp._flat_weights), True, 1, 0.0, False, True])
        # cells
        xi = torch.randn(3, 4)
        w_ih, w_hh, b_ih, b_hh = torch.randn(24, 4), torch.randn(24, 6), torch.randn(24), torch.randn(24)
        case(cases, "lstm_cell", "torch", "lstm_cell", torch.lstm_cell, [xi, [torch.randn(3, 6), torch.randn(3, 6)], w_ih, w_hh, b_ih, b_hh])
        case(cases, "lstm_cell no bias", "torch", "lstm_cell", torch.lstm_cell, [xi, [torch.randn(3, 6), torch.randn(3, 6)], w_ih, w_hh])
        gw_ih, gw_hh, gb_ih, gb_hh = torch.randn(18, 4), torch.randn(18, 6), torch.randn(18), torch.randn(18)
        case(cases, "gru_cell", "torch", "gru_cell", torch.gru_cell, [xi, torch.randn(3, 6), gw_ih, gw_hh, gb_ih, gb_hh])
        rw_ih, rw_hh, rb_ih, rb_hh = torch.randn(6, 4), torch.randn(6, 6), torch.randn(6), torch.randn(6)
        case(cases, "rnn_tanh_cell", "torch", "rnn_tanh_cell", torch.rnn_tanh_cell, [xi, torch.randn(3, 6), rw_ih, rw_hh, rb_ih, rb_hh])
        case(cases, "rnn_relu_cell", "torch", "rnn_relu_cell", torch.rnn_relu_cell, [xi, torch.randn(3, 6), rw_ih, rw_hh, None, rb_hh])
    save("rnn.json", cases)


def attention():
    cases = []
    with torch.no_grad():
        E, H = 16, 4
        mha = nn.MultiheadAttention(E, H, batch_first=True).eval()
        q = torch.randn(2, 5, E)
        args = [q, q, q, E, H, mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias]
        case(cases, "mha self need_weights avg", "torch", "_native_multi_head_attention", torch._native_multi_head_attention, args + [None, True, True])
        case(cases, "mha self need_weights per-head", "torch", "_native_multi_head_attention", torch._native_multi_head_attention, args + [None, True, False])
        case(cases, "mha self no weights", "torch", "_native_multi_head_attention", lambda *a: torch._native_multi_head_attention(*a)[0], args + [None, False, True], pick=0)
        kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
        case(cases, "mha key padding mask", "torch", "_native_multi_head_attention", torch._native_multi_head_attention, args + [kpm, True, True, 1])
        am = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1).expand(2, H, 5, 5).contiguous()
        case(cases, "mha 4-d mask", "torch", "_native_multi_head_attention", torch._native_multi_head_attention, args + [am, True, False, 2])
        fkpm = torch.tensor([[0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, -1.0]])
        case(cases, "mha float key padding mask", "torch", "_native_multi_head_attention", torch._native_multi_head_attention, args + [fkpm, True, True, 1])
        k = torch.randn(2, 5, E)
        v = torch.randn(2, 5, E)
        case(cases, "mha distinct k v", "torch", "_native_multi_head_attention", torch._native_multi_head_attention,
             [q, k, v, E, H, mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias, None, True, True])
        # nn.MultiheadAttention's own (slow-path, batch-first) result must agree with the fused op
        case(cases, "nn.MultiheadAttention module == fused op", "torch", "_native_multi_head_attention",
             lambda *a: mha(q, k, v, need_weights=True)[0],
             [q, k, v, E, H, mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias, None, True, True], pick=0)
        for norm_first in (False, True):
            for act in ("relu", "gelu"):
                layer = nn.TransformerEncoderLayer(E, H, dim_feedforward=32, dropout=0.0, activation=act, batch_first=True, norm_first=norm_first).eval()
                src = torch.randn(2, 6, E)
                la = layer.self_attn
                targs = [src, E, H, la.in_proj_weight, la.in_proj_bias, la.out_proj.weight, la.out_proj.bias, act == "gelu", norm_first, layer.norm1.eps,
                         layer.norm1.weight, layer.norm1.bias, layer.norm2.weight, layer.norm2.bias,
                         layer.linear1.weight, layer.linear1.bias, layer.linear2.weight, layer.linear2.bias]
                case(cases, f"transformer layer norm_first={norm_first} {act}", "torch", "_transformer_encoder_layer_fwd", torch._transformer_encoder_layer_fwd, targs + [None, None])
                # the module's own (non-fast-path) math gives the same result
                case(cases, f"TransformerEncoderLayer module norm_first={norm_first} {act}", "torch", "_transformer_encoder_layer_fwd",
                     lambda *a: layer(src), targs + [None, None])
        src = torch.randn(2, 6, E)
        kpm = torch.tensor([[False] * 4 + [True] * 2, [False] * 6])
        case(cases, "transformer layer padding mask", "torch", "_transformer_encoder_layer_fwd", torch._transformer_encoder_layer_fwd, targs[:0] + [src] + targs[1:] + [kpm, 1])
        qq, kk, vv = torch.randn(2, 3, 4, 8), torch.randn(2, 3, 6, 8), torch.randn(2, 3, 6, 8)
        case(cases, "sdpa", "F", "_scaled_dot_product_attention", F._scaled_dot_product_attention, [qq, kk, vv])
        case(cases, "sdpa causal", "F", "_scaled_dot_product_attention", F._scaled_dot_product_attention, [qq, kk, vv], {"is_causal": True, "need_attn_weights": True})
        bm = torch.rand(4, 6) > 0.3
        case(cases, "sdpa bool mask", "F", "_scaled_dot_product_attention", F._scaled_dot_product_attention, [qq, kk, vv, bm])
        fm = torch.randn(2, 1, 4, 6)
        case(cases, "sdpa float mask", "F", "_scaled_dot_product_attention", F._scaled_dot_product_attention, [qq, kk, vv, fm])
        s = torch.randn(2, 3, 4, 4)
        m1 = torch.rand(2, 3, 4, 4) > 0.6
        case(cases, "masked_softmax type 1", "torch", "_masked_softmax", torch._masked_softmax, [s, m1, 3, 1])
        m4 = torch.rand(2, 3, 4, 4) > 0.5
        m4[..., 1] = False
        case(cases, "masked_softmax type 2", "torch", "_masked_softmax", torch._masked_softmax, [s, m4, 3, 2])
        case(cases, "masked_softmax dim 2", "torch", "_masked_softmax", torch._masked_softmax, [s, m4.transpose(2, 3).contiguous(), 2, 2])
        case(cases, "masked_softmax fully masked rows", "torch", "_masked_softmax", torch._masked_softmax, [torch.randn(2, 3), torch.tensor([[True, False, False], [True, True, True]]), 1, 2])
    save("attention.json", cases)


def losses():
    cases = []
    x = torch.randn(4, 5)
    t = torch.tensor([0, 4, 2, 2])
    w = torch.rand(5) + 0.5
    for red in ("none", "mean", "sum"):
        case(cases, f"cross_entropy smoothing {red}", "F", "cross_entropy", F.cross_entropy, [x, t], {"label_smoothing": 0.2, "reduction": red})
        case(cases, f"cross_entropy smoothing weight ignore {red}", "F", "cross_entropy", F.cross_entropy, [x, t], {"weight": w, "ignore_index": 2, "label_smoothing": 0.1, "reduction": red})
        case(cases, f"cross_entropy probs weight smoothing {red}", "F", "cross_entropy", F.cross_entropy, [x, torch.softmax(torch.randn(4, 5), 1)], {"weight": w, "label_smoothing": 0.3, "reduction": red})
        case(cases, f"nll_loss weight ignore {red}", "F", "nll_loss", F.nll_loss, [torch.log_softmax(x, 1), t], {"weight": w, "ignore_index": 4, "reduction": red})
    x4 = torch.randn(2, 3, 4, 5)
    t4 = torch.randint(0, 3, (2, 4, 5))
    case(cases, "cross_entropy 4-d", "F", "cross_entropy", F.cross_entropy, [x4, t4], {"weight": torch.rand(3)})
    case(cases, "nll_loss 4-d", "F", "nll_loss", F.nll_loss, [x4, t4], {"reduction": "sum"})
    case(cases, "nll_loss2d aten", "op", "aten::nll_loss2d", torch._C._nn.nll_loss2d, [x4, t4, None, 1, 1])
    case(cases, "cross_entropy 1-d", "F", "cross_entropy", F.cross_entropy, [torch.randn(5), torch.tensor(3)], {"label_smoothing": 0.25})
    case(cases, "cross_entropy all ignored", "F", "cross_entropy", F.cross_entropy, [x, torch.tensor([1, 1, 1, 1])], {"ignore_index": 1})
    case(cases, "cross_entropy aten", "op", "aten::cross_entropy_loss", torch._C._nn.cross_entropy_loss, [x, t, None, 2, -100, 0.0])
    case(cases, "legacy size_average=False", "F", "mse_loss", F.mse_loss, [x, torch.randn(4, 5)], {"size_average": False})
    case(cases, "legacy reduce=False", "F", "l1_loss", F.l1_loss, [x, torch.randn(4, 5)], {"reduce": False})
    case(cases, "mse broadcast", "op", "aten::mse_loss", torch._C._nn.mse_loss, [x, torch.randn(5), 0])
    case(cases, "smooth_l1 beta 0.5", "F", "smooth_l1_loss", F.smooth_l1_loss, [x, torch.randn(4, 5)], {"beta": 0.5, "reduction": "none"})
    case(cases, "kl_div batchmean", "F", "kl_div", F.kl_div, [torch.log_softmax(x, 1), torch.softmax(torch.randn(4, 5), 1)], {"reduction": "batchmean"})
    case(cases, "kl_div zero target", "F", "kl_div", F.kl_div, [torch.log_softmax(x, 1), torch.tensor([[0.0, 0.5, 0.5, 0.0, 0.0]] * 4)], {"reduction": "sum"})
    case(cases, "bce logits pos_weight", "F", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits,
         [x * 10, torch.rand(4, 5)], {"pos_weight": torch.rand(5) * 3, "weight": torch.rand(4, 1)})
    case(cases, "bce clamp", "F", "binary_cross_entropy", F.binary_cross_entropy, [torch.tensor([0.0, 1.0, 0.5, 1e-30]), torch.tensor([1.0, 0.0, 0.5, 1.0])], {"reduction": "none"})
    case(cases, "mse empty mean", "F", "mse_loss", F.mse_loss, [torch.zeros(0), torch.zeros(0)])
    case(cases, "multi_margin p=2 weight none", "F", "multi_margin_loss", F.multi_margin_loss, [x, t], {"p": 2, "margin": 0.7, "weight": w, "reduction": "none"})
    case(cases, "multilabel_margin none", "F", "multilabel_margin_loss", F.multilabel_margin_loss,
         [x, torch.tensor([[3, 0, -1, 1, 2], [1, 2, 3, 4, 0], [-1, 0, 0, 0, 0], [4, -1, 2, 2, 2]])], {"reduction": "none"})
    case(cases, "triplet swap p=1", "F", "triplet_margin_loss", F.triplet_margin_loss, [x, torch.randn(4, 5), torch.randn(4, 5)], {"p": 1.0, "swap": True, "reduction": "none"})
    case(cases, "gaussian_nll homoscedastic 3-d", "F", "gaussian_nll_loss", F.gaussian_nll_loss, [torch.randn(3, 2, 4), torch.randn(3, 2, 4), torch.rand(3, 2)], {"full": True, "reduction": "sum"})
    case(cases, "poisson full", "F", "poisson_nll_loss", F.poisson_nll_loss, [torch.rand(6) * 3, torch.tensor([0.0, 1.0, 2.0, 3.5, 7.0, 0.5])], {"log_input": False, "full": True, "reduction": "none"})
    case(cases, "multilabel_soft_margin 3-d none", "F", "multilabel_soft_margin_loss", F.multilabel_soft_margin_loss, [torch.randn(2, 3, 4), torch.rand(2, 3, 4).round()], {"reduction": "none"})
    case(cases, "cosine_embedding 2-d", "F", "cosine_embedding_loss", F.cosine_embedding_loss, [x, torch.randn(4, 5), torch.tensor([1, -1, 1, -1])], {"margin": 0.1, "reduction": "none"})
    save("losses.json", cases)


def running_stats():
    """Training-mode batch_norm / instance_norm update running_mean and running_var in place:
    `out` holds [output, running_mean after, running_var after] for the inputs in `args`."""
    cases = []
    for name, fn, shape in [("batch_norm", F.batch_norm, (4, 3, 5)), ("batch_norm 2-d", F.batch_norm, (6, 3)), ("instance_norm", F.instance_norm, (2, 3, 7))]:
        x = torch.randn(*shape)
        rm, rv = torch.randn(3), torch.rand(3) + 0.5
        w, b = torch.randn(3), torch.randn(3)
        args = [x.clone(), rm.clone(), rv.clone(), w, b]
        out = fn(x, rm, rv, w, b, True, 0.3, 1e-5) if "batch" in name else fn(x, rm, rv, w, b, True, 0.3, 1e-5)
        cases.append({"name": name, "kind": "F", "target": name.split(" ")[0], "args": enc(args + [True, 0.3, 1e-5]), "kwargs": {},
                      "out": enc([out, rm, rv]), "rtol": 1e-4, "atol": 1e-5})
    save("running_stats.json", cases)


def ref_models():
    """The op-level calls that the scripted reference models lstm_tagger and transformer_layer make,
    with their weights; the expected values are the models' own outputs (shared/refs/pytorch)."""
    import numpy as np
    refs = os.environ.get("TORCHLET_REFS", "/work/shared/refs/pytorch")
    cases = []
    with torch.no_grad():
        m = torch.jit.load(os.path.join(refs, "lstm_tagger", "model.pt"))
        x = torch.from_numpy(np.load(os.path.join(refs, "lstm_tagger", "input_0.npy")))
        want = [torch.from_numpy(np.load(os.path.join(refs, "lstm_tagger", f"output_{i}.npy"))) for i in range(3)]
        L, H = m.lstm.num_layers, m.lstm.hidden_size
        params = [getattr(m.lstm, f"{k}_l{l}") for l in range(L) for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        z = torch.zeros(L, x.shape[0], H)
        y, h, c = torch.lstm(x, [z, z], params, True, L, 0.0, False, False, True)
        assert torch.allclose(h, want[1], atol=1e-6) and torch.allclose(c, want[2], atol=1e-6)
        assert torch.allclose(torch.nn.functional.linear(y, m.head.weight, m.head.bias), want[0], atol=1e-6)
        case(cases, "lstm_tagger: lstm", "torch", "lstm", lambda *a: (y, want[1], want[2]), [x, [z, z], params, True, L, 0.0, False, False, True])
        t = torch.jit.load(os.path.join(refs, "transformer_layer", "model.pt"))
        src = torch.from_numpy(np.load(os.path.join(refs, "transformer_layer", "input_0.npy")))
        want = torch.from_numpy(np.load(os.path.join(refs, "transformer_layer", "output_0.npy")))
        a = t.self_attn
        targs = [src, a.embed_dim, a.num_heads, a.in_proj_weight, a.in_proj_bias, a.out_proj.weight, a.out_proj.bias,
                 t.activation_relu_or_gelu == 2, t.norm_first, t.norm1.eps, t.norm1.weight, t.norm1.bias, t.norm2.weight, t.norm2.bias,
                 t.linear1.weight, t.linear1.bias, t.linear2.weight, t.linear2.bias, None, None]
        assert torch.allclose(torch._transformer_encoder_layer_fwd(*targs), want, atol=1e-5)
        case(cases, "transformer_layer: _transformer_encoder_layer_fwd", "torch", "_transformer_encoder_layer_fwd", lambda *a: want, targs)
    save("ref_models.json", cases)


if __name__ == "__main__":
    which = sys.argv[1:] or ["interp", "rnn", "attention", "losses", "running_stats", "ref_models"]
    for w in which:
        torch.manual_seed(0)
        globals()[w]()
