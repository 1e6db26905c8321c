import { defineOp, type OutSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { checkBlasDtype, dotStrided, typeName } from './common.js';

export function dotInfer(name: string, x: Tensor, y: Tensor): OutSpec {
  if (x.ndim !== 1 || y.ndim !== 1) throw new Error(`1D tensors expected, but got ${x.ndim}D and ${y.ndim}D tensors`);
  if (x.dtype !== y.dtype) throw new Error(`${name} : expected both vectors to have same dtype, but found ${typeName(x.dtype)} and ${typeName(y.dtype)}`);
  const n = x.shape[0]!, m = y.shape[0]!;
  if (n !== m) throw new Error(`inconsistent tensor size, expected tensor [${n}] and src [${m}] to have the same number of elements, but got ${n} and ${m} elements respectively`);
  checkBlasDtype('dot', x.dtype);
  return { shape: [], dtype: x.dtype };
}

export function dotKernel(x: Tensor, y: Tensor, out: Tensor): void {
  out.hostArray[0] = dotStrided(x.shape[0]!, x.hostArray, x.offset, x.strides[0]!, y.hostArray, y.offset, y.strides[0]!);
}

export const dot = defineOp({
  name: 'dot',
  overloads: [
    {
      schema: 'aten::dot(Tensor self, Tensor tensor) -> Tensor',
      infer: (a) => dotInfer('dot', a.self, a.tensor),
      cpu: (a, [out]) => dotKernel(a.self, a.tensor, out!),
    },
  ],
});
