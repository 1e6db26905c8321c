/**
 * Shape and indexing kernels. Most are one strided copy through a view of the input (flip as
 * negative strides, repeat as stride-0 dims, pixel_shuffle as a 6-d permutation, roll and
 * constant_pad_nd as copies between narrowed views); tril/triu, index_select / embedding (take)
 * and gather are small programs of their own.
 */
import type { Tensor } from '@torchlet/core';
import type { WebGPUBackend } from '../backend.js';
import { contiguousStridesOf, numelOf, storageType, type View } from '../program.js';
import { copyInto } from './copy.js';
import { runElementwise, type ElementwiseOp } from './elementwise.js';

const identity = (t: Tensor): ElementwiseOp => ({ name: 'copy', expr: ([a]) => a!, compute: storageType(t.dtype) === 'f32' ? 'f32' : 'i32' });

/** out = src seen through `view` (a view of src's storage with out's shape). */
function copyView(be: WebGPUBackend, out: Tensor, src: Tensor, view: View, outView?: View): void {
  runElementwise(be, identity(src), [{ tensor: src, view }], out, outView);
}

function viewOf(t: Tensor): View {
  return { shape: [...t.shape], strides: [...t.strides], offset: t.offset };
}

/** flip: negative strides (the u32 index math wraps them correctly) from the far end. */
export function runFlip(be: WebGPUBackend, x: Tensor, dims: readonly number[], out: Tensor): void {
  const v = viewOf(x);
  for (const d0 of new Set(dims.map((d) => (d < 0 ? d + x.ndim : d)))) {
    if (v.shape[d0]! > 0) v.offset += (v.shape[d0]! - 1) * v.strides[d0]!;
    v.strides[d0] = -v.strides[d0]!;
  }
  copyView(be, out, x, v);
}

/** repeat: out viewed as [r0, s0, r1, s1, ..] and x broadcast along the r dims (stride 0). */
export function runRepeat(be: WebGPUBackend, x: Tensor, repeats: readonly number[], out: Tensor): void {
  const lead = repeats.length - x.ndim;
  const shape: number[] = [], xs: number[] = [], os: number[] = [];
  const ostr = contiguousStridesOf(out.shape);
  for (let i = 0; i < repeats.length; i++) {
    const s = i < lead ? 1 : x.shape[i - lead]!;
    shape.push(repeats[i]!, s);
    xs.push(0, i < lead ? 0 : x.strides[i - lead]!);
    os.push(ostr[i]! * s, ostr[i]!);
  }
  copyView(be, out, x, { shape, strides: xs, offset: x.offset }, { shape, strides: os, offset: out.offset });
}

/** pixel_shuffle: out[.., c, h*r + i, w*r + j] = x[.., c*r*r + i*r + j, h, w]. */
export function runPixelShuffle(be: WebGPUBackend, x: Tensor, r: number, out: Tensor): void {
  const n = x.ndim;
  const lead = x.shape.slice(0, n - 3), ls = x.strides.slice(0, n - 3);
  const C = out.shape[n - 3]!, H = x.shape[n - 2]!, W = x.shape[n - 1]!;
  const [sc, sh, sw] = [x.strides[n - 3]!, x.strides[n - 2]!, x.strides[n - 1]!];
  const shape = [...lead, C, H, r, W, r];
  const xv: View = { shape, strides: [...ls, sc * r * r, sh, sc * r, sw, sc], offset: x.offset };
  const os = contiguousStridesOf(out.shape);
  const ov: View = { shape, strides: [...os.slice(0, n - 3), os[n - 3]!, os[n - 2]! * r, os[n - 2]!, r, 1], offset: out.offset };
  copyView(be, out, x, xv, ov);
}

/** constant_pad_nd: fill with the value, then copy the (possibly cropped) input into the interior. */
export function runConstantPad(be: WebGPUBackend, x: Tensor, pad: readonly number[], value: number, out: Tensor): void {
  if (out.numel() === 0) return;
  copyInto(be, out, value);
  const xv = viewOf(x);
  const ov = viewOf(out);
  for (let k = 0; k < pad.length / 2; k++) {
    const d = x.ndim - 1 - k;
    const before = pad[2 * k]!, after = pad[2 * k + 1]!;
    // negative pads crop the input
    let lo = 0, hi = x.shape[d]!;
    if (before < 0) lo = -before;
    if (after < 0) hi = x.shape[d]! + after;
    const len = Math.max(0, hi - lo);
    xv.offset += lo * x.strides[d]!;
    xv.shape[d] = len;
    ov.offset += Math.max(0, before) * out.strides[d]!;
    ov.shape[d] = len;
  }
  if (numelOf(xv.shape) === 0) return;
  copyView(be, out, x, xv, ov);
}

/** roll along each (shift, dim) in turn: two narrowed copies per dim; dims=[] rolls the flat tensor. */
export function runRoll(be: WebGPUBackend, x: Tensor, shifts: readonly number[], dims: readonly number[], out: Tensor): void {
  if (out.numel() === 0) return;
  const flat = dims.length === 0;
  const plan = flat ? [[shifts[0]!, 0]] : shifts.map((s, i) => [s, dims[i]! < 0 ? dims[i]! + x.ndim : dims[i]!]);
  // flat: work on a contiguous copy viewed as 1-d
  let cur: View = flat ? { shape: [x.numel()], strides: [1], offset: 0 } : viewOf(x);
  let curT = x;
  const temps: Tensor[] = [];
  if (flat) {
    curT = be.allocateTensor(x.shape, x.dtype);
    temps.push(curT);
    copyInto(be, curT, x);
  }
  const target: View = flat ? { shape: [out.numel()], strides: [1], offset: out.offset } : viewOf(out);
  plan.forEach(([shift, d], i) => {
    const n = cur.shape[d!]!;
    const last = i === plan.length - 1;
    const dst = last ? out : be.allocateTensor(flat ? [n] : [...cur.shape], x.dtype);
    const dv: View = last ? target : { shape: [...cur.shape], strides: contiguousStridesOf(cur.shape), offset: 0 };
    const s = ((shift! % n) + n) % n;
    const parts: [number, number, number][] = [[0, s, n - s], [n - s, 0, s]]; // [src start, dst start, len]
    for (const [src0, dst0, len] of parts) {
      if (len === 0) continue;
      const sv: View = { shape: [...cur.shape], strides: [...cur.strides], offset: cur.offset + src0 * cur.strides[d!]! };
      sv.shape[d!] = len;
      const tv: View = { shape: [...dv.shape], strides: [...dv.strides], offset: dv.offset + dst0 * dv.strides[d!]! };
      tv.shape[d!] = len;
      copyView(be, dst, curT, sv, tv);
    }
    if (!last) {
      temps.push(dst);
      curT = dst;
      cur = dv;
    }
  });
  for (const t of temps) t.dispose();
}

/** tril / triu: keep element (.., i, j) when j - i <= diagonal (tril) or >= diagonal (triu). */
export function runTri(be: WebGPUBackend, x: Tensor, diagonal: number, upper: boolean, out: Tensor): void {
  const n = out.numel();
  if (n === 0) return;
  const rank = x.ndim;
  const T = storageType(x.dtype);
  be.run({
    name: upper ? 'triu' : 'tril',
    key: '',
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: [
      { name: 'size', type: 'u32', value: n },
      { name: 'shape', type: 'u32', value: out.shape },
      { name: 'x_strides', type: 'u32', value: x.strides },
      { name: 'x_offset', type: 'u32', value: x.offset },
      { name: 'diagonal', type: 'i32', value: diagonal },
    ],
    workgroups: Math.ceil(n / 64),
    shader: (h) => {
      const zero = T === 'f32' ? '0.0' : T === 'i32' ? '0' : '0u';
      const keep = upper ? '>=' : '<=';
      const body =
        `  if (global_idx >= uniforms.size) { return; }\n` +
        h.splitIndex('global_idx', 'shape', rank, 'i') +
        `  let v = x[${h.offset('x_strides', rank, 'i', 'uniforms.x_offset')}];\n` +
        `  y[global_idx] = select(${zero}, v, i32(i${rank - 1}) - i32(i${rank - 2}) ${keep} uniforms.diagonal);\n`;
      return h.main(body);
    },
  });
}

/**
 * take(x, dim, index): out = x.shape[:dim] + index.shape + x.shape[dim+1:], reading
 * x[.., index[..], ..] (index_select with a 1-d index, embedding with dim 0). Negative indices
 * count from the end; indices out of range read 0 (PyTorch raises; a GPU kernel cannot).
 */
export function runTake(be: WebGPUBackend, x: Tensor, dim: number, index: Tensor, out: Tensor): void {
  const n = out.numel();
  if (n === 0) return;
  if (index.device === 'cpu') {
    // a 0-d CPU index (a scalar) is uploaded
    const g = be.upload(index);
    try {
      return runTake(be, x, dim, g, out);
    } finally {
      g.dispose();
    }
  }
  const d = dim < 0 ? dim + x.ndim : dim;
  const rank = out.ndim, ir = index.ndim;
  const pre = d, post = x.ndim - d - 1;
  // x strides along out dims: pre dims, index dims (0), post dims
  const xs = [...x.strides.slice(0, d), ...new Array<number>(ir).fill(0), ...x.strides.slice(d + 1)];
  const is = [...new Array<number>(pre).fill(0), ...index.strides, ...new Array<number>(post).fill(0)];
  const T = storageType(x.dtype);
  be.run({
    name: 'take',
    key: '',
    inputs: [{ name: 'x', tensor: x }, { name: 'idx', tensor: index }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: [
      { name: 'size', type: 'u32', value: n },
      { name: 'shape', type: 'u32', value: out.shape },
      { name: 'x_strides', type: 'u32', value: xs },
      { name: 'i_strides', type: 'u32', value: is },
      { name: 'x_offset', type: 'u32', value: x.offset },
      { name: 'i_offset', type: 'u32', value: index.offset },
      { name: 'dim_size', type: 'i32', value: x.shape[d]! },
      { name: 'dim_stride', type: 'u32', value: x.strides[d]! },
    ],
    workgroups: Math.ceil(n / 64),
    shader: (h) => {
      const zero = T === 'f32' ? '0.0' : T === 'i32' ? '0' : '0u';
      const body =
        `  if (global_idx >= uniforms.size) { return; }\n` +
        h.splitIndex('global_idx', 'shape', rank, 'o') +
        `  var k = i32(idx[${h.offset('i_strides', rank, 'o', 'uniforms.i_offset')}]);\n` +
        `  if (k < 0) { k += uniforms.dim_size; }\n` +
        `  if (k < 0 || k >= uniforms.dim_size) { y[global_idx] = ${zero}; return; }\n` +
        `  y[global_idx] = x[${h.offset('x_strides', rank, 'o', 'uniforms.x_offset')} + u32(k) * uniforms.dim_stride];\n`;
      return h.main(body);
    },
  });
}

/** gather(x, dim, index): out[o] = x[o with o[dim] replaced by index[o]]. */
export function runGather(be: WebGPUBackend, x: Tensor, dim: number, index: Tensor, out: Tensor): void {
  const n = out.numel();
  if (n === 0) return;
  if (index.device === 'cpu') {
    const g = be.upload(index);
    try {
      return runGather(be, x, dim, g, out);
    } finally {
      g.dispose();
    }
  }
  const rank = Math.max(out.ndim, 0);
  const d = rank === 0 ? 0 : dim < 0 ? dim + rank : dim;
  const xs = x.ndim === 0 ? [] : x.strides.map((s, i) => (i === d ? 0 : s));
  const T = storageType(x.dtype);
  be.run({
    name: 'gather',
    key: '',
    inputs: [{ name: 'x', tensor: x }, { name: 'idx', tensor: index }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: [
      { name: 'size', type: 'u32', value: n },
      { name: 'shape', type: 'u32', value: out.shape },
      { name: 'x_strides', type: 'u32', value: xs },
      { name: 'i_strides', type: 'u32', value: index.strides },
      { name: 'x_offset', type: 'u32', value: x.offset },
      { name: 'i_offset', type: 'u32', value: index.offset },
      { name: 'dim_size', type: 'i32', value: x.ndim === 0 ? 1 : x.shape[d]! },
      { name: 'dim_stride', type: 'u32', value: x.ndim === 0 ? 0 : x.strides[d]! },
    ],
    workgroups: Math.ceil(n / 64),
    shader: (h) => {
      const zero = T === 'f32' ? '0.0' : T === 'i32' ? '0' : '0u';
      const body =
        `  if (global_idx >= uniforms.size) { return; }\n` +
        h.splitIndex('global_idx', 'shape', rank, 'o') +
        `  var k = i32(idx[${h.offset('i_strides', rank, 'o', 'uniforms.i_offset')}]);\n` +
        `  if (k < 0) { k += uniforms.dim_size; }\n` +
        `  if (k < 0 || k >= uniforms.dim_size) { y[global_idx] = ${zero}; return; }\n` +
        `  y[global_idx] = x[${h.offset('x_strides', rank, 'o', 'uniforms.x_offset')} + u32(k) * uniforms.dim_stride];\n`;
      return h.main(body);
    },
  });
}

export type PadMode = 'reflect' | 'replicate' | 'circular';

/**
 * reflect / replicate / circular padding of the trailing pad.length/2 dims: each output index maps
 * to an input index (circular: negative pads crop first, then the cropped region wraps).
 */
export function runPadMode(be: WebGPUBackend, x: Tensor, pad: readonly number[], mode: PadMode, out: Tensor): void {
  const n = out.numel();
  if (n === 0) return;
  const rank = x.ndim;
  const before = new Array<number>(rank).fill(0), start = new Array<number>(rank).fill(0), cyc = [...x.shape];
  for (let k = 0; k < pad.length / 2; k++) {
    const d = rank - 1 - k;
    const b = pad[2 * k]!, a = pad[2 * k + 1]!;
    before[d] = mode === 'circular' ? Math.max(b, 0) : b;
    start[d] = mode === 'circular' ? Math.max(-b, 0) : 0;
    cyc[d] = mode === 'circular' ? x.shape[d]! + Math.min(b, 0) + Math.min(a, 0) : x.shape[d]!;
  }
  be.run({
    name: `pad_${mode}`,
    key: '',
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'y', tensor: out }],
    uniforms: [
      { name: 'size', type: 'u32', value: n },
      { name: 'shape', type: 'u32', value: out.shape },
      { name: 'x_strides', type: 'u32', value: x.strides },
      { name: 'x_offset', type: 'u32', value: x.offset },
      { name: 'before', type: 'i32', value: before },
      { name: 'start', type: 'i32', value: start },
      { name: 'cyc', type: 'i32', value: cyc },
      { name: 'in_shape', type: 'i32', value: x.shape },
    ],
    workgroups: Math.ceil(n / 64),
    shader: (h) => {
      let body = `  if (global_idx >= uniforms.size) { return; }\n` + h.splitIndex('global_idx', 'shape', rank, 'o') + `  var off = uniforms.x_offset;\n`;
      for (let d = 0; d < rank; d++) {
        const j = `(i32(o${d}) - ${h.u('before', d)})`;
        const nIn = h.u('in_shape', d);
        let m: string;
        if (mode === 'reflect') m = `abs(${nIn} - 1 - abs(${nIn} - 1 - abs(${j})))`;
        else if (mode === 'replicate') m = `clamp(${j}, 0, ${nIn} - 1)`;
        else m = `${h.u('start', d)} + (((${j} % ${h.u('cyc', d)}) + ${h.u('cyc', d)}) % ${h.u('cyc', d)})`;
        body += `  off += u32(${m}) * ${h.u('x_strides', d)};\n`;
      }
      body += `  y[global_idx] = x[off];\n`;
      return h.main(body);
    },
  });
}
