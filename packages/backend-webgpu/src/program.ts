/**
 * GPU kernels as data (onnxruntime-web's ProgramInfo): a `Program` names the kernel, carries a
 * cache key for everything that changes its WGSL beyond the bindings and the uniform layout, the
 * tensors it binds, the uniform values (shapes, strides, offsets, scalars) and the dispatch size,
 * and a function producing the WGSL that is only called when no pipeline with the same key exists.
 * Shapes live in uniforms, so one pipeline serves every shape of a given rank.
 */
import type { DType, Tensor } from '@torchlet/core';

export type WgslType = 'f32' | 'i32' | 'u32';

export interface UniformEntry {
  name: string;
  type: WgslType;
  /** a scalar, or an array (its length is part of the pipeline key: ranks are) */
  value: number | readonly number[];
}

export interface ProgramBinding {
  /** the WGSL variable name */
  name: string;
  tensor: Tensor;
}

export interface Program {
  name: string;
  /** what else shapes the generated WGSL (op variant, dtypes, flags); ranks come from the uniforms */
  key: string;
  inputs: ProgramBinding[];
  outputs: ProgramBinding[];
  uniforms: UniformEntry[];
  /** number of workgroups (spread over x/y when above the 65535 limit) or an explicit grid */
  workgroups: number | [number, number, number];
  /** the WGSL source, given the helper that declares the bindings and uniforms */
  shader: (h: ShaderHelper) => string;
}

/** How a dtype is stored on the GPU: one 32-bit word per element. */
export function storageType(d: DType): WgslType {
  switch (d) {
    case 'float32':
      return 'f32';
    case 'bool':
      return 'u32';
    case 'int8': case 'int16': case 'int32': case 'int64': case 'uint8':
      return 'i32';
    case 'float64': case 'float16':
      throw new Error(`webgpu tensors hold float32, integers (as 32-bit) and bool; got ${d}: convert it with t.to('float32') first`);
    default:
      return d satisfies never;
  }
}

// ---------------------------------------------------------------- uniform layout

interface UniformField {
  name: string;
  type: WgslType;
  /** 0 for a scalar */
  length: number;
  /** byte offset in the struct */
  offset: number;
}

/**
 * The uniform struct: arrays first as `array<vec4<T>, ceil(n/4)>` (uniform arrays need a 16-byte
 * stride), then scalars packed 4 bytes apart.
 */
export class UniformLayout {
  readonly fields: UniformField[] = [];
  readonly byName = new Map<string, UniformField>();
  readonly size: number;
  readonly signature: string;

  constructor(entries: readonly UniformEntry[]) {
    let off = 0;
    const arrays = entries.filter((e) => typeof e.value !== 'number' && (e.value as readonly number[]).length > 0);
    const scalars = entries.filter((e) => typeof e.value === 'number');
    for (const e of arrays) {
      const n = (e.value as readonly number[]).length;
      this.add({ name: e.name, type: e.type, length: n, offset: off });
      off += Math.ceil(n / 4) * 16;
    }
    for (const e of scalars) {
      this.add({ name: e.name, type: e.type, length: 0, offset: off });
      off += 4;
    }
    if (off === 0) {
      this.add({ name: '_pad', type: 'u32', length: 0, offset: 0 });
      off = 4;
    }
    this.size = Math.ceil(off / 16) * 16;
    // empty arrays (rank 0) are not fields; their names still go in the signature
    this.signature = entries.map((e) => `${e.name}:${e.type}${typeof e.value === 'number' ? '' : `[${(e.value as readonly number[]).length}]`}`).join(',');
  }

  private add(f: UniformField): void {
    if (this.byName.has(f.name)) throw new Error(`uniform '${f.name}' declared twice`);
    this.fields.push(f);
    this.byName.set(f.name, f);
  }

  wgsl(): string {
    const lines = this.fields.map((f) => (f.length ? `  ${f.name}: array<vec4<${f.type}>, ${Math.ceil(f.length / 4)}>,` : `  ${f.name}: ${f.type},`));
    return `struct Uniforms {\n${lines.join('\n')}\n};`;
  }

  pack(entries: readonly UniformEntry[]): ArrayBuffer {
    const buf = new ArrayBuffer(this.size);
    const u = new Uint32Array(buf), i = new Int32Array(buf), f = new Float32Array(buf);
    const put = (type: WgslType, at: number, v: number): void => {
      if (type === 'f32') f[at] = v;
      else if (type === 'i32') i[at] = v;
      else u[at] = v;
    };
    for (const e of entries) {
      const fl = this.byName.get(e.name);
      if (!fl) continue;
      const base = fl.offset / 4;
      if (typeof e.value === 'number') put(e.type, base, e.value);
      else {
        const a = e.value as readonly number[];
        for (let k = 0; k < a.length; k++) put(e.type, base + k, a[k]!);
      }
    }
    return buf;
  }
}

// ---------------------------------------------------------------- shader helper

const MAX_X = 65535;

/** The x/y grid for `groups` workgroups (x capped at 65535). */
export function grid(groups: number): [number, number, number] {
  if (groups <= MAX_X) return [Math.max(groups, 1), 1, 1];
  return [MAX_X, Math.ceil(groups / MAX_X), 1];
}

/**
 * Builds the common parts of a program's WGSL: binding declarations, the uniform struct, uniform
 * accessors with constant indices, index math over shapes held in uniforms, and the entry point.
 */
export class ShaderHelper {
  constructor(
    readonly program: Program,
    readonly layout: UniformLayout,
  ) {}

  /** `uniforms.name` or, for an array, its element `i` (a compile-time constant). */
  u(name: string, i?: number): string {
    const f = this.layout.byName.get(name);
    if (!f) throw new Error(`${this.program.name}: no uniform '${name}'`);
    if (f.length === 0) {
      if (i !== undefined) throw new Error(`${this.program.name}: uniform '${name}' is a scalar`);
      return `uniforms.${name}`;
    }
    if (i === undefined || i < 0 || i >= f.length) throw new Error(`${this.program.name}: uniform '${name}' index ${i} out of range`);
    return `uniforms.${name}[${i >> 2}][${i & 3}]`;
  }

  /** Element type of a bound tensor. */
  typeOf(name: string): WgslType {
    const b = [...this.program.inputs, ...this.program.outputs].find((x) => x.name === name);
    if (!b) throw new Error(`${this.program.name}: no binding '${name}'`);
    return storageType(b.tensor.dtype);
  }

  declarations(): string {
    const p = this.program;
    const lines: string[] = [this.layout.wgsl()];
    let i = 0;
    for (const b of p.inputs) lines.push(`@group(0) @binding(${i++}) var<storage, read> ${b.name}: array<${storageType(b.tensor.dtype)}>;`);
    for (const b of p.outputs) lines.push(`@group(0) @binding(${i++}) var<storage, read_write> ${b.name}: array<${storageType(b.tensor.dtype)}>;`);
    lines.push(`@group(0) @binding(${i}) var<uniform> uniforms: Uniforms;`);
    lines.push(WGSL_LIB);
    return lines.join('\n');
  }

  /**
   * A 1-d entry point: `global_idx` (element index across the dispatch), `group_idx`
   * (workgroup index across an x/y grid) and `local_idx`.
   */
  main(body: string, workgroupSize = 64): string {
    return `${this.declarations()}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let group_idx = wid.y * nwg.x + wid.x;
  let local_idx = lid.x;
  let global_idx = group_idx * ${workgroupSize}u + local_idx;
${body}
}`;
  }

  /**
   * Statements splitting the row-major index `flat` over the shape in uniform `shape` (rank
   * `rank`) into `let ${prefix}0 .. ${prefix}{rank-1}` (u32).
   */
  splitIndex(flat: string, shape: string, rank: number, prefix: string): string {
    if (rank === 0) return '';
    if (rank === 1) return `  let ${prefix}0 = ${flat};\n`;
    let s = `  var ${prefix}_rem = ${flat};\n`;
    for (let d = rank - 1; d >= 1; d--) {
      s += `  let ${prefix}${d} = ${prefix}_rem % ${this.u(shape, d)};\n  ${prefix}_rem = ${prefix}_rem / ${this.u(shape, d)};\n`;
    }
    s += `  let ${prefix}0 = ${prefix}_rem;\n`;
    return s;
  }

  /** `base + idx0 * strides[0] + ...` over the indices `${prefix}d` (u32). */
  offset(strides: string, rank: number, prefix: string, base?: string): string {
    const terms: string[] = base ? [base] : [];
    for (let d = 0; d < rank; d++) terms.push(`${prefix}${d} * ${this.u(strides, d)}`);
    return terms.length ? terms.join(' + ') : '0u';
  }
}

/** Helpers every shader gets (unused functions cost nothing). */
const WGSL_LIB = `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// through a var: constant-folding NaN or infinity is a WGSL compile error
fn nan_f32() -> f32 { var u = 0x7fc00000u; return bitcast<f32>(u); }
fn inf_f32() -> f32 { var u = 0x7f800000u; return bitcast<f32>(u); }
`;

// ---------------------------------------------------------------- strided views

/** A strided view of a tensor's storage, in elements. */
export interface View {
  shape: number[];
  strides: number[];
  offset: number;
}

export function viewOf(t: Tensor): View {
  return { shape: [...t.shape], strides: [...t.strides], offset: t.offset };
}

/** `t` broadcast to `shape` (trailing alignment; broadcast dims get stride 0). */
export function broadcastView(t: Tensor | View, shape: readonly number[]): View {
  const r = shape.length, k = t.shape.length;
  const strides = new Array<number>(r).fill(0);
  for (let i = 0; i < k; i++) {
    const d = r - k + i;
    if (t.shape[i] === shape[d]) strides[d] = t.strides[i]!;
    else if (t.shape[i] !== 1) throw new Error(`cannot broadcast [${t.shape}] to [${shape}]`);
  }
  return { shape: [...shape], strides, offset: t.offset };
}

/**
 * Merges adjacent dims that every view walks contiguously and drops size-1 dims, so that the
 * common cases run at rank 1 (fewer pipelines, less index math). All views share one shape.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const dims: number[] = [];
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) dims.push(d);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of dims) {
    const n = outShape.length;
    if (n > 0 && strides.every((s, k) => outStrides[k]![n - 1] === s[d]! * shape[d]!)) {
      outShape[n - 1]! *= shape[d]!;
      strides.forEach((s, k) => (outStrides[k]![n - 1] = s[d]!));
      continue;
    }
    outShape.push(shape[d]!);
    strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
  }
  return { shape: outShape, strides: outStrides };
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function contiguousStridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= Math.max(shape[i]!, 1);
  }
  return s;
}
