"""Makes the torch.nn fixtures for packages/nn/test (run with /usr/bin/python3, PyTorch 1.13).

    /usr/bin/python3 test-models/nn/make_fixtures.py

Tensors are {"dtype", "shape", "data"} with data row-major (non-finite floats as "inf", "-inf", "nan").
modules.json: one case per module configuration. Each case was built right after
`torch.manual_seed(seed)`; `init` is its state_dict at that point (PyTorch's default
initialisation), `state` the state_dict used for the forward pass (= init unless perturbed, then
given explicitly), `inputs`/`outputs` the forward call in `mode` ('eval' or 'train'), and for
train-mode cases `after` the buffers after the call (BatchNorm running stats).
random.json: torch.nn.init / Tensor.uniform_/normal_ draws after manual_seed.
"""
import json
import math
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


def enc(t):
    if isinstance(t, torch.Tensor):
        t = t.detach()
        dt = str(t.dtype).replace('torch.', '')
        data = t.flatten().tolist()
        if dt == 'bool':
            data = [bool(v) for v in data]
        elif t.is_floating_point():
            # JSON has no inf/nan: write them as strings
            data = [v if math.isfinite(v) else ('nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')) for v in data]
        return {'dtype': dt, 'shape': list(t.shape), 'data': data}
    if isinstance(t, (list, tuple)):
        return [enc(v) for v in t]
    if t is None:
        return None
    raise TypeError(type(t))


def sd(m):
    return {k: enc(v) for k, v in m.state_dict().items()}


def perturb(m, seed):
    """Random values for every parameter and buffer that init leaves trivial (norm layers)."""
    g = torch.Generator().manual_seed(seed)
    for name, t in list(m.named_parameters()) + list(m.named_buffers()):
        if name.endswith('running_var'):
            t.data.copy_(torch.rand(t.shape, generator=g) + 0.5)
        elif name.endswith('num_batches_tracked'):
            t.data.fill_(7)
        else:
            t.data.copy_(torch.randn(t.shape, generator=g))


cases = []


def case(name, ctor, inputs=None, mode='eval', seed=0, perturb_state=False, call=None, forward=True):
    torch.manual_seed(seed)
    m = eval(ctor, {'nn': nn, 'torch': torch, 'math': math})
    init = sd(m)
    entry = {'name': name, 'ctor': ctor, 'seed': seed, 'mode': mode, 'repr': repr(m), 'init': init}
    if perturb_state:
        perturb(m, 1234)
        entry['state'] = sd(m)
    if forward:
        g = torch.Generator().manual_seed(99)
        ins = inputs(g)
        m.train(mode == 'train')
        out = call(m, *ins) if call else m(*ins)
        entry['inputs'] = enc(list(ins))
        entry['outputs'] = enc(out if isinstance(out, (list, tuple)) else [out])
        if mode == 'train':
            entry['after'] = sd(m)
    cases.append(entry)


def randn(*shape, scale=1.0):
    return lambda g: [torch.randn(*shape, generator=g) * scale]


case('linear', 'nn.Linear(4, 3)', randn(2, 3, 4))
case('linear_nobias', 'nn.Linear(5, 2, bias=False)', randn(3, 5), seed=1)
case('linear_big', 'nn.Linear(64, 48)', randn(2, 64), seed=7)
case('bilinear', 'nn.Bilinear(3, 4, 2)', lambda g: [torch.randn(5, 3, generator=g), torch.randn(5, 4, generator=g)])
case('conv1d', 'nn.Conv1d(2, 4, 3, padding=1)', randn(2, 2, 7))
case('conv2d', 'nn.Conv2d(3, 4, 3, stride=2, padding=1)', randn(1, 3, 8, 8))
case('conv2d_groups', 'nn.Conv2d(4, 6, (3, 2), groups=2, bias=False, dilation=(1, 2))', randn(2, 4, 6, 7), seed=3)
case('conv_transpose2d', 'nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)', randn(1, 3, 4, 4))
case('batchnorm1d_eval', 'nn.BatchNorm1d(5)', randn(4, 5), perturb_state=True)
case('batchnorm1d_train', 'nn.BatchNorm1d(5)', randn(4, 5, 3), mode='train', perturb_state=True)
case('batchnorm2d_eval', 'nn.BatchNorm2d(3)', randn(2, 3, 4, 4), perturb_state=True)
case('batchnorm2d_train', 'nn.BatchNorm2d(3, momentum=0.2)', randn(2, 3, 4, 4), mode='train', perturb_state=True)
case('batchnorm2d_cma', 'nn.BatchNorm2d(3, momentum=None)', randn(2, 3, 2, 2), mode='train', perturb_state=True)
case('layernorm', 'nn.LayerNorm([3, 4])', randn(2, 3, 4), perturb_state=True)
case('groupnorm', 'nn.GroupNorm(2, 4)', randn(2, 4, 3, 3), perturb_state=True)
case('embedding', 'nn.Embedding(10, 3)', lambda g: [torch.tensor([[1, 2, 4], [4, 3, 9]])])
case('embedding_pad', 'nn.Embedding(5, 3, padding_idx=1)', lambda g: [torch.tensor([0, 1, 4])])
case('embedding_odd', 'nn.ModuleList([nn.Embedding(3, 3), nn.Embedding(1, 3), nn.Embedding(2, 4, dtype=torch.float64)])', forward=False)
case('embedding_f64', 'nn.Embedding(6, 4, dtype=torch.float64)', forward=False)
for act in ['nn.ReLU()', 'nn.ReLU6()', 'nn.GELU()', "nn.GELU(approximate='tanh')", 'nn.SiLU()', 'nn.Tanh()',
            'nn.Sigmoid()', 'nn.Softmax(dim=1)', 'nn.LogSoftmax(dim=-1)', 'nn.LeakyReLU(0.2)', 'nn.Hardswish()',
            'nn.Hardsigmoid()', 'nn.ELU(alpha=0.5)', 'nn.Identity()', 'nn.Dropout(0.3)', 'nn.Flatten()',
            'nn.Flatten(0, 1)', 'nn.Unflatten(1, (5, 1))']:
    case(act, act, randn(3, 5, scale=4.0))
case('maxpool2d', 'nn.MaxPool2d(3, stride=2, padding=1)', randn(1, 2, 7, 7))
case('maxpool2d_ceil', 'nn.MaxPool2d(2, ceil_mode=True)', randn(1, 2, 7, 7))
case('avgpool2d', 'nn.AvgPool2d(3, stride=2, padding=1)', randn(1, 2, 7, 7))
case('avgpool2d_ceil', 'nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False)', randn(1, 2, 7, 7))
case('adaptiveavgpool2d', 'nn.AdaptiveAvgPool2d((2, 3))', randn(1, 2, 5, 7))
case('adaptiveavgpool2d_1', 'nn.AdaptiveAvgPool2d(1)', randn(2, 3, 4, 4))
case('upsample_nearest', "nn.Upsample(scale_factor=2, mode='nearest')", randn(1, 2, 3, 4))
case('upsample_bilinear', "nn.Upsample(size=(5, 7), mode='bilinear')", randn(1, 2, 3, 4))
case('upsample_bilinear_ac', "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)", randn(1, 2, 3, 4))
case('sequential', 'nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))', randn(3, 4), seed=5)
case('moduledict', "nn.ModuleDict({'b': nn.Linear(2, 2), 'a': nn.Linear(2, 1)})", forward=False)
case('small_cnn',
     'nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2), '
     'nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))',
     randn(2, 3, 16, 16), seed=11)
case('lstm', 'nn.LSTM(3, 4, num_layers=2)', randn(5, 2, 3), call=lambda m, x: (lambda o: [o[0], o[1][0], o[1][1]])(m(x)))
case('lstm_bi_bf', 'nn.LSTM(3, 4, batch_first=True, bidirectional=True)',
     lambda g: [torch.randn(2, 5, 3, generator=g), torch.randn(2, 2, 4, generator=g), torch.randn(2, 2, 4, generator=g)],
     call=lambda m, x, h, c: (lambda o: [o[0], o[1][0], o[1][1]])(m(x, (h, c))))
case('lstm_unbatched', 'nn.LSTM(3, 2, bias=False)', randn(4, 3), call=lambda m, x: (lambda o: [o[0], o[1][0], o[1][1]])(m(x)))
case('gru', 'nn.GRU(3, 4, num_layers=2, batch_first=True)', randn(2, 5, 3), call=lambda m, x: list(m(x)))
case('gru_bi', 'nn.GRU(3, 4, bidirectional=True)',
     lambda g: [torch.randn(5, 2, 3, generator=g), torch.randn(2, 2, 4, generator=g)], call=lambda m, x, h: list(m(x, h)))
case('mha', 'nn.MultiheadAttention(8, 2)',
     lambda g: [torch.randn(4, 2, 8, generator=g), torch.randn(6, 2, 8, generator=g), torch.randn(6, 2, 8, generator=g)],
     call=lambda m, q, k, v: list(m(q, k, v)))
case('mha_masks', 'nn.MultiheadAttention(8, 4, batch_first=True)',
     lambda g: [torch.randn(2, 3, 8, generator=g), torch.tensor([[False, False, True], [False, False, False]]),
                torch.randn(3, 3, generator=g)],
     call=lambda m, x, kpm, am: list(m(x, x, x, key_padding_mask=kpm, attn_mask=am, average_attn_weights=False)))
case('mha_kvdim', 'nn.MultiheadAttention(8, 2, kdim=5, vdim=6, bias=False)',
     lambda g: [torch.randn(3, 1, 8, generator=g), torch.randn(4, 1, 5, generator=g), torch.randn(4, 1, 6, generator=g)],
     call=lambda m, q, k, v: [m(q, k, v, need_weights=False)[0]])
case('encoder_layer', 'nn.TransformerEncoderLayer(8, 2, 16)', randn(3, 2, 8))
case('encoder_layer_bf', "nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, norm_first=True, activation='gelu')",
     lambda g: [torch.randn(2, 3, 8, generator=g), torch.tensor([[False, False, True], [False, False, False]])],
     call=lambda m, x, kpm: m(x, src_key_padding_mask=kpm))
case('encoder', 'nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2, norm=nn.LayerNorm(8))',
     lambda g: [torch.randn(3, 2, 8, generator=g), torch.triu(torch.full((3, 3), float('-inf')), diagonal=1)],
     call=lambda m, x, mask: m(x, mask=mask))


case('lstm_proj', 'nn.LSTM(3, 4, num_layers=2, proj_size=2)', randn(5, 2, 3), call=lambda m, x: (lambda o: [o[0], o[1][0], o[1][1]])(m(x)))
case('rnn_relu_bi', "nn.RNN(3, 4, nonlinearity='relu', bidirectional=True)", randn(4, 2, 3), call=lambda m, x: list(m(x)))
case('conv1d_reflect', "nn.Conv1d(2, 3, 3, padding=2, padding_mode='reflect')", randn(1, 2, 6))
case('conv2d_same', "nn.Conv2d(2, 3, (3, 4), padding='same', dilation=2)", randn(1, 2, 7, 8))
case('conv2d_circular', "nn.Conv2d(2, 2, 3, padding=1, padding_mode='circular')", randn(1, 2, 5, 5))
case('conv_transpose1d', 'nn.ConvTranspose1d(2, 4, 3, stride=2, groups=2)', randn(2, 2, 5))
case('conv_transpose2d_outsize', 'nn.ConvTranspose2d(3, 2, 3, stride=2)', randn(1, 3, 4, 4), call=lambda m, x: m(x, output_size=[10, 10]))
case('prelu', 'nn.PReLU(3)', randn(2, 3, 4))
case('hardtanh', 'nn.Hardtanh(-0.5, 0.7)', randn(3, 5))
case('embedding_maxnorm', 'nn.Embedding(6, 3, max_norm=1.0)', lambda g: [torch.tensor([[0, 2], [5, 2]])])
case('mha_bias_kv_zero_attn', 'nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True)',
     lambda g: [torch.randn(3, 2, 8, generator=g), torch.randn(4, 2, 8, generator=g), torch.randn(4, 2, 8, generator=g)],
     call=lambda m, q, k, v: list(m(q, k, v)))
case('mha_unbatched', 'nn.MultiheadAttention(8, 2)',
     lambda g: [torch.randn(3, 8, generator=g), torch.randn(4, 8, generator=g), torch.randn(4, 8, generator=g)],
     call=lambda m, q, k, v: list(m(q, k, v)))
case('batchnorm1d_nostats', 'nn.BatchNorm1d(4, affine=False, track_running_stats=False)', randn(3, 4))
case('maxpool2d_indices', 'nn.MaxPool2d(2, return_indices=True)', randn(1, 2, 4, 5), call=lambda m, x: list(m(x)))
case('layernorm_noaffine', 'nn.LayerNorm(4, elementwise_affine=False)', randn(2, 3, 4))


class Net(nn.Module):
    """Attribute-assigned parameters, buffers and submodules: what the walk order must reproduce."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.scale = nn.Parameter(torch.ones(2))
        self.register_buffer('steps', torch.zeros(1))
        self.register_buffer('cache', torch.zeros(1), persistent=False)
        self.blocks = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Sequential(nn.BatchNorm1d(2)))
        self.head = nn.ModuleDict({'z': nn.Linear(2, 1), '1': nn.Linear(2, 3)})
        self.offset = nn.Parameter(torch.zeros(1))
        self.shared = self.blocks[0]

    def forward(self, x):
        return x


torch.manual_seed(3)
net = Net()
structure = {
    'state_dict': list(net.state_dict().keys()),
    'named_parameters': [k for k, _ in net.named_parameters()],
    'named_buffers': [k for k, _ in net.named_buffers()],
    'named_modules': [k for k, _ in net.named_modules()],
    'named_children': [k for k, _ in net.named_children()],
    'init': sd(net),
    'repr': repr(net),
}

with open(os.path.join(HERE, 'modules.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases, 'structure': structure}, f)

# ---- raw generator draws
rnd = {}
torch.manual_seed(0)
rnd['uniform_f32'] = enc(torch.empty(3000).uniform_(-0.37, 0.71))
rnd['uniform_f64'] = enc(torch.empty(20, dtype=torch.float64).uniform_(-2, 3))
torch.manual_seed(1)
rnd['normal_f32_40'] = enc(torch.empty(40).normal_(0.5, 2.0))
rnd['normal_f32_5a'] = enc(torch.empty(5).normal_())
rnd['normal_f32_5b'] = enc(torch.empty(5).normal_())
rnd['normal_f64_20'] = enc(torch.empty(20, dtype=torch.float64).normal_(-1, 0.5))
torch.manual_seed(2)
w = torch.empty(6, 5)
nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('tanh'))
rnd['xavier_uniform'] = enc(w)
w = torch.empty(6, 5, 3)
nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')
rnd['kaiming_normal'] = enc(w)
w = torch.empty(4, 7)
nn.init.xavier_normal_(w)
rnd['xavier_normal'] = enc(w)
w = torch.empty(4, 3)
nn.init.kaiming_uniform_(w, a=0.1, mode='fan_in', nonlinearity='leaky_relu')
rnd['kaiming_uniform'] = enc(w)
rnd['after'] = enc(torch.empty(4).uniform_())
with open(os.path.join(HERE, 'random.json'), 'w') as f:
    json.dump(rnd, f)
print('wrote', len(cases), 'module cases')
