import { defineOp } from '../../registry.js';
import { internalSoftmax, softmaxInfer, softmaxKernel, softmaxOverloads } from './softmax.js';

export const log_softmax = defineOp({
  name: 'log_softmax',
  variants: ['function', 'method', 'F'],
  overloads: softmaxOverloads('log_softmax'),
});

export const _log_softmax = defineOp({ name: '_log_softmax', overloads: [internalSoftmax('log_softmax')] });

/** torch.special.log_softmax (aten::special_log_softmax): log_softmax.int under another name. */
export const special_log_softmax = defineOp({
  name: 'special_log_softmax',
  variants: [],
  overloads: [{ schema: 'aten::special_log_softmax(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor', infer: softmaxInfer('log_softmax'), cpu: softmaxKernel('log_softmax') }],
});
