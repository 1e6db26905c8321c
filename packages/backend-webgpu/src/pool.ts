/// <reference types="@webgpu/types" />
/**
 * Bucketed GPUBuffer pool (onnxruntime-web's gpu-data-manager pattern): sizes are rounded up to a
 * bucket, released buffers wait in a pending list until the command buffer that may still use
 * them has been submitted, and only then become reusable. Reusing a buffer before that submit
 * would let a later `queue.writeBuffer` (which runs before the pending commands) clobber data
 * those commands still read.
 */

/** Bucket size in bytes: multiples of 16 up to 256, then 2^k * {1, 1.25, 1.5, 1.75} (<= 25% waste). */
export function bucketSize(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 16) * 16);
  if (b <= 256) return b;
  const p = 2 ** Math.floor(Math.log2(b));
  for (const f of [1, 1.25, 1.5, 1.75, 2]) {
    const s = p * f;
    if (s >= b) return s;
  }
  return 2 * p;
}

export interface PoolStats {
  /** buffers created over the pool's life */
  created: number;
  /** allocations served from the free lists */
  reused: number;
  /** buffers handed out and not yet released */
  live: number;
  /** released buffers waiting for the next submit */
  pending: number;
  /** bytes in the free lists */
  freeBytes: number;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pendingList: GPUBuffer[] = [];
  private freeBytes = 0;
  private created = 0;
  private reused = 0;
  private live = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    /** free-list bytes above which released buffers are destroyed instead of kept */
    private readonly maxFreeBytes = 256 * 1024 * 1024,
  ) {}

  acquire(bytes: number): GPUBuffer {
    // a bucket never exceeds the device's largest buffer (the exact size still fits)
    const size = Math.min(bucketSize(bytes), Math.max(Math.ceil(bytes / 16) * 16, this.device.limits.maxBufferSize));
    const list = this.free.get(size);
    this.live++;
    if (list && list.length) {
      this.reused++;
      this.freeBytes -= size;
      return list.pop()!;
    }
    this.created++;
    return this.device.createBuffer({ size, usage: this.usage });
  }

  /** The buffer becomes reusable after the next `onSubmit()`. */
  release(buffer: GPUBuffer): void {
    this.live--;
    this.pendingList.push(buffer);
  }

  /** Called right after `queue.submit`: pending buffers go back to the free lists. */
  onSubmit(): void {
    if (!this.pendingList.length) return;
    for (const b of this.pendingList) {
      const size = b.size;
      if (this.freeBytes + size > this.maxFreeBytes) {
        b.destroy();
        continue;
      }
      let list = this.free.get(size);
      if (!list) this.free.set(size, (list = []));
      list.push(b);
      this.freeBytes += size;
    }
    this.pendingList = [];
  }

  get hasPending(): boolean {
    return this.pendingList.length > 0;
  }

  /** Destroys every free buffer. */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.freeBytes = 0;
  }

  stats(): PoolStats {
    return { created: this.created, reused: this.reused, live: this.live, pending: this.pendingList.length, freeBytes: this.freeBytes };
  }
}
