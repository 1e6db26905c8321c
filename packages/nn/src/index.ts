/**
 * torch.nn for torchlet: Module, Parameter, the standard layers with PyTorch's default
 * initialisation, torch.nn.init and torch.nn.functional.
 */
export { Module, deepcopy, type StateDict, type LoadResult, type ModuleToOptions } from './module.js';
export { Parameter, isParameter } from './parameter.js';
export type { PyArgs, FactoryKwargs } from './args.js';
export * as init from './init.js';
export * as functional from './functional.js';
export { Identity, Linear, Bilinear, type LinearKwargs, type BilinearKwargs } from './modules/linear.js';
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, _ConvNd, type ConvKwargs, type ConvTransposeKwargs, type PaddingMode } from './modules/conv.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, _BatchNorm, type BatchNormKwargs, type LayerNormKwargs, type GroupNormKwargs } from './modules/norm.js';
export {
  ReLU, ReLU6, Hardtanh, GELU, SiLU, Tanh, Sigmoid, Softmax, LogSoftmax, LeakyReLU, Hardswish, Hardsigmoid, ELU, PReLU, Dropout,
} from './modules/activation.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './modules/pooling.js';
export { Flatten, Unflatten, Upsample, type UpsampleMode } from './modules/shape.js';
export { Sequential, ModuleList, ModuleDict } from './modules/container.js';
export { Embedding, type EmbeddingKwargs } from './modules/sparse.js';
export { RNNBase, LSTM, GRU, RNN, type RNNKwargs, type LSTMKwargs } from './modules/rnn.js';
export { MultiheadAttention, type MultiheadAttentionKwargs, type MHAForwardOptions } from './modules/attention.js';
export {
  TransformerEncoderLayer, TransformerEncoder, type Activation, type EncoderLayerForwardOptions, type EncoderForwardOptions,
} from './modules/transformer.js';
