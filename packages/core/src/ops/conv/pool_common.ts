/** Shared argument handling for the pooling ops (not an op file: not listed in index.ts). */
import { adaptiveAvgPool, adaptiveMaxPool, avgPool, maxPool, poolOutputSize, type AdaptiveGeom, type PoolGeom } from '../../cpu/pool.js';
import type { DType } from '../../dtype.js';
import type { OutSpec } from '../../registry.js';
import type { Tensor } from '../../tensor.js';
import { notImplemented } from '../linalg/common.js';

const NUM = ['', 'one int', 'two ints', 'three ints'];
const AXES: Record<number, string[]> = { 1: ['W'], 2: ['H', 'W'], 3: ['T', 'H', 'W'] };
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** pad3: a (D, H, W) triple from an nd list, with `fill` for the missing leading dims. */
function pad3(v: readonly number[], fill: number): [number, number, number] {
  const r = [...v];
  while (r.length < 3) r.unshift(fill);
  return r as [number, number, number];
}

export interface PoolArgs {
  kernel: number[];
  /** empty: the kernel size */
  stride: number[];
  padding: number[];
  dilation: number[];
  ceil: boolean;
}

/** Checks the per-dim lists' lengths with PyTorch's wording (`max_pool2d: kernel_size must ...`). */
function checkLists(name: string, nd: number, p: PoolArgs, withDilation: boolean): void {
  const n = NUM[nd]!;
  if (p.kernel.length !== nd) throw new Error(`${name}: kernel_size must either be a single int, or a tuple of ${n}`);
  if (p.stride.length !== 0 && p.stride.length !== nd) throw new Error(`${name}: stride must either be omitted, a single int, or a tuple of ${n}`);
  if (p.padding.length !== nd) throw new Error(`${name}: padding must either be a single int, or a tuple of ${n}`);
  if (withDilation && p.dilation.length !== nd) throw new Error(`${name}: dilation must be either a single int, or a tuple of ${n}`);
}

export interface PoolPlan {
  geom: PoolGeom;
  outShape: number[];
}

/**
 * Output shape and geometry of an Nd max (dilation) or average pooling over the last nd dims of
 * x; `batchDims` is 1 (unbatched) or 2 (batched).
 */
export function poolPlan(name: string, shape: readonly number[], nd: number, p: PoolArgs, kind: 'max' | 'avg'): PoolPlan {
  const x = { shape, ndim: shape.length };
  checkLists(name, nd, p, kind === 'max');
  const stride = p.stride.length === 0 ? p.kernel : p.stride;
  const dilation = kind === 'max' ? p.dilation : new Array<number>(nd).fill(1);
  const sp = x.shape.slice(x.ndim - nd);
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    const k = p.kernel[i]!, s = stride[i]!, pad = p.padding[i]!, d = dilation[i]!;
    if (s === 0) throw new Error('stride should not be zero');
    if (pad < 0) throw new Error('pad must be non-negative');
    if (pad > Math.floor(k / 2)) throw new Error(`pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${k}`);
    out.push(poolOutputSize(sp[i]!, k, pad, pad, s, d, p.ceil));
  }
  const ax = AXES[nd]!;
  if (p.kernel.some((k) => k <= 0)) throw new Error(`kernel size should be greater than zero, but got ${ax.map((a, i) => `k${a}: ${p.kernel[i]}`).join(' ')}`);
  if (stride.some((s) => s <= 0)) throw new Error(`stride should be greater than zero, but got ${ax.map((a, i) => `d${a}: ${stride[i]}`).join(' ')}`);
  if (dilation.some((d) => d <= 0)) throw new Error(`dilation should be greater than zero, but got ${ax.map((a, i) => `dilation${a}: ${dilation[i]}`).join(' ')}`);
  const nonBatch = x.shape.slice(x.ndim - nd - 1);
  if (nonBatch.some((s) => s === 0)) {
    throw new Error(`Expected ${nd + 1}D or ${nd + 2}D (batch mode) tensor with optional 0 dim batch size for input, but got:${fmt(x.shape)}`);
  }
  if (kind === 'avg' && nd === 3 && sp.some((s, i) => s < p.kernel[i]!)) {
    throw new Error(`input image (T: ${sp[0]} H: ${sp[1]} W: ${sp[2]}) smaller than kernel size (kT: ${p.kernel[0]} kH: ${p.kernel[1]} kW: ${p.kernel[2]})`);
  }
  const C = x.shape[x.ndim - nd - 1]!;
  if (out.some((o) => o < 1)) {
    throw new Error(`Given input size: (${[C, ...sp].join('x')}). Calculated output size: (${[C, ...out].join('x')}). Output size is too small`);
  }
  let planes = 1;
  for (let i = 0; i < x.ndim - nd; i++) planes *= x.shape[i]!;
  const [D, H, W] = pad3(sp, 1), [OD, OH, OW] = pad3(out, 1);
  const [kd, kh, kw] = pad3(p.kernel, 1), [sd, sh, sw] = pad3(stride, 1), [pd, ph, pw] = pad3(p.padding, 0), [dd, dh, dw] = pad3(dilation, 1);
  return {
    geom: { planes, D, H, W, OD, OH, OW, kd, kh, kw, sd, sh, sw, pd, ph, pw, dd, dh, dw },
    outShape: [...x.shape.slice(0, x.ndim - nd), ...out],
  };
}

/** The `non-empty 3D or 4D (batch mode) tensor expected for input` rank check. */
export function checkPoolRank(x: Tensor, nd: number, avg = false): void {
  if (avg && x.ndim < nd + 1) {
    const r = Math.max(x.ndim, 1);
    throw new Error(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${-(nd + 1)})`);
  }
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) throw new Error(`non-empty ${nd + 1}D or ${nd + 2}D (batch mode) tensor expected for input`);
}

/** `avg_pool1d() argument 'kernel_size' should contain one int (got 2)` */
export function check1d(name: string, arg: string, v: readonly number[]): void {
  if (v.length !== 1) throw new Error(`${name}() argument '${arg}' should contain one int (got ${v.length})`);
}

/** A 1-d pooling as PyTorch runs it: a 2-d pooling over x.unsqueeze(-2). */
export function as2d(shape: readonly number[], p: PoolArgs): { shape: number[]; p: PoolArgs } {
  return {
    shape: [...shape.slice(0, -1), 1, shape[shape.length - 1]!],
    p: {
      kernel: [1, p.kernel[0]!],
      stride: p.stride.length === 0 ? [] : [1, p.stride[0]!],
      padding: [0, p.padding[0]!],
      dilation: p.dilation.length ? [1, p.dilation[0]!] : [],
      ceil: p.ceil,
    },
  };
}

/** Drops the unsqueezed dim of a 1-d-as-2-d output shape. */
export function squeeze2d(shape: readonly number[]): number[] {
  return [...shape.slice(0, -2), shape[shape.length - 1]!];
}

/** `Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)` */
export function checkDimRange(x: Tensor, name: string): void {
  if (x.ndim < 2 || x.ndim > 3) throw new Error(`Expected 2 to 3 dimensions, but got ${x.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for ${name})`);
}

/** Pooling runs on float dtypes (float16 too, unlike PyTorch 1.13's CPU kernels) and, for avg, int64. */
export function checkFloat(kernel: string, d: DType, allowLong = false): void {
  if (d === 'float32' || d === 'float64' || d === 'float16' || (allowLong && d === 'int64')) return;
  notImplemented(kernel, d);
}

export function poolArgs(a: Record<string, unknown>): PoolArgs {
  return {
    kernel: a.kernel_size as number[],
    stride: (a.stride as number[] | null) ?? [],
    padding: a.padding as number[],
    dilation: (a.dilation as number[] | undefined) ?? [],
    ceil: a.ceil_mode as boolean,
  };
}

export function runMaxPool(x: Tensor, plan: PoolPlan, out: Tensor, indices: Tensor | null): void {
  maxPool(x.contiguousArray(), plan.geom, out.hostArray, indices ? indices.hostArray : null);
}

export function runAvgPool(x: Tensor, plan: PoolPlan, out: Tensor, countIncludePad: boolean, divisorOverride: number | null): void {
  avgPool(x.contiguousArray(), plan.geom, out.hostArray, countIncludePad, divisorOverride, out.dtype === 'int64');
}

// ---------------------------------------------------------------- adaptive pooling

export interface AdaptivePlan {
  geom: AdaptiveGeom;
  outShape: number[];
}

/**
 * Adaptive pooling over the last nd dims; `name` is the op name used in PyTorch's messages
 * (`adaptive_avg_pool2d`), `gotColon` adds the colon adaptive_max_pool prints.
 */
export function adaptivePlan(name: string, shape: readonly number[], nd: number, size: number[], gotColon: boolean): AdaptivePlan {
  const x = { shape, ndim: shape.length };
  if (size.length !== nd) throw new Error(`${name}: output_size must be ${nd}`);
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
    throw new Error(`${name}(): Expected ${nd + 1}D or ${nd + 2}D tensor, but got${gotColon ? ':' : ''} ${fmt(x.shape)}`);
  }
  for (let i = x.ndim - nd; i < x.ndim; i++) {
    if (x.shape[i] === 0) {
      throw new Error(`${name}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${fmt(x.shape)} with dimension ${i} being empty`);
    }
  }
  if (size.some((s) => s < 0)) throw new Error(`${name}: elements of output_size must be greater than or equal to 0 but received {${size.join(', ')}}`);
  const sp = x.shape.slice(x.ndim - nd);
  let planes = 1;
  for (let i = 0; i < x.ndim - nd; i++) planes *= x.shape[i]!;
  const [D, H, W] = pad3(sp, 1), [OD, OH, OW] = pad3(size, 1);
  return { geom: { planes, D, H, W, OD, OH, OW }, outShape: [...x.shape.slice(0, x.ndim - nd), ...size] };
}

export function runAdaptiveAvg(x: Tensor, plan: AdaptivePlan, out: Tensor): void {
  adaptiveAvgPool(x.contiguousArray(), plan.geom, out.hostArray);
}
export function runAdaptiveMax(x: Tensor, plan: AdaptivePlan, out: Tensor, indices: Tensor): void {
  adaptiveMaxPool(x.contiguousArray(), plan.geom, out.hostArray, indices.hostArray);
}

/** `_list_with_default`: None entries of a Python-level output_size take the input's sizes. */
export function listWithDefault(size: unknown, x: Tensor, nd: number): number[] {
  if (typeof size === 'number') return new Array<number>(nd).fill(size);
  if (!Array.isArray(size)) throw new Error(`output_size must be an int or a list of ${nd} ints or None`);
  if (size.length === 1 && nd > 1 && typeof size[0] === 'number') return new Array<number>(nd).fill(size[0]);
  if (x.ndim <= size.length) throw new Error(`Input dimension should be at least ${size.length + 1}`);
  const defaults = x.shape.slice(x.ndim - size.length);
  return size.map((v, i) => (v === null || v === undefined ? defaults[i]! : Number(v)));
}
