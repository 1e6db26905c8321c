import { defineOp } from '../../registry.js';
import { internalSoftmax, softmaxOverloads } from './softmax.js';

export const log_softmax = defineOp({
  name: 'log_softmax',
  variants: ['function', 'method', 'F'],
  overloads: softmaxOverloads('log_softmax'),
});

export const _log_softmax = defineOp({ name: '_log_softmax', overloads: [internalSoftmax('log_softmax')] });
