"""Models of the kinds the reference models cover (torchvision CNNs scripted and traced, RNN decoders
with loops, transformer blocks) that the loader's tests had never seen, with PyTorch's outputs.
Weights are random (seeded); nothing is downloaded.

Run with /usr/bin/python3 (torch 1.13, torchvision 0.14):
    /usr/bin/python3 test-models/torchscript/unseen/make_unseen.py [BIGDIR]
Small models (narrow widths) are written next to this file and committed; full-size ones go to
BIGDIR (default benchmarks/models/unseen, gitignored) and are tested when present.

Each model: NAME.pt + NAME.io.json = {"model", "rtol", "atol", "calls": [{"method", "inputs", "output"}]}
(values encoded as in test-models/torchscript/gen/make_cases.py).
"""
import base64, json, os, sys
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import efficientnet, mobilenetv3, regnet, resnet, vision_transformer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
BIG = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'benchmarks', 'models', 'unseen')
torch.manual_seed(0)
torch.set_num_threads(2)


def enc(v):
    if isinstance(v, torch.Tensor):
        t = v.detach().contiguous()
        return {"__tensor__": True, "dtype": str(t.dtype).replace('torch.', ''), "shape": list(t.shape),
                "data_b64": base64.b64encode(t.numpy().tobytes()).decode()}
    if isinstance(v, tuple):
        return {"__tuple__": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {"__dict__": [[k, enc(x)] for k, x in v.items()]}
    if isinstance(v, float) and (v != v or v in (float('inf'), float('-inf'))):
        return {"__float__": str(v)}
    return v


def save(name, mod, calls, how='script', big=False, tol=(1e-4, 1e-5)):
    """calls: [(method, args)]; `how`: script | trace (traced on the first call's arguments)."""
    out_dir = BIG if big else HERE
    os.makedirs(out_dir, exist_ok=True)
    mod = mod.eval()
    with torch.no_grad():
        if how == 'trace':
            sm = torch.jit.trace(mod, calls[0][1])
        else:
            sm = torch.jit.script(mod)
        path = os.path.join(out_dir, name + '.pt')
        torch.jit.save(sm, path)
        loaded = torch.jit.load(path)
        fixtures = []
        for method, args in calls:
            out = getattr(loaded, method)(*args)
            fixtures.append({"method": method, "inputs": [enc(a) for a in args], "output": enc(out)})
    with open(os.path.join(out_dir, name + '.io.json'), 'w') as f:
        json.dump({"model": name + '.pt', "how": how, "rtol": tol[0], "atol": tol[1], "calls": fixtures}, f)
    print(f"{name:34s} {how:6s} {os.path.getsize(path) / 1e6:7.2f} MB {'(big)' if big else ''}")


# ---------------------------------------------------------------------------- RNN decoders with loops

class GreedyGRUDecoder(nn.Module):
    """Greedy decoding: embedding -> GRUCell -> logits, a while loop that stops at EOS or max_len."""

    def __init__(self, vocab: int = 12, hidden: int = 16, eos: int = 1):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.cell = nn.GRUCell(hidden, hidden)
        self.out = nn.Linear(hidden, vocab)
        self.eos = eos

    def forward(self, h: torch.Tensor, start: int, max_len: int) -> Tuple[torch.Tensor, List[int], torch.Tensor]:
        tok = torch.full([h.size(0)], start, dtype=torch.long)
        tokens: List[int] = []
        scores: List[torch.Tensor] = []
        step = 0
        while step < max_len:
            h = self.cell(self.emb(tok), h)
            logits = F.log_softmax(self.out(h), dim=-1)
            tok = logits.argmax(dim=-1)
            scores.append(logits.max(dim=-1)[0])
            t0 = int(tok[0].item())
            tokens.append(t0)
            step += 1
            if t0 == self.eos:
                break
        return h, tokens, torch.stack(scores, dim=1)


class LSTMStepDecoder(nn.Module):
    """nn.LSTM stepped one frame at a time with carried (h, c), a for loop with an early exit on a score."""

    def __init__(self, n_in: int = 6, hidden: int = 10, layers: int = 2):
        super().__init__()
        self.lstm = nn.LSTM(n_in, hidden, num_layers=layers, batch_first=True)
        self.proj = nn.Linear(hidden, n_in)

    def forward(self, x: torch.Tensor, steps: int, stop_above: float) -> Tuple[torch.Tensor, int]:
        state: Optional[Tuple[torch.Tensor, torch.Tensor]] = None
        frames: List[torch.Tensor] = []
        inp = x[:, :1]
        n = 0
        for i in range(steps):
            y, state = self.lstm(inp, state)
            inp = torch.tanh(self.proj(y))
            frames.append(inp)
            n = i + 1
            if float(inp.abs().mean()) > stop_above:
                break
        return torch.cat(frames, dim=1), n


class BiGRUTagger(nn.Module):
    """Bidirectional 2-layer GRU over a padded batch, masked mean over time."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 8, num_layers=2, batch_first=True, bidirectional=True)
        self.head = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor, lengths: List[int]) -> torch.Tensor:
        y, _ = self.gru(x)
        mask = torch.zeros(x.size(0), x.size(1))
        for b, n in enumerate(lengths):
            mask[b, :n] = 1.0
        pooled = (y * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True)
        return self.head(pooled)


class GRULSTMStack(nn.Module):
    """Traced: a bidirectional GRU feeding an LSTM, final states returned too."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 8, batch_first=True, bidirectional=True)
        self.lstm = nn.LSTM(16, 6, batch_first=True)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        y, _ = self.gru(x)
        z, (h, c) = self.lstm(torch.relu(y))
        return z, h, c


# ---------------------------------------------------------------------------- attention

class ScriptedMHA(nn.Module):
    """nn.MultiheadAttention with a key padding mask, averaged attention weights returned."""

    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(16, 4, batch_first=True)
        self.norm = nn.LayerNorm(16)

    def forward(self, q: torch.Tensor, kv: torch.Tensor, pad: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        y, w = self.mha(q, kv, kv, key_padding_mask=pad, need_weights=True)
        return self.norm(q + y), w


class DecoderLayerWithMask(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerDecoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)

    def forward(self, tgt: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        n = tgt.size(1)
        causal = torch.triu(torch.full((n, n), float('-inf')), diagonal=1)
        return self.layer(tgt, memory, tgt_mask=causal)


class TransformerGreedy(nn.Module):
    """Autoregressive greedy decoding with an nn.TransformerDecoder: the target grows by one token per step."""

    def __init__(self, vocab: int = 11, d: int = 16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(16, d) * 0.1)
        layer = nn.TransformerDecoderLayer(d_model=d, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.dec = nn.TransformerDecoder(layer, num_layers=2)
        self.out = nn.Linear(d, vocab)

    def forward(self, memory: torch.Tensor, bos: int, eos: int, max_len: int) -> List[List[int]]:
        b = memory.size(0)
        ys = torch.full((b, 1), bos, dtype=torch.long)
        done = torch.zeros(b, dtype=torch.bool)
        while ys.size(1) < max_len:
            n = ys.size(1)
            mask = torch.triu(torch.full((n, n), float('-inf')), diagonal=1)
            h = self.dec(self.emb(ys) + self.pos[:n], memory, tgt_mask=mask)
            nxt = self.out(h[:, -1]).argmax(dim=-1)
            nxt = torch.where(done, torch.full_like(nxt, eos), nxt)
            ys = torch.cat([ys, nxt.unsqueeze(1)], dim=1)
            done = done | (nxt == eos)
            if bool(done.all()):
                break
        return ys.tolist()


class PackedLSTM(nn.Module):
    """pack_padded_sequence -> bidirectional LSTM -> pad_packed_sequence over a batch of unequal lengths."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, batch_first=True, bidirectional=True)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, (h, _) = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=x.size(1))
        return out, h


class StatefulCounter(nn.Module):
    """forward writes module attributes: calls counted, the last input kept (the loader must not freeze it)."""

    def __init__(self):
        super().__init__()
        self.calls = 0
        self.register_buffer('last', torch.zeros(3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        y = x * self.calls + self.last
        self.last = x.clone()
        return y


def main():
    img = torch.randn(1, 3, 32, 32)
    img2 = torch.randn(2, 3, 32, 32)

    # ---- torchvision CNNs, narrow enough to commit
    mnv3 = mobilenetv3.mobilenet_v3_small(weights=None, width_mult=0.25, num_classes=10)
    save('mobilenet_v3_small_w025_scripted', mnv3, [('forward', (img,)), ('forward', (img2,))], tol=(1e-3, 1e-4))
    save('mobilenet_v3_small_w025_traced', mnv3, [('forward', (img,))], how='trace', tol=(1e-3, 1e-4))
    shuf = torchvision.models.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 128], num_classes=10)
    save('shufflenet_v2_tiny_scripted', shuf, [('forward', (img,)), ('forward', (img2,))], tol=(1e-3, 1e-4))
    save('shufflenet_v2_tiny_traced', shuf, [('forward', (img,))], how='trace', tol=(1e-3, 1e-4))
    rx = resnet.ResNet(resnet.Bottleneck, [1, 1, 1, 1], num_classes=10, groups=4, width_per_group=4)
    save('resnext_tiny_scripted', rx, [('forward', (torch.randn(1, 3, 64, 64),))], tol=(1e-3, 1e-4), big=True)

    vit = vision_transformer.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16, mlp_dim=32, num_classes=10)
    save('vit_tiny_scripted', vit, [('forward', (img,)), ('forward', (img2,))])
    save('vit_tiny_traced', vit, [('forward', (img2,))], how='trace')
    save('mnasnet_a025_scripted', torchvision.models.MNASNet(0.25, num_classes=10), [('forward', (img,))], tol=(1e-3, 1e-4), big=True)
    eff_conf, eff_last = efficientnet._efficientnet_conf('efficientnet_b0', width_mult=0.25, depth_mult=0.25)
    eff = efficientnet.EfficientNet(eff_conf, dropout=0.2, num_classes=10, last_channel=eff_last)
    save('efficientnet_small_scripted', eff, [('forward', (img,))], tol=(1e-3, 1e-4))
    reg = regnet.RegNet(regnet.BlockParams.from_init_params(depth=4, w_0=8, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25), num_classes=10, stem_width=8)
    save('regnet_small_scripted', reg, [('forward', (img,))], tol=(1e-3, 1e-4))

    # ---- RNN decoders with loops
    save('packed_lstm_scripted', PackedLSTM(), [('forward', (torch.randn(3, 5, 4), torch.tensor([5, 2, 3])))])
    save('transformer_greedy_scripted', TransformerGreedy(), [('forward', (torch.randn(2, 6, 16), 0, 1, 9))])
    save('greedy_gru_decoder_scripted', GreedyGRUDecoder(), [('forward', (torch.randn(1, 16), 0, 8)), ('forward', (torch.randn(1, 16), 3, 20))])
    save('lstm_step_decoder_scripted', LSTMStepDecoder(), [('forward', (torch.randn(2, 4, 6), 6, 0.9)), ('forward', (torch.randn(2, 4, 6), 9, 0.35))])
    save('bigru_tagger_scripted', BiGRUTagger(), [('forward', (torch.randn(3, 7, 5), [7, 4, 2]))])
    save('gru_lstm_stack_traced', GRULSTMStack(), [('forward', (torch.randn(3, 7, 5),))], how='trace')

    # ---- transformer blocks
    enc_layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.0, batch_first=True, norm_first=True)
    encoder = nn.TransformerEncoder(enc_layer, num_layers=2, norm=nn.LayerNorm(16), enable_nested_tensor=False)
    src = torch.randn(2, 6, 16)
    save('transformer_encoder_2l_scripted', encoder, [('forward', (src,))])
    save('transformer_encoder_2l_traced', encoder, [('forward', (src,))], how='trace')
    save('transformer_decoder_layer_scripted', DecoderLayerWithMask(), [('forward', (torch.randn(2, 5, 16), torch.randn(2, 7, 16)))])
    pad = torch.tensor([[False] * 7, [False] * 4 + [True] * 3])
    save('mha_padding_scripted', ScriptedMHA(), [('forward', (torch.randn(2, 3, 16), torch.randn(2, 7, 16), pad))])

    # ---- state written by forward (called twice: the second call sees the first's writes)
    x = torch.randn(3)
    save('stateful_counter_scripted', StatefulCounter(), [('forward', (x,)), ('forward', (x * 2,))])

    # ---- full-size torchvision models (gitignored)
    full = torch.randn(1, 3, 224, 224)
    save('resnet18_scripted', torchvision.models.resnet18(weights=None), [('forward', (full,))], big=True, tol=(1e-3, 1e-4))
    save('mobilenet_v3_small_scripted', torchvision.models.mobilenet_v3_small(weights=None), [('forward', (full,))], big=True, tol=(1e-3, 1e-4))
    save('shufflenet_v2_x0_5_scripted', torchvision.models.shufflenet_v2_x0_5(weights=None), [('forward', (full,))], big=True, tol=(1e-3, 1e-4))
    save('squeezenet1_1_scripted', torchvision.models.squeezenet1_1(weights=None), [('forward', (full,))], big=True, tol=(1e-3, 1e-4))
    save('squeezenet1_1_traced', torchvision.models.squeezenet1_1(weights=None), [('forward', (full,))], how='trace', big=True, tol=(1e-3, 1e-4))
    save('efficientnet_b0_scripted', torchvision.models.efficientnet_b0(weights=None), [('forward', (full,))], big=True, tol=(1e-3, 1e-4))
    save('regnet_y_400mf_scripted', torchvision.models.regnet_y_400mf(weights=None), [('forward', (full,))], big=True, tol=(1e-3, 1e-4))
    g = torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True)
    save('googlenet_scripted', g, [('forward', (full,))], big=True, tol=(1e-3, 1e-4))


if __name__ == '__main__':
    main()
