import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** torch.layer_norm / F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5): native_layer_norm's first output. */
export const layer_norm = defineOp({
  name: 'layer_norm',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enable=True) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const [out, mean, rstd] = callOp('aten::native_layer_norm', [a.input, a.normalized_shape, a.weight, a.bias, a.eps]) as Tensor[];
        mean!.dispose();
        rstd!.dispose();
        return out;
      },
    },
  ],
});
