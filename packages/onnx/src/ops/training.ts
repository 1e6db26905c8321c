import { Tensor, type OpDecl } from '@torchlet/core';
import { onnxOp, op, scalar } from './define.js';

/**
 * The optimizers of the ai.onnx.preview.training domain (opset 1): one step for n tensors.
 * Inputs R (learning rate), T (update count), then n X, n G (and state), variadic.
 */
function groups(xs: Tensor[], k: number, name: string): Tensor[][] {
  const rest = xs.slice(2);
  if (rest.length % k) throw new Error(`${name} takes R, T and ${k} groups of equally many tensors, got ${xs.length} inputs`);
  const n = rest.length / k;
  return Array.from({ length: k }, (_, g) => rest.slice(g * n, (g + 1) * n));
}
const axpy = (a: number, x: Tensor, y: Tensor) => (a === 0 ? y : op('aten::add', op('aten::mul', x, a), y));

export const trainingOps: OpDecl[] = [
  onnxOp('Adagrad', 'Tensor[] inputs, *, float decay_factor=0.0, float epsilon=0.0, float norm_coefficient=0.0', 'Tensor[]', (a) => {
    const xs = a.inputs as Tensor[];
    const [X, G, H] = groups(xs, 3, 'Adagrad') as [Tensor[], Tensor[], Tensor[]];
    const r = scalar(xs[0]!) / (1 + scalar(xs[1]!) * a.decay_factor);
    const outX: Tensor[] = [], outH: Tensor[] = [];
    X.forEach((x, i) => {
      const g = axpy(a.norm_coefficient, x, G[i]!);
      const h = op('aten::add', H[i]!, op('aten::mul', g, g));
      outH.push(h);
      outX.push(op('aten::sub', x, op('aten::mul', op('aten::div', g, op('aten::add', op('aten::sqrt', h), a.epsilon)), r)));
    });
    return [...outX, ...outH];
  }),
  onnxOp('Momentum', 'Tensor[] inputs, *, float alpha, float beta, str mode, float norm_coefficient', 'Tensor[]', (a) => {
    const xs = a.inputs as Tensor[];
    const [X, G, V] = groups(xs, 3, 'Momentum') as [Tensor[], Tensor[], Tensor[]];
    const r = scalar(xs[0]!), t = scalar(xs[1]!);
    const beta = t > 0 ? a.beta : 1;
    const outX: Tensor[] = [], outV: Tensor[] = [];
    X.forEach((x, i) => {
      const g = axpy(a.norm_coefficient, x, G[i]!);
      const v = op('aten::add', op('aten::mul', V[i]!, a.alpha), op('aten::mul', g, beta));
      outV.push(v);
      const step = a.mode === 'nesterov' ? op('aten::add', g, op('aten::mul', v, a.alpha)) : v;
      outX.push(op('aten::sub', x, op('aten::mul', step, r)));
    });
    return [...outX, ...outV];
  }),
  onnxOp('Adam', 'Tensor[] inputs, *, float alpha=0.9, float beta=0.999, float epsilon=1e-06, float norm_coefficient=0.0, float norm_coefficient_post=0.0', 'Tensor[]', (a) => {
    const xs = a.inputs as Tensor[];
    const [X, G, V, H] = groups(xs, 4, 'Adam') as [Tensor[], Tensor[], Tensor[], Tensor[]];
    const r = scalar(xs[0]!), t = scalar(xs[1]!);
    const rAdj = t > 0 ? (r * Math.sqrt(1 - a.beta ** t)) / (1 - a.alpha ** t) : r;
    const outX: Tensor[] = [], outV: Tensor[] = [], outH: Tensor[] = [];
    X.forEach((x, i) => {
      const g = axpy(a.norm_coefficient, x, G[i]!);
      const v = op('aten::add', op('aten::mul', V[i]!, a.alpha), op('aten::mul', g, 1 - a.alpha));
      const h = op('aten::add', op('aten::mul', H[i]!, a.beta), op('aten::mul', op('aten::mul', g, g), 1 - a.beta));
      const xn = op('aten::sub', x, op('aten::mul', op('aten::div', v, op('aten::add', op('aten::sqrt', h), a.epsilon)), rAdj));
      outX.push(a.norm_coefficient_post ? op('aten::mul', xn, 1 - a.norm_coefficient_post) : xn);
      outV.push(v);
      outH.push(h);
    });
    return [...outX, ...outV, ...outH];
  }),
];
