import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat, checkPoolRank, poolArgs, poolPlan, runMaxPool } from './pool_common.js';

export const max_pool2d = defineOp({
  name: 'max_pool2d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor;
        checkPoolRank(x, 2);
        const plan = poolPlan('max_pool2d', x.shape, 2, poolArgs(a), 'max');
        checkFloat('max_pool2d', x.dtype);
        return { shape: plan.outShape, dtype: x.dtype };
      },
      cpu: (a, [out]) => runMaxPool(a.self, poolPlan('max_pool2d', (a.self as Tensor).shape, 2, poolArgs(a), 'max'), out!, null),
    },
    {
      // torch.nn.functional.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)
      schema: 'py::max_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, int[2] padding=0, int[2] dilation=1, bool ceil_mode=False, bool return_indices=False) -> Any',
      tags: ['composite'],
      decompose: (a) => {
        const args = [a.input, a.kernel_size, a.stride ?? [], a.padding, a.dilation, a.ceil_mode];
        return callOp(a.return_indices ? 'aten::max_pool2d_with_indices' : 'aten::max_pool2d', args);
      },
    },
  ],
});
