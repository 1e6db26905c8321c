/**
 * State shared by the kernel glue: the active runtime, moving tensors in and out of the
 * WebAssembly memory, and caches (packed weights, index tables).
 *
 * A float32 CPU tensor whose storage was placed in the wasm memory (see storage.ts) is read and
 * written in place; any other tensor is copied into a scratch block for the call.
 */
import { isConstantTensor, markConstant, type Storage, type Tensor } from '@torchlet/core';
import type { WasmRuntime } from './runtime.js';

let current: WasmRuntime | undefined;

export function setRuntime(r: WasmRuntime | undefined): void {
  current = r;
}
export function runtime(): WasmRuntime | undefined {
  return current;
}

/** Scratch blocks of one kernel call, freed together. */
export class Scratch {
  private readonly blocks: number[] = [];
  private readonly copies: { ptr: number; t: Tensor }[] = [];
  constructor(readonly rt: WasmRuntime) {}

  alloc(bytes: number): number {
    const p = this.rt.heap.alloc(bytes + 16);
    this.blocks.push(p);
    return p;
  }

  /** A float32 tensor's elements (row-major, contiguous) in wasm memory: in place when possible. */
  input(t: Tensor): number {
    const a = t.hostArray;
    if (this.rt.owns(a) && isContiguous(t)) return a.byteOffset + t.offset * 4;
    const n = t.numel();
    const p = this.alloc(n * 4);
    this.rt.f32.set(t.contiguousArray(), p >> 2);
    return p;
  }

  /** Where a kernel writes a (fresh, contiguous) output: in place, or a block copied out by `finish`. */
  output(t: Tensor): number {
    const a = t.hostArray;
    if (this.rt.owns(a) && t.offset === 0) return a.byteOffset;
    const p = this.alloc(t.numel() * 4);
    this.copies.push({ ptr: p, t });
    return p;
  }

  /** Copies outputs that were computed in scratch blocks, then frees every block. */
  finish(): void {
    for (const { ptr, t } of this.copies) {
      const n = t.numel();
      (t.hostArray as Float32Array).set(this.rt.f32.subarray(ptr >> 2, (ptr >> 2) + n));
    }
    this.free();
  }

  free(): void {
    for (const p of this.blocks) this.rt.heap.release(p);
    this.blocks.length = 0;
    this.copies.length = 0;
  }
}

export function isContiguous(t: Tensor): boolean {
  let s = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    const n = t.shape[d]!;
    if (n !== 1 && t.strides[d] !== s) return false;
    s *= n;
  }
  return true;
}

/** Runs `fn` with a scratch area; outputs computed in scratch blocks are copied out at the end. */
export function withScratch<T>(rt: WasmRuntime, fn: (s: Scratch) => T): T {
  const s = new Scratch(rt);
  try {
    const r = fn(s);
    s.finish();
    return r;
  } catch (e) {
    s.free();
    throw e;
  }
}

// ---------------------------------------------------------------- constant weights

/** Weights marked by graph passes (or the user) with core's `markConstant` are packed once. */
export function isConstant(t: Tensor): boolean {
  return isConstantTensor(t);
}
export { markConstant };

interface Packed {
  ptr: number;
  rt: WasmRuntime;
}
const packedCache = new WeakMap<Storage, Map<string, Packed>>();
const packedRegistry = new FinalizationRegistry<Packed[]>((list) => {
  for (const p of list) p.rt.heap.release(p.ptr);
});
const packedLists = new WeakMap<Storage, Packed[]>();

/**
 * A block derived from a constant tensor (packed weights, a padded bias), built once per
 * (storage, key) and freed when the storage is garbage collected. Non-constant tensors get a
 * block in `scratch`, rebuilt every call.
 */
export function derived(s: Scratch, t: Tensor, key: string, bytes: number, build: (dst: number) => void): number {
  const rt = s.rt;
  if (!isConstant(t)) {
    const p = s.alloc(bytes);
    build(p);
    return p;
  }
  const st = t.storage;
  let m = packedCache.get(st);
  if (!m) {
    packedCache.set(st, (m = new Map()));
    const list: Packed[] = [];
    packedLists.set(st, list);
    packedRegistry.register(st, list);
  }
  const k = `${key}|${t.offset}|${t.shape}|${t.strides}|${rt.variant}`;
  let e = m.get(k);
  if (!e || e.rt !== rt) {
    const ptr = rt.heap.alloc(bytes + 16);
    build(ptr);
    e = { ptr, rt };
    m.set(k, e);
    packedLists.get(st)!.push(e);
  }
  return e.ptr;
}

// ---------------------------------------------------------------- index tables

const tables = new Map<string, { ptr: number; rt: WasmRuntime }>();

/** A u32 table built once per key (geometry) and kept (a bounded cache). */
export function table(rt: WasmRuntime, key: string, n: number, fill: (t: Uint32Array | Int32Array, base: number) => void): number {
  const hit = tables.get(key);
  if (hit && hit.rt === rt) {
    tables.delete(key);
    tables.set(key, hit);
    return hit.ptr;
  }
  const ptr = rt.heap.alloc(Math.max(4, n * 4) + 16);
  fill(rt.i32, ptr >> 2);
  tables.set(key, { ptr, rt });
  if (tables.size > 512) {
    const [k0, v0] = tables.entries().next().value as [string, { ptr: number; rt: WasmRuntime }];
    tables.delete(k0);
    v0.rt.heap.release(v0.ptr);
  }
  return ptr;
}
