import { defineOp } from '../../registry.js';
import { layerOverloads } from './rnn_common.js';

/** torch.gru: the multi-layer (optionally bidirectional) recurrence nn.GRU runs; `.data` takes a PackedSequence. */
export const gru = defineOp({
  name: 'gru',
  variants: ['function'],
  overloads: layerOverloads('gru'),
});
