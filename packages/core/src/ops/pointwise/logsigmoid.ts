import { defineOp } from '../../registry.js';
import { floatUnary } from '../../cpu/pointwise_kernels.js';
import { logSigmoid } from '../../cpu/pointwise_math.js';

/** log(sigmoid(x)), exposed by PyTorch as F.logsigmoid */
export const logsigmoid = defineOp({
  name: 'logsigmoid',
  variants: ['F'],
  tags: ['pointwise'],
  overloads: [{ schema: 'aten::log_sigmoid(Tensor self) -> Tensor', ...floatUnary('log_sigmoid_cpu', () => logSigmoid) }],
});
