import { defineOp } from '../../registry.js';
import { layerOverloads } from './rnn_common.js';

/** torch.rnn_relu: the multi-layer (optionally bidirectional) recurrence nn.RNN runs; `.data` takes a PackedSequence. */
export const rnn_relu = defineOp({
  name: 'rnn_relu',
  variants: ['function'],
  overloads: layerOverloads('rnn_relu'),
});
