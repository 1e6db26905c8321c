import { defineOp } from '../../registry.js';
import { cellOverload } from './rnn_common.js';

/** torch.rnn_relu_cell: one step of the recurrence on a [batch, input_size] input. */
export const rnn_relu_cell = defineOp({
  name: 'rnn_relu_cell',
  variants: ['function'],
  overloads: [cellOverload('rnn_relu')],
});
