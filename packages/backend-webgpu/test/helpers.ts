/**
 * Test helpers: the webgpu device (SwiftShader when Debian's chromium is installed; skipped with a
 * message otherwise), random strided inputs made by the same view ops on the CPU and the GPU,
 * and tolerant comparison of GPU results against the CPU reference kernels.
 */
import { existsSync } from 'node:fs';
import { Tensor, callOp, type DType } from '@torchlet/core';
import type { WebGPUBackend } from '../src/index.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;
process.env.XDG_RUNTIME_DIR ??= '/tmp';

let backendPromise: Promise<{ be?: WebGPUBackend; reason?: string }> | undefined;

/** The webgpu backend, or why there is none (no adapter, no `webgpu` package). */
export function webgpu(): Promise<{ be?: WebGPUBackend; reason?: string }> {
  backendPromise ??= (async () => {
    if (process.env.TORCHLET_NO_WEBGPU) return { reason: 'TORCHLET_NO_WEBGPU is set' };
    try {
      const { init } = await import('../src/index.js');
      return { be: await init() };
    } catch (e) {
      return { reason: (e as Error).message };
    }
  })();
  return backendPromise;
}

/** ['cpu', 'webgpu'] with the webgpu entry's availability, for describe.each. */
export async function devices(): Promise<{ device: 'cpu' | 'webgpu'; available: boolean; reason?: string }[]> {
  const g = await webgpu();
  if (!g.be) console.warn(`webgpu tests skipped: ${g.reason} (install Debian's chromium for SwiftShader's Vulkan driver)`);
  return [{ device: 'cpu', available: true }, { device: 'webgpu', available: !!g.be, reason: g.reason }];
}

/** mulberry32 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTensor(shape: readonly number[], dtype: DType, r: () => number, range: [number, number] = [-3, 3]): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  const [lo, hi] = range;
  let a: Float32Array | Float64Array | Int32Array | Uint8Array;
  switch (dtype) {
    case 'float32': a = Float32Array.from({ length: n }, () => lo + (hi - lo) * r()); break;
    case 'int64': a = Float64Array.from({ length: n }, () => Math.floor(lo + (hi - lo + 1) * r())); break;
    case 'int32': a = Int32Array.from({ length: n }, () => Math.floor(lo + (hi - lo + 1) * r())); break;
    case 'bool': a = Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)); break;
    default: throw new Error(`randomTensor: ${dtype}`);
  }
  return Tensor.fromArray(a, shape, dtype);
}

/**
 * How an operand of shape S is made: a base tensor and view ops that turn it into a (possibly
 * strided) view of shape S. The same ops run on the CPU and on the GPU copy of the base.
 */
export interface ViewRecipe {
  base: number[];
  ops: { op: string; args: unknown[] }[];
}

export function recipe(shape: readonly number[], r: () => number, allowExpand = true): ViewRecipe {
  let base = [...shape];
  const ops: { op: string; args: unknown[] }[] = [];
  const rank = shape.length;
  // applied in reverse: each step maps the current target shape to a larger/permuted base
  const steps: ((s: number[]) => number[])[] = [];
  if (rank > 0 && allowExpand && r() < 0.25) {
    const d = Math.floor(r() * rank);
    if (shape[d]! > 1 || r() < 0.5) {
      steps.push((s) => {
        const b = [...s];
        b[d] = 1;
        ops.unshift({ op: 'aten::expand', args: [[...s]] });
        return b;
      });
    }
  }
  if (rank > 0 && r() < 0.35) {
    const d = Math.floor(r() * rank);
    steps.push((s) => {
      const b = [...s];
      b[d] = s[d]! * 2 + 1;
      ops.unshift({ op: 'aten::slice', args: [d, 1, null, 2] });
      return b;
    });
  }
  if (rank > 1 && r() < 0.4) {
    const perm = [...Array(rank).keys()];
    for (let i = rank - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    steps.push((s) => {
      // base[perm[i]] = s[i]; permuting base by inv gives s... use permute(perm') with base = s permuted
      const b = new Array<number>(rank);
      for (let i = 0; i < rank; i++) b[perm[i]!] = s[i]!;
      ops.unshift({ op: 'aten::permute', args: [perm] });
      return b;
    });
  }
  for (const st of steps) base = st(base);
  return { base, ops };
}

export function applyRecipe(t: Tensor, rc: ViewRecipe): Tensor {
  let v = t;
  for (const o of rc.ops) v = callOp(o.op, [v, ...o.args]) as Tensor;
  return v;
}

/** A random operand of shape `shape`: the CPU view and the GPU view of the same values. */
export function operand(be: WebGPUBackend, shape: readonly number[], dtype: DType, r: () => number, range?: [number, number], allowExpand = true): { cpu: Tensor; gpu: Tensor } {
  const rc = recipe(shape, r, allowExpand);
  const base = randomTensor(rc.base, dtype, r, range);
  const gbase = be.upload(base);
  return { cpu: applyRecipe(base, rc), gpu: applyRecipe(gbase, rc) };
}

export interface Tol {
  rtol: number;
  atol: number;
}

/** Compares a GPU result with the CPU reference: same shape/dtype, values within tolerance, NaN where NaN. */
export async function expectClose(gpu: Tensor, cpu: Tensor, tol: Tol = { rtol: 1e-4, atol: 1e-5 }, what = ''): Promise<void> {
  if (gpu.device !== 'webgpu') throw new Error(`${what}: result is on ${gpu.device}, not webgpu`);
  if (gpu.dtype !== cpu.dtype) throw new Error(`${what}: dtype ${gpu.dtype} vs ${cpu.dtype}`);
  if (gpu.shape.join() !== cpu.shape.join()) throw new Error(`${what}: shape [${gpu.shape}] vs [${cpu.shape}]`);
  const g = await gpu.data();
  const c = cpu.dataSync();
  for (let i = 0; i < c.length; i++) {
    const x = Number(g[i]), y = Number(c[i]);
    if (Number.isNaN(y) || Number.isNaN(x)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) throw new Error(`${what}: element ${i}: got ${x}, want ${y}`);
      continue;
    }
    if (x === y) continue;
    if (!(Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y))) throw new Error(`${what}: element ${i}: got ${x}, want ${y} (shape [${cpu.shape}])`);
  }
}
