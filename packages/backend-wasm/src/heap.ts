/**
 * A size-class allocator over the WebAssembly memory, run from JavaScript (the kernels never
 * allocate). Blocks are rounded up to a size class (64-byte steps up to 1 KiB, then 8 steps per
 * power of two: at most 12.5% waste), freed blocks go to their class's free list and are reused
 * by the next request of that class. Inference runs the same shapes call after call, so after
 * the first run every buffer comes from a free list. Memory grows by at least 25% at a time.
 */
const PAGE = 65536;

export function sizeClass(bytes: number): number {
  if (bytes <= 1024) return Math.max(64, (bytes + 63) & ~63);
  const e = 31 - Math.clz32(bytes - 1); // 2^e < bytes <= 2^(e+1)
  const step = 2 ** (e - 3);
  return Math.ceil(bytes / step) * step;
}

export class Heap {
  private top: number;
  private readonly free = new Map<number, number[]>();
  private readonly sizes = new Map<number, number>();
  /** bytes in live blocks (by class size) */
  used = 0;
  /** highest `used` seen since the last `resetPeak` */
  peak = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly onGrow: () => void,
    base = PAGE,
  ) {
    this.top = base;
  }

  /** A 64-byte-aligned block of at least `bytes` bytes (contents undefined). Throws when memory is exhausted. */
  alloc(bytes: number): number {
    const cls = sizeClass(Math.max(1, bytes));
    const list = this.free.get(cls);
    let p = list?.pop();
    if (p === undefined) {
      p = this.top;
      const end = p + cls;
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        const need = Math.ceil((end - have) / PAGE);
        const grow = Math.max(need, Math.ceil(have / PAGE / 4));
        try {
          this.memory.grow(grow);
        } catch {
          this.memory.grow(need);
        }
        this.onGrow();
      }
      this.top = end;
    }
    this.sizes.set(p, cls);
    this.used += cls;
    if (this.used > this.peak) this.peak = this.used;
    return p;
  }

  /** Like alloc, but returns undefined instead of throwing when memory cannot grow. */
  tryAlloc(bytes: number): number | undefined {
    try {
      return this.alloc(bytes);
    } catch {
      return undefined;
    }
  }

  release(p: number): void {
    const cls = this.sizes.get(p);
    if (cls === undefined) throw new Error(`torchlet wasm heap: free of an unknown block ${p}`);
    this.sizes.delete(p);
    this.used -= cls;
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    list.push(p);
  }

  /** Bytes reserved from the memory (live blocks, free lists and the control area). */
  get reserved(): number {
    return this.top;
  }

  resetPeak(): void {
    this.peak = this.used;
  }
}
