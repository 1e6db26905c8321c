import { defineOp } from '../../registry.js';
import { cellOverload } from './rnn_common.js';

/** torch.gru_cell: one step of the recurrence on a [batch, input_size] input. */
export const gru_cell = defineOp({
  name: 'gru_cell',
  variants: ['function'],
  overloads: [cellOverload('gru')],
});
