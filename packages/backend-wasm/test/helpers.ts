/**
 * Test helpers: run an expression with the wasm kernels off (the reference TypeScript kernels,
 * themselves checked against PyTorch by the conformance suite) and on, and compare.
 */
import v8 from 'node:v8';
import { Tensor, callOp } from '@torchlet/core';
import * as wasm from '../src/index.js';

// relaxed SIMD needs this flag on Node 20 (newer Nodes validate it without)
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

export { wasm };

/** The builds to test: plain SIMD always, relaxed SIMD where the runtime validates it. */
export function variants(): wasm.Variant[] {
  return wasm.relaxedSimdSupported() ? ['simd', 'relaxed'] : ['simd'];
}

export async function useVariant(variant: wasm.Variant, threads: number): Promise<void> {
  await wasm.init({ variant, threads });
  await wasm.threadsReady();
  wasm.setMinWork(0);
}

function flat(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(flat);
  return [];
}

export interface Check {
  /** overload keys that must have run on the wasm kernels */
  keys?: string[];
  rtol?: number;
  atol?: number;
}

/** `fn` with the reference kernels vs the wasm kernels; throws with details on a mismatch. */
export function compareWithReference(fn: () => unknown, c: Check = {}): void {
  const rtol = c.rtol ?? 1e-4, atol = c.atol ?? 1e-5;
  wasm.setKernelsEnabled(false);
  let ref: Tensor[];
  try {
    ref = flat(fn());
  } finally {
    wasm.setKernelsEnabled(true);
  }
  wasm.resetKernelCalls();
  const got = flat(fn());
  if (got.length !== ref.length) throw new Error(`${got.length} results, reference has ${ref.length}`);
  for (const k of c.keys ?? []) {
    if (!wasm.kernelCalls().get(k)) throw new Error(`${k} did not run on the wasm kernels (ran: ${[...wasm.kernelCalls().keys()].join(', ') || 'none'})`);
  }
  got.forEach((g, i) => {
    const r = ref[i]!;
    if (g.dtype !== r.dtype || g.shape.join() !== r.shape.join()) throw new Error(`result ${i}: ${g.dtype}[${g.shape}] vs reference ${r.dtype}[${r.shape}]`);
    const a = g.dataSync() as Float32Array, b = r.dataSync() as Float32Array;
    for (let j = 0; j < a.length; j++) {
      const x = a[j]!, y = b[j]!;
      if (x !== y && (Number.isNaN(y) ? !Number.isNaN(x) : !(Math.abs(x - y) <= atol + rtol * Math.abs(y)))) {
        throw new Error(`result ${i}[${j}] (shape [${g.shape}]): wasm ${x} vs reference ${y}`);
      }
    }
  });
  for (const t of [...got, ...ref]) t.dispose();
}

/** A float32 tensor of `shape` with values from `seed` (deterministic, about N(0, 1)). */
export function randn(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    // xorshift32, sum of 3 uniforms
    let v = 0;
    for (let k = 0; k < 3; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      v += (s >>> 0) / 4294967296;
    }
    a[i] = (v - 1.5) * 2;
  }
  return Tensor.fromArray(a, shape, 'float32');
}

/** The same values as a non-contiguous view: stored with dims `perm` permuted, then permuted back. */
export function strided(t: Tensor, perm: number[]): Tensor {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  const stored = callOp('aten::contiguous', [callOp('aten::permute', [t, perm])]) as Tensor;
  return callOp('aten::permute', [stored, inv]) as Tensor;
}

export function op(name: string, ...args: unknown[]): Tensor {
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && !(last instanceof Tensor) && !Array.isArray(last)) return callOp(name, args.slice(0, -1), last as Record<string, unknown>) as Tensor;
  return callOp(name, args) as Tensor;
}
