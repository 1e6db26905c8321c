/// <reference types="@webgpu/types" />
/**
 * The WebGPU device: GPUBuffer storages from a bucketed pool, programs compiled once per key,
 * dispatches recorded into one command encoder (one compute pass) and submitted when a read needs
 * them or every `flushEvery` dispatches, buffer releases deferred past that submit.
 */
import { Storage, Tensor, type Backend, type BackendBuffer, type DType, type StorageArray } from '@torchlet/core';
import { BufferPool } from './pool.js';
import { ShaderHelper, UniformLayout, contiguousStridesOf, grid, storageType, type Program, type WgslType } from './program.js';
import { debugEnabled } from './debug.js';

/** A storage's GPU memory: the pool takes the buffer back when the storage's last reference goes. */
export class GpuBuffer implements BackendBuffer {
  constructor(
    readonly backend: WebGPUBackend,
    readonly buffer: GPUBuffer,
  ) {}
  release(): void {
    this.backend.storagePool.release(this.buffer);
  }
}

export function gpuBufferOf(t: Tensor): GPUBuffer {
  const b = t.storage.buffer;
  if (!(b instanceof GpuBuffer)) throw new Error(`tensor #${t.id} is not a webgpu tensor (device ${t.device})`);
  return b.buffer;
}

export interface WebGPUBackendOptions {
  /** submit the command encoder after this many dispatches (default 32) */
  flushEvery?: number;
}

interface CachedPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

// GPUBufferUsage / GPUMapMode values (the globals may be absent in Node before `webgpu` is loaded)
const MAP_READ = 0x0001, COPY_SRC = 0x0004, COPY_DST = 0x0008, UNIFORM = 0x0040, STORAGE = 0x0080;

export class WebGPUBackend implements Backend {
  readonly device = 'webgpu' as const;
  readonly storagePool: BufferPool;
  readonly uniformPool: BufferPool;
  private readonly pipelines = new Map<string, CachedPipeline>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private dispatchesInEncoder = 0;
  private readonly flushEvery: number;
  private errors: Promise<GPUError | null>[] = [];
  private lost: string | undefined;
  /** counters for tests and profiling */
  readonly counters = { dispatches: 0, submits: 0, pipelines: 0, reads: 0, compileMs: 0 };

  constructor(
    readonly gpu: GPUDevice,
    options: WebGPUBackendOptions = {},
  ) {
    this.flushEvery = options.flushEvery ?? 32;
    this.storagePool = new BufferPool(gpu, STORAGE | COPY_SRC | COPY_DST);
    this.uniformPool = new BufferPool(gpu, UNIFORM | COPY_DST);
    void gpu.lost.then((info) => {
      this.lost = `${info.reason}: ${info.message}`;
    });
  }

  // ------------------------------------------------------------------ Backend

  allocate(dtype: DType, size: number): Storage {
    storageType(dtype);
    this.checkAlive();
    const max = this.gpu.limits.maxStorageBufferBindingSize;
    if (size * 4 > max) throw new RangeError(`a webgpu tensor of ${size} elements (${size * 4} bytes) exceeds this device's maxStorageBufferBindingSize (${max} bytes)`);
    const buffer = this.storagePool.acquire(Math.max(size, 1) * 4);
    return new Storage('webgpu', dtype, size, undefined, new GpuBuffer(this, buffer));
  }

  /** A new contiguous tensor on this device. */
  allocateTensor(shape: readonly number[], dtype: DType): Tensor {
    let n = 1;
    for (const d of shape) n *= d;
    return new Tensor(this.allocate(dtype, n), [...shape], contiguousStridesOf(shape), 0);
  }

  upload(t: Tensor): Tensor {
    if (t.device !== 'cpu') throw new Error(`webgpu upload: expected a CPU tensor, got ${t.device}`);
    const type = storageType(t.dtype);
    const n = t.numel();
    const storage = this.allocate(t.dtype, n);
    if (n > 0) {
      const src = t.contiguousArray();
      let words: Float32Array | Int32Array | Uint32Array;
      if (type === 'f32') words = src instanceof Float32Array ? src : Float32Array.from(src);
      else if (type === 'u32') words = Uint32Array.from(src, (v) => (v !== 0 ? 1 : 0));
      else {
        words = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const v = src[i]!;
          if (v > 2147483647 || v < -2147483648) {
            storage.release();
            throw new RangeError(`webgpu stores ${t.dtype} as 32-bit integers: ${v} is out of range`);
          }
          words[i] = v;
        }
      }
      this.gpu.queue.writeBuffer((storage.buffer as GpuBuffer).buffer, 0, words.buffer, words.byteOffset, n * 4);
    }
    return new Tensor(storage, [...t.shape], contiguousStridesOf(t.shape), 0);
  }

  async read(t: Tensor): Promise<StorageArray> {
    this.checkAlive();
    const n = t.numel();
    const type = storageType(t.dtype);
    if (n === 0) return convertWords(new ArrayBuffer(0), type, t.dtype, 0);
    let src = t;
    let temp: Tensor | undefined;
    if (!isContiguousView(t)) {
      temp = src = this.contiguous(t);
    }
    this.counters.reads++;
    const staging = this.gpu.createBuffer({ size: Math.ceil((n * 4) / 16) * 16, usage: MAP_READ | COPY_DST });
    this.endPass();
    this.getEncoder().copyBufferToBuffer(gpuBufferOf(src), src.offset * 4, staging, 0, n * 4);
    temp?.dispose();
    this.flush();
    const errors = this.errors;
    this.errors = [];
    try {
      await staging.mapAsync(1 /* GPUMapMode.READ */);
      const errs = (await Promise.all(errors)).filter((e): e is GPUError => e !== null);
      if (errs.length) throw new Error(`webgpu: ${errs.map((e) => e.message).join('\n')}`);
      this.checkAlive();
      const words = staging.getMappedRange(0, n * 4).slice(0);
      staging.unmap();
      return convertWords(words, type, t.dtype, n);
    } finally {
      staging.destroy();
    }
  }

  // ------------------------------------------------------------------ programs

  /** A contiguous copy of `t` (on this device). */
  contiguous(t: Tensor): Tensor {
    // kernels/copy.ts registers the implementation; kept as a hook to avoid an import cycle
    if (!this.contiguousImpl) throw new Error('webgpu: copy kernel not installed');
    return this.contiguousImpl(t);
  }
  contiguousImpl: ((t: Tensor) => Tensor) | undefined;

  /** Records one dispatch of `p` (compiling its pipeline on first use). */
  run(p: Program): void {
    this.checkAlive();
    const layout = new UniformLayout(p.uniforms);
    const bindTypes = [...p.inputs, ...p.outputs].map((b) => storageType(b.tensor.dtype)).join(',');
    const key = `${p.name}[${p.key}]|${p.inputs.length}:${p.outputs.length}|${bindTypes}|${layout.signature}`;
    const enc = this.getEncoder();
    let cached = this.pipelines.get(key);
    if (!cached) cached = this.compile(key, p, layout);
    const wg = typeof p.workgroups === 'number' ? grid(p.workgroups) : p.workgroups;
    if (wg[0] === 0 || wg[1] === 0 || wg[2] === 0) return;
    const ubuf = this.uniformPool.acquire(layout.size);
    this.gpu.queue.writeBuffer(ubuf, 0, layout.pack(p.uniforms));
    const entries: GPUBindGroupEntry[] = [];
    let i = 0;
    for (const b of [...p.inputs, ...p.outputs]) entries.push({ binding: i++, resource: { buffer: gpuBufferOf(b.tensor) } });
    entries.push({ binding: i, resource: { buffer: ubuf, size: layout.size } });
    const group = this.gpu.createBindGroup({ layout: cached.layout, entries });
    this.uniformPool.release(ubuf);
    if (!this.pass) this.pass = enc.beginComputePass();
    this.pass.setPipeline(cached.pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(wg[0], wg[1], wg[2]);
    this.counters.dispatches++;
    if (++this.dispatchesInEncoder >= this.flushEvery) this.flush();
  }

  private compile(key: string, p: Program, layout: UniformLayout): CachedPipeline {
    const t0 = performance.now();
    const code = p.shader(new ShaderHelper(p, layout));
    if (debugEnabled('webgpu')) console.log(`// torchlet webgpu pipeline ${key}\n${code}\n`);
    const layoutKey = `${p.inputs.length}:${p.outputs.length}`;
    let bgl = this.layouts.get(layoutKey);
    if (!bgl) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      let i = 0;
      for (let k = 0; k < p.inputs.length; k++) entries.push({ binding: i++, visibility: 4 /* COMPUTE */, buffer: { type: 'read-only-storage' } });
      for (let k = 0; k < p.outputs.length; k++) entries.push({ binding: i++, visibility: 4, buffer: { type: 'storage' } });
      entries.push({ binding: i, visibility: 4, buffer: { type: 'uniform' } });
      bgl = this.gpu.createBindGroupLayout({ entries });
      this.layouts.set(layoutKey, bgl);
    }
    const module = this.gpu.createShaderModule({ code, label: key });
    if (debugEnabled('webgpu-errors')) {
      void module.getCompilationInfo().then((info) => {
        for (const m of info.messages) if (m.type === 'error') console.error(`webgpu ${key}: ${m.message} (line ${m.lineNum})\n${code}`);
      });
    }
    const pipeline = this.gpu.createComputePipeline({
      label: key,
      layout: this.gpu.createPipelineLayout({ bindGroupLayouts: [bgl] }),
      compute: { module, entryPoint: 'main' },
    });
    const c = { pipeline, layout: bgl };
    this.pipelines.set(key, c);
    this.counters.pipelines++;
    this.counters.compileMs += performance.now() - t0;
    return c;
  }

  /** Copies `n` elements between buffers (element offsets); outside compute passes. */
  copyElements(src: Tensor, srcOffset: number, dst: Tensor, dstOffset: number, n: number): void {
    if (n === 0) return;
    this.endPass();
    this.getEncoder().copyBufferToBuffer(gpuBufferOf(src), srcOffset * 4, gpuBufferOf(dst), dstOffset * 4, n * 4);
  }

  private getEncoder(): GPUCommandEncoder {
    if (!this.encoder) {
      this.gpu.pushErrorScope('out-of-memory');
      this.gpu.pushErrorScope('validation');
      this.encoder = this.gpu.createCommandEncoder();
      this.dispatchesInEncoder = 0;
    }
    return this.encoder;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = undefined;
    }
  }

  /** Submits the recorded work; released buffers become reusable. */
  flush(): void {
    if (!this.encoder) {
      this.storagePool.onSubmit();
      this.uniformPool.onSubmit();
      return;
    }
    this.endPass();
    this.gpu.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.counters.submits++;
    this.errors.push(this.gpu.popErrorScope(), this.gpu.popErrorScope());
    // without reads the scopes would pile up: keep the first error of the older ones only
    if (this.errors.length > 64) {
      const older = this.errors;
      this.errors = [Promise.all(older).then((es) => es.find((e) => e !== null) ?? null)];
    }
    this.storagePool.onSubmit();
    this.uniformPool.onSubmit();
  }

  /** Waits for all submitted work and reports validation errors raised since the last read. */
  async sync(): Promise<void> {
    this.flush();
    await this.gpu.queue.onSubmittedWorkDone();
    const errors = this.errors;
    this.errors = [];
    const errs = (await Promise.all(errors)).filter((e): e is GPUError => e !== null);
    if (errs.length) throw new Error(`webgpu: ${errs.map((e) => e.message).join('\n')}`);
  }

  private checkAlive(): void {
    if (this.lost !== undefined) throw new Error(`the webgpu device was lost (${this.lost}); call torch.backends.webgpu.init() again`);
  }

  /** Frees pooled buffers (live tensors keep theirs). */
  trim(): void {
    this.flush();
    this.storagePool.trim();
    this.uniformPool.trim();
  }
}

function isContiguousView(t: Tensor): boolean {
  let expected = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    const s = t.shape[i]!;
    if (s === 1) continue;
    if (t.strides[i] !== expected) return false;
    expected *= s;
  }
  return true;
}

function convertWords(words: ArrayBuffer, type: WgslType, dtype: DType, n: number): StorageArray {
  if (type === 'f32') return new Float32Array(words, 0, n);
  if (type === 'u32') return Uint8Array.from(new Uint32Array(words, 0, n), (v) => (v !== 0 ? 1 : 0));
  const w = new Int32Array(words, 0, n);
  switch (dtype) {
    case 'int32': return w;
    case 'int64': return Float64Array.from(w);
    case 'int16': return Int16Array.from(w);
    case 'int8': return Int8Array.from(w);
    case 'uint8': return Uint8Array.from(w);
    default: throw new Error(`webgpu: cannot read ${dtype}`);
  }
}
