import { defineOp } from '../../registry.js';
import { layerOverloads } from './rnn_common.js';

/** torch.rnn_tanh: the multi-layer (optionally bidirectional) recurrence nn.RNN runs; `.data` takes a PackedSequence. */
export const rnn_tanh = defineOp({
  name: 'rnn_tanh',
  variants: ['function'],
  overloads: layerOverloads('rnn_tanh'),
});
