import { defineOp } from '../../registry.js';
import { layerOverloads } from './rnn_common.js';

/** torch.lstm: the multi-layer (optionally bidirectional) recurrence nn.LSTM runs; `.data` takes a PackedSequence. */
export const lstm = defineOp({
  name: 'lstm',
  variants: ['function'],
  overloads: layerOverloads('lstm'),
});
