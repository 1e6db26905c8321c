import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** torch.group_norm / F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-5). */
export const group_norm = defineOp({
  name: 'group_norm',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enabled=True) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const x = a.input as Tensor;
        const g = a.num_groups as number;
        if (x.ndim < 2) throw new RangeError(`Expected at least 2 dimensions for input tensor but received ${x.ndim}`);
        const N = x.shape[0]!, C = x.shape[1]!;
        if (g <= 0 || C % g !== 0) throw new RangeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${x.shape.join(', ')}] and num_groups=${g}`);
        for (const k of ['weight', 'bias']) {
          const t = a[k] as Tensor | null;
          if (t && (t.ndim !== 1 || t.numel() !== C)) throw new RangeError(`Expected ${k} to be a vector of size equal to the number of channels in input, but got ${k} of shape [${t.shape.join(', ')}] and input of shape [${x.shape.join(', ')}]`);
        }
        let hxw = 1;
        for (let i = 2; i < x.ndim; i++) hxw *= x.shape[i]!;
        const [out, mean, rstd] = callOp('aten::native_group_norm', [x, a.weight, a.bias, N, C, hxw, g, a.eps]) as Tensor[];
        mean!.dispose();
        rstd!.dispose();
        return out;
      },
    },
  ],
});
