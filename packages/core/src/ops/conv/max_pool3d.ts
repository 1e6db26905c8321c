import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat, checkPoolRank, poolArgs, poolPlan, runMaxPool } from './pool_common.js';

export const max_pool3d = defineOp({
  name: 'max_pool3d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::max_pool3d(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, int[3] dilation=1, bool ceil_mode=False) -> Tensor',
      infer: (a) => {
        const x = a.self as Tensor;
        checkPoolRank(x, 3);
        const plan = poolPlan('max_pool3d', x.shape, 3, poolArgs(a), 'max');
        checkFloat('max_pool3d', x.dtype);
        return { shape: plan.outShape, dtype: x.dtype };
      },
      cpu: (a, [out]) => runMaxPool(a.self, poolPlan('max_pool3d', (a.self as Tensor).shape, 3, poolArgs(a), 'max'), out!, null),
    },
    {
      // torch.nn.functional.max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)
      schema: 'py::max_pool3d(Tensor input, int[3] kernel_size, int[3]? stride=None, int[3] padding=0, int[3] dilation=1, bool ceil_mode=False, bool return_indices=False) -> Any',
      tags: ['composite'],
      decompose: (a) => {
        const args = [a.input, a.kernel_size, a.stride ?? [], a.padding, a.dilation, a.ceil_mode];
        return callOp(a.return_indices ? 'aten::max_pool3d_with_indices' : 'aten::max_pool3d', args);
      },
    },
  ],
});
