import type { Tensor } from '@torchlet/core';
import * as nn from '../src/index.js';

type Factory = () => nn.Module;
type Caller = (m: nn.Module, ...inputs: Tensor[]) => Tensor[];

/** The TypeScript spelling of each case in test-models/nn/make_fixtures.py. */
export const factories: Record<string, Factory> = {
  linear: () => new nn.Linear(4, 3),
  linear_nobias: () => new nn.Linear(5, 2, { bias: false }),
  linear_big: () => new nn.Linear(64, 48),
  bilinear: () => new nn.Bilinear(3, 4, 2),
  conv1d: () => new nn.Conv1d(2, 4, 3, { padding: 1 }),
  conv2d: () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
  conv2d_groups: () => new nn.Conv2d(4, 6, [3, 2], { groups: 2, bias: false, dilation: [1, 2] }),
  conv_transpose2d: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, output_padding: 1 }),
  batchnorm1d_eval: () => new nn.BatchNorm1d(5),
  batchnorm1d_train: () => new nn.BatchNorm1d(5),
  batchnorm2d_eval: () => new nn.BatchNorm2d(3),
  batchnorm2d_train: () => new nn.BatchNorm2d(3, { momentum: 0.2 }),
  batchnorm2d_cma: () => new nn.BatchNorm2d(3, { momentum: null }),
  layernorm: () => new nn.LayerNorm([3, 4]),
  groupnorm: () => new nn.GroupNorm(2, 4),
  embedding: () => new nn.Embedding(10, 3),
  embedding_pad: () => new nn.Embedding(5, 3, { padding_idx: 1 }),
  embedding_odd: () => new nn.ModuleList([new nn.Embedding(3, 3), new nn.Embedding(1, 3), new nn.Embedding(2, 4, { dtype: 'float64' })]),
  embedding_f64: () => new nn.Embedding(6, 4, { dtype: 'float64' }),
  'nn.ReLU()': () => new nn.ReLU(),
  'nn.ReLU6()': () => new nn.ReLU6(),
  'nn.GELU()': () => new nn.GELU(),
  "nn.GELU(approximate='tanh')": () => new nn.GELU({ approximate: 'tanh' }),
  'nn.SiLU()': () => new nn.SiLU(),
  'nn.Tanh()': () => new nn.Tanh(),
  'nn.Sigmoid()': () => new nn.Sigmoid(),
  'nn.Softmax(dim=1)': () => new nn.Softmax({ dim: 1 }),
  'nn.LogSoftmax(dim=-1)': () => new nn.LogSoftmax({ dim: -1 }),
  'nn.LeakyReLU(0.2)': () => new nn.LeakyReLU(0.2),
  'nn.Hardswish()': () => new nn.Hardswish(),
  'nn.Hardsigmoid()': () => new nn.Hardsigmoid(),
  'nn.ELU(alpha=0.5)': () => new nn.ELU({ alpha: 0.5 }),
  'nn.Identity()': () => new nn.Identity(),
  'nn.Dropout(0.3)': () => new nn.Dropout(0.3),
  'nn.Flatten()': () => new nn.Flatten(),
  'nn.Flatten(0, 1)': () => new nn.Flatten(0, 1),
  'nn.Unflatten(1, (5, 1))': () => new nn.Unflatten(1, [5, 1]),
  maxpool2d: () => new nn.MaxPool2d(3, { stride: 2, padding: 1 }),
  maxpool2d_ceil: () => new nn.MaxPool2d(2, { ceil_mode: true }),
  avgpool2d: () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }),
  avgpool2d_ceil: () => new nn.AvgPool2d(2, { ceil_mode: true, count_include_pad: false }),
  adaptiveavgpool2d: () => new nn.AdaptiveAvgPool2d([2, 3]),
  adaptiveavgpool2d_1: () => new nn.AdaptiveAvgPool2d(1),
  upsample_nearest: () => new nn.Upsample({ scale_factor: 2, mode: 'nearest' }),
  upsample_bilinear: () => new nn.Upsample({ size: [5, 7], mode: 'bilinear' }),
  upsample_bilinear_ac: () => new nn.Upsample({ scale_factor: 2, mode: 'bilinear', align_corners: true }),
  sequential: () => new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2)),
  moduledict: () => new nn.ModuleDict({ b: new nn.Linear(2, 2), a: new nn.Linear(2, 1) }),
  small_cnn: () =>
    new nn.Sequential(
      new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(16, 10),
    ),
  lstm: () => new nn.LSTM(3, 4, { num_layers: 2 }),
  lstm_bi_bf: () => new nn.LSTM(3, 4, { batch_first: true, bidirectional: true }),
  lstm_unbatched: () => new nn.LSTM(3, 2, { bias: false }),
  gru: () => new nn.GRU(3, 4, { num_layers: 2, batch_first: true }),
  gru_bi: () => new nn.GRU(3, 4, { bidirectional: true }),
  mha: () => new nn.MultiheadAttention(8, 2),
  mha_masks: () => new nn.MultiheadAttention(8, 4, { batch_first: true }),
  mha_kvdim: () => new nn.MultiheadAttention(8, 2, { kdim: 5, vdim: 6, bias: false }),
  encoder_layer: () => new nn.TransformerEncoderLayer(8, 2, 16),
  encoder_layer_bf: () => new nn.TransformerEncoderLayer(8, 2, 16, { batch_first: true, norm_first: true, activation: 'gelu' }),
  encoder: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 2, { norm: new nn.LayerNorm(8) }),
  lstm_proj: () => new nn.LSTM(3, 4, { num_layers: 2, proj_size: 2 }),
  rnn_relu_bi: () => new nn.RNN(3, 4, { nonlinearity: 'relu', bidirectional: true }),
  conv1d_reflect: () => new nn.Conv1d(2, 3, 3, { padding: 2, padding_mode: 'reflect' }),
  conv2d_same: () => new nn.Conv2d(2, 3, [3, 4], { padding: 'same', dilation: 2 }),
  conv2d_circular: () => new nn.Conv2d(2, 2, 3, { padding: 1, padding_mode: 'circular' }),
  conv_transpose1d: () => new nn.ConvTranspose1d(2, 4, 3, { stride: 2, groups: 2 }),
  conv_transpose2d_outsize: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2 }),
  prelu: () => new nn.PReLU(3),
  hardtanh: () => new nn.Hardtanh(-0.5, 0.7),
  embedding_maxnorm: () => new nn.Embedding(6, 3, { max_norm: 1.0 }),
  mha_bias_kv_zero_attn: () => new nn.MultiheadAttention(8, 2, { add_bias_kv: true, add_zero_attn: true }),
  mha_unbatched: () => new nn.MultiheadAttention(8, 2),
  batchnorm1d_nostats: () => new nn.BatchNorm1d(4, { affine: false, track_running_stats: false }),
  maxpool2d_indices: () => new nn.MaxPool2d(2, { return_indices: true }),
  layernorm_noaffine: () => new nn.LayerNorm(4, { elementwise_affine: false }),
};

const lstmOut = (r: [Tensor, [Tensor, Tensor]]): Tensor[] => [r[0], r[1][0], r[1][1]];

/** How each case is called when it is not `m(*inputs)` with one output. */
export const callers: Record<string, Caller> = {
  lstm: (m, x) => lstmOut((m as nn.LSTM).forward(x!)),
  lstm_bi_bf: (m, x, h, c) => lstmOut((m as nn.LSTM).forward(x!, [h!, c!])),
  lstm_unbatched: (m, x) => lstmOut((m as nn.LSTM).forward(x!)),
  gru: (m, x) => (m as nn.GRU).forward(x!),
  gru_bi: (m, x, h) => (m as nn.GRU).forward(x!, h),
  mha: (m, q, k, v) => (m as nn.MultiheadAttention).forward(q!, k!, v!) as Tensor[],
  mha_masks: (m, x, kpm, am) => (m as nn.MultiheadAttention).forward(x!, x!, x!, { key_padding_mask: kpm, attn_mask: am, average_attn_weights: false }) as Tensor[],
  mha_kvdim: (m, q, k, v) => [(m as nn.MultiheadAttention).forward(q!, k!, v!, { need_weights: false })[0]],
  encoder_layer_bf: (m, x, kpm) => [(m as nn.TransformerEncoderLayer).forward(x!, { src_key_padding_mask: kpm })],
  encoder: (m, x, mask) => [(m as nn.TransformerEncoder).forward(x!, { mask })],
  lstm_proj: (m, x) => lstmOut((m as nn.LSTM).forward(x!)),
  rnn_relu_bi: (m, x) => (m as nn.RNN).forward(x!),
  conv_transpose2d_outsize: (m, x) => [(m as nn.ConvTranspose2d).forward(x!, [10, 10])],
  mha_bias_kv_zero_attn: (m, q, k, v) => (m as nn.MultiheadAttention).forward(q!, k!, v!) as Tensor[],
  mha_unbatched: (m, q, k, v) => (m as nn.MultiheadAttention).forward(q!, k!, v!) as Tensor[],
  maxpool2d_indices: (m, x) => (m as nn.MaxPool2d).forward(x!) as unknown as Tensor[],
};

export function callCase(name: string, m: nn.Module, inputs: Tensor[]): Tensor[] {
  const c = callers[name];
  if (c) return c(m, ...inputs);
  return [m.forward(...inputs) as Tensor];
}
