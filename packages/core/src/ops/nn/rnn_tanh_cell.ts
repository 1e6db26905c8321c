import { defineOp } from '../../registry.js';
import { cellOverload } from './rnn_common.js';

/** torch.rnn_tanh_cell: one step of the recurrence on a [batch, input_size] input. */
export const rnn_tanh_cell = defineOp({
  name: 'rnn_tanh_cell',
  variants: ['function'],
  overloads: [cellOverload('rnn_tanh')],
});
