/**
 * Decompositions of the normalization ops into registry ops (mean, var, rsqrt, arithmetic, views),
 * for backends without a fused kernel; CPU runs the kernels in cpu/nn_norm.ts.
 */
import { callOp } from '../../dispatch.js';
import type { Args } from '../../registry.js';
import { tidy } from '../../scope.js';
import { Tensor } from '../../tensor.js';

const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;

/** [1, C, 1, ...] for broadcasting a per-channel vector against an [N, C, ...] tensor. */
function channelView(v: Tensor, ndim: number): Tensor {
  const shape = new Array<number>(Math.max(ndim, 2)).fill(1);
  shape[1] = v.numel();
  return op('aten::view', v, shape);
}

function affine(y: Tensor, w: Tensor | null, b: Tensor | null, view: (t: Tensor) => Tensor): Tensor {
  let r = y;
  if (w) r = op('aten::mul', r, view(w));
  if (b) r = op('aten::add', r, view(b));
  return r;
}

export function nativeLayerNormDecompose(a: Args): Tensor[] {
  const x = a.input as Tensor;
  const k = (a.normalized_shape as number[]).length;
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  return tidy(() => {
    const mean = op('aten::mean', x, dims, true);
    const rstd = op('aten::rsqrt', op('aten::add', op('aten::var', x, dims, false, true), a.eps));
    const y = affine(op('aten::mul', op('aten::sub', x, mean), rstd), a.weight, a.bias, (t) => t);
    return [y, mean, rstd];
  });
}

export function nativeBatchNormDecompose(a: Args): Tensor[] {
  const x = a.input as Tensor;
  const rm = a.running_mean as Tensor | null, rv = a.running_var as Tensor | null;
  const m = a.momentum as number;
  return tidy(() => {
    const cv = (t: Tensor): Tensor => channelView(t, x.ndim);
    if (!a.training) {
      const invstd = op('aten::rsqrt', op('aten::add', rv!, a.eps));
      const y = affine(op('aten::mul', op('aten::sub', x, cv(rm!)), cv(invstd)), a.weight, a.bias, cv);
      return [y, Tensor.empty([0], x.dtype, x.device), Tensor.empty([0], x.dtype, x.device)];
    }
    const dims = [0, ...Array.from({ length: Math.max(x.ndim - 2, 0) }, (_, i) => i + 2)];
    const mean = op('aten::mean', x, dims, false);
    const variance = op('aten::var', x, dims, false, false);
    const invstd = op('aten::rsqrt', op('aten::add', variance, a.eps));
    const n = x.numel() / Math.max(x.shape[1] ?? 1, 1);
    if (rm) op('aten::copy_', rm, op('aten::add', op('aten::mul', rm, 1 - m), op('aten::mul', mean, m)));
    if (rv) op('aten::copy_', rv, op('aten::add', op('aten::mul', rv, 1 - m), op('aten::mul', variance, (m * n) / (n - 1))));
    const y = affine(op('aten::mul', op('aten::sub', x, cv(mean)), cv(invstd)), a.weight, a.bias, cv);
    return [y, mean, invstd];
  });
}

export function nativeGroupNormDecompose(a: Args): Tensor[] {
  const x = a.input as Tensor;
  const { N, C, HxW, group } = a as { N: number; C: number; HxW: number; group: number };
  return tidy(() => {
    const xr = op('aten::reshape', x, [N, group, (C / group) * HxW]);
    const mean = op('aten::mean', xr, [2], true);
    const rstd = op('aten::rsqrt', op('aten::add', op('aten::var', xr, [2], false, true), a.eps));
    const y = op('aten::reshape', op('aten::mul', op('aten::sub', xr, mean), rstd), x.shape);
    const cv = (t: Tensor): Tensor => channelView(t, x.ndim);
    return [affine(y, a.weight, a.bias, cv), op('aten::reshape', mean, [N, group]), op('aten::reshape', rstd, [N, group])];
  });
}

/** PyTorch's own instance_norm: batch norm of the input viewed as [1, N*C, ...], parameters repeated. */
export function instanceNormDecompose(a: Args): Tensor {
  const x = a.input as Tensor;
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const rm = a.running_mean as Tensor | null, rv = a.running_var as Tensor | null;
  return tidy(() => {
    const rep = (t: Tensor | null): Tensor | null => (t ? op('aten::repeat', t, [N]) : null);
    const rmr = rep(rm), rvr = rep(rv);
    const xr = op('aten::reshape', x, [1, N * C, ...x.shape.slice(2)]);
    const out = op('aten::batch_norm', xr, rep(a.weight), rep(a.bias), rmr, rvr, a.use_input_stats, a.momentum, a.eps, false);
    if (rm && rmr) op('aten::copy_', rm, op('aten::mean', op('aten::view', rmr, [N, C]), [0], false));
    if (rv && rvr) op('aten::copy_', rv, op('aten::mean', op('aten::view', rvr, [N, C]), [0], false));
    return op('aten::reshape', out, x.shape);
  });
}
