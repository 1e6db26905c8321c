import { callOp } from '../../dispatch.js';
import { maxPool, poolOutputSize } from '../../cpu/pool.js';
import { defineOp, type Args } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat } from './pool_common.js';

/** aten::max_pool1d's own checks (it allows an empty output, unlike the 2-d pools). */
function plan1d(a: Args): { outShape: number[]; k: number; s: number; p: number; d: number; L: number; OL: number; planes: number } {
  const x = a.self as Tensor;
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new Error(`max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[${x.shape.join(', ')}]`);
  }
  const list = (name: string, v: number[], allowEmpty: boolean): void => {
    if (v.length !== 1 && !(allowEmpty && v.length === 0)) throw new Error(`max_pool1d() ${name} must be an int, list of ints or tuple of ints of size 1 but got size ${v.length}`);
  };
  list('kernel_size', a.kernel_size, false);
  list('stride', a.stride, true);
  list('padding', a.padding, false);
  list('dilation', a.dilation, false);
  const k = a.kernel_size[0] as number, s = (a.stride.length ? a.stride[0] : k) as number, p = a.padding[0] as number, d = a.dilation[0] as number;
  if (k <= 0) throw new Error(`max_pool1d() kernel_size must be greater than zero, but got ${k}`);
  if (s <= 0) throw new Error(`max_pool1d() stride must be greater than zero, but got ${s}`);
  if (p < 0) throw new Error(`max_pool1d() padding must be non-negative, but got ${p}`);
  if (p > Math.floor(k / 2)) throw new Error(`max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`);
  if (d <= 0) throw new Error(`max_pool1d() dilation must be greater than zero, but got ${d}`);
  const L = x.shape[x.ndim - 1]!;
  const OL = poolOutputSize(L, k, p, p, s, d, a.ceil_mode);
  if (OL < 0) throw new Error(`max_pool1d() Invalid computed output size: ${OL}`);
  const planes = x.shape.slice(0, -1).reduce((u, v) => u * v, 1);
  return { outShape: [...x.shape.slice(0, -1), OL], k, s, p, d, L, OL, planes };
}

export const max_pool1d = defineOp({
  name: 'max_pool1d',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'aten::max_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=[0], int[1] dilation=[1], bool ceil_mode=False) -> Tensor',
      infer: (a) => {
        const p = plan1d(a);
        checkFloat('max_pool1d_impl', (a.self as Tensor).dtype);
        return { shape: p.outShape, dtype: (a.self as Tensor).dtype };
      },
      cpu: (a, [out]) => {
        const p = plan1d(a);
        const geom = { planes: p.planes, D: 1, H: 1, W: p.L, OD: 1, OH: 1, OW: p.OL, kd: 1, kh: 1, kw: p.k, sd: 1, sh: 1, sw: p.s, pd: 0, ph: 0, pw: p.p, dd: 1, dh: 1, dw: p.d };
        maxPool((a.self as Tensor).contiguousArray(), geom, out!.hostArray, null);
      },
    },
    {
      // torch.nn.functional.max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)
      schema: 'py::max_pool1d(Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, int[1] dilation=1, bool ceil_mode=False, bool return_indices=False) -> Any',
      tags: ['composite'],
      decompose: (a) => {
        const args = [a.input, a.kernel_size, a.stride ?? [], a.padding, a.dilation, a.ceil_mode];
        return callOp(a.return_indices ? 'aten::max_pool1d_with_indices' : 'aten::max_pool1d', args);
      },
    },
  ],
});
