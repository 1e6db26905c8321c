import { _masked_softmax } from './_masked_softmax.js';
import { _pack_padded_sequence } from './_pack_padded_sequence.js';
import { _pad_packed_sequence } from './_pad_packed_sequence.js';
import { _native_multi_head_attention } from './_native_multi_head_attention.js';
import { _scaled_dot_product_attention } from './_scaled_dot_product_attention.js';
import { _transformer_encoder_layer_fwd } from './_transformer_encoder_layer_fwd.js';
import { batch_norm } from './batch_norm.js';
import { binary_cross_entropy } from './binary_cross_entropy.js';
import { binary_cross_entropy_with_logits } from './binary_cross_entropy_with_logits.js';
import { cross_entropy, cross_entropy_loss } from './cross_entropy.js';
import { cosine_embedding_loss } from './cosine_embedding_loss.js';
import { gaussian_nll_loss } from './gaussian_nll_loss.js';
import { hinge_embedding_loss } from './hinge_embedding_loss.js';
import { huber_loss } from './huber_loss.js';
import { margin_ranking_loss } from './margin_ranking_loss.js';
import { multi_margin_loss } from './multi_margin_loss.js';
import { multilabel_margin_loss } from './multilabel_margin_loss.js';
import { multilabel_soft_margin_loss } from './multilabel_soft_margin_loss.js';
import { poisson_nll_loss } from './poisson_nll_loss.js';
import { soft_margin_loss } from './soft_margin_loss.js';
import { triplet_margin_loss } from './triplet_margin_loss.js';
import { kl_div } from './kl_div.js';
import { l1_loss } from './l1_loss.js';
import { mse_loss } from './mse_loss.js';
import { nll_loss, nll_loss2d, nll_loss_nd } from './nll_loss.js';
import { scaled_dot_product_attention } from './scaled_dot_product_attention.js';
import { smooth_l1_loss } from './smooth_l1_loss.js';
import { group_norm } from './group_norm.js';
import { __interpolate, __upsample, __upsample_bilinear, __upsample_nearest, interpolate, upsample, upsample_bilinear, upsample_nearest } from './interpolate.js';
import { instance_norm } from './instance_norm.js';
import { layer_norm } from './layer_norm.js';
import { local_response_norm } from './local_response_norm.js';
import { native_batch_norm } from './native_batch_norm.js';
import { native_group_norm } from './native_group_norm.js';
import { native_layer_norm } from './native_layer_norm.js';
import { normalize } from './normalize.js';
import { upsampleOps } from './upsample.js';
import { gru } from './gru.js';
import { gru_cell } from './gru_cell.js';
import { lstm } from './lstm.js';
import { lstm_cell } from './lstm_cell.js';
import { rnn_relu } from './rnn_relu.js';
import { rnn_relu_cell } from './rnn_relu_cell.js';
import { rnn_tanh } from './rnn_tanh.js';
import { rnn_tanh_cell } from './rnn_tanh_cell.js';

export const nnOps = [
  // normalization
  native_batch_norm, batch_norm, instance_norm, native_layer_norm, layer_norm, native_group_norm, group_norm, normalize, local_response_norm,
  // interpolation
  ...upsampleOps, interpolate, upsample, upsample_nearest, upsample_bilinear, __upsample, __upsample_nearest, __upsample_bilinear, __interpolate,
  // recurrent
  lstm, gru, rnn_tanh, rnn_relu, lstm_cell, gru_cell, rnn_tanh_cell, rnn_relu_cell, _pack_padded_sequence, _pad_packed_sequence,
  // attention
  _masked_softmax, _native_multi_head_attention, _transformer_encoder_layer_fwd, _scaled_dot_product_attention,
  scaled_dot_product_attention,
  // losses
  mse_loss, l1_loss, smooth_l1_loss, huber_loss, kl_div, binary_cross_entropy, binary_cross_entropy_with_logits, nll_loss, nll_loss_nd, nll_loss2d,
  cross_entropy_loss, cross_entropy, margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss, soft_margin_loss, multi_margin_loss,
  multilabel_margin_loss, poisson_nll_loss, triplet_margin_loss, gaussian_nll_loss, multilabel_soft_margin_loss,
] as const;
