/**
 * Static memory planning: given the buffers of one inference run with their lifetimes, place
 * them at offsets of one arena so that buffers alive at the same time never overlap, reusing
 * the memory of dead buffers (TFLite's greedy-by-size strategy: the largest buffers are placed
 * first, each at the lowest offset that fits next to the buffers it overlaps in time).
 *
 * Given:   buffers  a: 4 KiB [0, 3]   b: 4 KiB [1, 2]   c: 4 KiB [4, 5]   (lifetimes in events)
 * Execute: planMemory([a, b, c])
 * Result:  offsets [0, 4096, 0], arena 8 KiB (c reuses a's memory; no reuse would need 12 KiB)
 *
 * The interpreters free intermediates after their last use (liveness.ts), so the lifetimes of a
 * run are its allocation and release events; the wasm backend records them on a model's first
 * run and serves later runs from the planned arena (packages/backend-wasm/src/arena.ts).
 */
export interface BufferLifetime {
  /** bytes */
  size: number;
  /** event index of the allocation */
  first: number;
  /** event index of the release (inclusive: the buffer is alive until then) */
  last: number;
}

export interface MemoryPlan {
  /** byte offset of each buffer in the arena (same order as the input) */
  offsets: number[];
  /** bytes the arena needs */
  arenaBytes: number;
  /** bytes without any reuse (the sum of all sizes) */
  naiveBytes: number;
}

export function planMemory(buffers: readonly BufferLifetime[], alignment = 64): MemoryPlan {
  const align = (n: number): number => Math.ceil(n / alignment) * alignment;
  const order = buffers.map((_, i) => i).sort((a, b) => buffers[b]!.size - buffers[a]!.size || buffers[a]!.first - buffers[b]!.first);
  const offsets = new Array<number>(buffers.length).fill(0);
  const placed: number[] = [];
  let arenaBytes = 0;
  for (const i of order) {
    const b = buffers[i]!;
    const size = align(b.size);
    // buffers already placed whose lifetime overlaps this one, by offset
    const conflicts = placed
      .filter((j) => buffers[j]!.first <= b.last && b.first <= buffers[j]!.last)
      .sort((x, y) => offsets[x]! - offsets[y]!);
    let at = 0;
    for (const j of conflicts) {
      const o = offsets[j]!;
      if (o - at >= size) break;
      at = Math.max(at, o + align(buffers[j]!.size));
    }
    offsets[i] = at;
    placed.push(i);
    arenaBytes = Math.max(arenaBytes, at + size);
  }
  return { offsets, arenaBytes, naiveBytes: buffers.reduce((s, b) => s + align(b.size), 0) };
}
