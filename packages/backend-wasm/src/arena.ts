/**
 * Planned memory for repeated inference runs: `withMemoryPlan(key, run)` records the float32
 * storages a run allocates and releases (sizes and order) the first time, plans them into one
 * arena with `planMemory` (packages/ir/src/passes/memory_plan.ts: buffers alive at the same time
 * never overlap, dead ones are reused), and serves the same allocations of later runs from that
 * arena: no allocator work and a peak no higher than the plan's.
 *
 * Storages that outlived the recorded run (the outputs) keep coming from the heap. A later run
 * that allocates differently (other shapes) drops the plan and uses the heap. If an arena block
 * is still alive when a replayed run ends, that arena is retired (freed with its last block) and
 * the next run gets a fresh one, so nothing ever overwrites live data. One planned run at a time.
 */
import { planMemory } from '@torchlet/ir';
import type { WasmRuntime } from './runtime.js';

interface Event {
  size: number;
  first: number;
  last: number;
}

interface Arena {
  ptr: number;
  live: number;
  retired: boolean;
}

interface Plan {
  rt: WasmRuntime;
  events: Event[];
  /** allocation index -> arena offset, or -1: from the heap (escaping) */
  offsets: number[];
  arenaBytes: number;
  arena?: Arena;
  broken: boolean;
}

interface Recording {
  kind: 'record';
  events: Event[];
  clock: number;
}
interface Replay {
  kind: 'replay';
  plan: Plan;
  arena: Arena;
  next: number;
  ok: boolean;
}

/** A placement decision for one allocation: an arena block (release is bookkeeping only) or the heap. */
export interface Placement {
  ptr: number;
  release: () => void;
}

let active: Recording | Replay | undefined;
const plans = new WeakMap<object, Plan>();

/**
 * Called by the storage allocator for each float32 storage: a placement, or undefined to use
 * the heap (not in a planned run, or this allocation escapes the run).
 */
export function arenaAlloc(rt: WasmRuntime, bytes: number): Placement | undefined {
  const a = active;
  if (!a) return undefined;
  if (a.kind === 'record') {
    const ev: Event = { size: bytes, first: a.clock++, last: Infinity };
    a.events.push(ev);
    const ptr = rt.heap.alloc(bytes);
    return { ptr, release: () => {
      if (active === a) ev.last = a.clock++;
      rt.heap.release(ptr);
    } };
  }
  if (!a.ok) return undefined;
  const i = a.next++;
  const p = a.plan;
  if (i >= p.events.length || p.events[i]!.size !== bytes) {
    // another allocation pattern: this run and later ones use the heap
    a.ok = false;
    p.broken = true;
    return undefined;
  }
  const off = p.offsets[i]!;
  if (off < 0) return undefined;
  const arena = a.arena;
  arena.live++;
  let done = false;
  return {
    ptr: arena.ptr + off,
    release: () => {
      if (done) return;
      done = true;
      if (--arena.live === 0 && arena.retired) rt.heap.release(arena.ptr);
    },
  };
}

/** Runs `run` with the memory plan of `key` (recording it on the first call). */
export async function withMemoryPlan<T>(rt: WasmRuntime, key: object, run: () => Promise<T> | T): Promise<T> {
  if (active || !rt.shared) return run();
  const plan = plans.get(key);
  if (plan && plan.rt === rt && !plan.broken) {
    if (!plan.arena || plan.arena.retired) plan.arena = { ptr: rt.heap.alloc(Math.max(64, plan.arenaBytes)), live: 0, retired: false };
    const r: Replay = { kind: 'replay', plan, arena: plan.arena, next: 0, ok: true };
    active = r;
    try {
      return await run();
    } finally {
      active = undefined;
      if (r.ok && r.next !== plan.events.length) plan.broken = true;
      if (plan.arena.live > 0) {
        // something made in this run is still alive: keep its arena until it goes
        plan.arena.retired = true;
        plan.arena = undefined;
      }
    }
  }
  if (plan?.broken) return run();
  const rec: Recording = { kind: 'record', events: [], clock: 0 };
  active = rec;
  try {
    return await run();
  } finally {
    active = undefined;
    const inside = rec.events.filter((e) => e.last !== Infinity);
    const mp = planMemory(inside);
    let k = 0;
    const offsets = rec.events.map((e) => (e.last === Infinity ? -1 : mp.offsets[k++]!));
    plans.set(key, { rt, events: rec.events, offsets, arenaBytes: mp.arenaBytes, broken: false });
    lastPlan = { arenaBytes: mp.arenaBytes, naiveBytes: mp.naiveBytes, buffers: inside.length };
  }
}

let lastPlan: { arenaBytes: number; naiveBytes: number; buffers: number } | undefined;
/** The most recently made plan's arena size against no reuse (for benchmarks and tests). */
export function lastMemoryPlan(): { arenaBytes: number; naiveBytes: number; buffers: number } | undefined {
  return lastPlan;
}
