import { defineOp } from '../../registry.js';
import { cellOverload } from './rnn_common.js';

/** torch.lstm_cell: one step of the recurrence on a [batch, input_size] input. */
export const lstm_cell = defineOp({
  name: 'lstm_cell',
  variants: ['function'],
  overloads: [cellOverload('lstm')],
});
