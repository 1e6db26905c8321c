import { readFileSync } from 'node:fs';
import { Tensor, tensor, type DType } from '@torchlet/core';

export const TEST_MODELS = new URL('../../../test-models/', import.meta.url).pathname;

const NPY_DTYPES: Record<string, { dtype: DType; size: number }> = {
  '<f4': { dtype: 'float32', size: 4 }, '<f8': { dtype: 'float64', size: 8 }, '<f2': { dtype: 'float16', size: 2 },
  '<i8': { dtype: 'int64', size: 8 }, '<i4': { dtype: 'int32', size: 4 }, '<i2': { dtype: 'int16', size: 2 },
  '|i1': { dtype: 'int8', size: 1 }, '|u1': { dtype: 'uint8', size: 1 }, '|b1': { dtype: 'bool', size: 1 },
};

/** Reads a NumPy .npy file (format 1.0-3.0, little-endian, C order) into a torchlet tensor. */
export function readNpy(bytes: Uint8Array): Tensor {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new Error('not an .npy file');
  const major = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '';
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!descr || !NPY_DTYPES[descr]) throw new Error(`unsupported npy dtype ${descr}`);
  if (fortran) throw new Error('fortran-order npy is not supported');
  const { dtype, size } = NPY_DTYPES[descr]!;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = bytes.slice(hstart + hlen, hstart + hlen + n * size);
  const buf = data.buffer;
  switch (dtype) {
    case 'float32': return tensor(new Float32Array(buf, 0, n), { shape });
    case 'float64': return tensor(new Float64Array(buf, 0, n), { shape });
    case 'float16': return tensor(new Uint16Array(buf, 0, n), { shape, dtype: 'float16' });
    case 'int64': return tensor(new BigInt64Array(buf, 0, n), { shape });
    case 'int32': return tensor(new Int32Array(buf, 0, n), { shape });
    case 'int16': return tensor(new Int16Array(buf, 0, n), { shape });
    case 'int8': return tensor(new Int8Array(buf, 0, n), { shape });
    case 'uint8': return tensor(new Uint8Array(buf, 0, n), { shape });
    case 'bool': return tensor(new Uint8Array(buf, 0, n), { shape, dtype: 'bool' });
  }
}

export function readNpyFile(path: string): Tensor {
  return readNpy(new Uint8Array(readFileSync(path)));
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Max violation of |got - want| <= atol + rtol*|want| (<= 0 means within tolerance); NaNs must match. */
export function closeness(got: Tensor, want: Tensor, tol: Tolerance): { ok: boolean; maxAbs: number; worst: string } {
  if (got.shape.join(',') !== want.shape.join(',')) return { ok: false, maxAbs: Infinity, worst: `shape [${got.shape}] vs [${want.shape}]` };
  const a = got.contiguousArray(), b = want.contiguousArray();
  let ok = true, maxAbs = 0, worst = '';
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (Number.isNaN(y) || Number.isNaN(x)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) { ok = false; worst = `NaN mismatch at ${i}`; }
      continue;
    }
    if (x === y) continue;
    const d = Math.abs(x - y);
    maxAbs = Math.max(maxAbs, d);
    if (!(d <= tol.atol + tol.rtol * Math.abs(y))) {
      if (ok) worst = `element ${i}: got ${x}, want ${y}`;
      ok = false;
    }
  }
  return { ok, maxAbs, worst };
}

// ---------------------------------------------------------------- io.json fixtures

export type Fixture = unknown;

/** Decodes the torchscript-samples io.json encoding into torchlet values (tuples and lists as arrays, dicts as Maps). */
export function decodeFixture(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeFixture);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.__tensor__) {
      const bytes = Uint8Array.from(Buffer.from(o.data_b64 as string, 'base64'));
      const shape = o.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const buf = bytes.buffer;
      switch (o.dtype) {
        case 'float32': return tensor(new Float32Array(buf, 0, n), { shape });
        case 'float64': return tensor(new Float64Array(buf, 0, n), { shape });
        case 'int64': return tensor(new BigInt64Array(buf, 0, n), { shape });
        case 'int32': return tensor(new Int32Array(buf, 0, n), { shape });
        case 'bool': return tensor(new Uint8Array(buf, 0, n), { shape, dtype: 'bool' });
        case 'float16': return tensor(new Uint16Array(buf, 0, n), { shape, dtype: 'float16' });
        default: throw new Error(`fixture dtype ${String(o.dtype)}`);
      }
    }
    if ('__tuple__' in o) return (o.__tuple__ as unknown[]).map(decodeFixture);
    if ('__dict__' in o) return new Map((o.__dict__ as [unknown, unknown][]).map(([k, x]) => [k, decodeFixture(x)]));
    if ('__float__' in o) return Number(o.__float__ === 'inf' ? Infinity : o.__float__ === '-inf' ? -Infinity : NaN);
  }
  return v;
}

/** Deep comparison of a module output with an expected value; returns a list of mismatch descriptions. */
export function compareValues(got: unknown, want: unknown, tol: Tolerance, path = 'out'): string[] {
  if (want instanceof Tensor) {
    if (!(got instanceof Tensor)) return [`${path}: expected a tensor, got ${describe(got)}`];
    const errs: string[] = [];
    if (got.dtype !== want.dtype) errs.push(`${path}: dtype ${got.dtype} vs ${want.dtype}`);
    const c = closeness(got, want, tol);
    if (!c.ok) errs.push(`${path}: ${c.worst} (max abs diff ${c.maxAbs})`);
    return errs;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return [`${path}: expected a sequence, got ${describe(got)}`];
    if (got.length !== want.length) return [`${path}: length ${got.length} vs ${want.length}`];
    return want.flatMap((w, i) => compareValues(got[i], w, tol, `${path}[${i}]`));
  }
  if (want instanceof Map) {
    if (!(got instanceof Map)) return [`${path}: expected a dict, got ${describe(got)}`];
    const gk = [...got.keys()], wk = [...want.keys()];
    if (gk.join('\u0000') !== wk.join('\u0000')) return [`${path}: keys ${JSON.stringify(gk)} vs ${JSON.stringify(wk)}`];
    return wk.flatMap((k) => compareValues(got.get(k), want.get(k), tol, `${path}[${JSON.stringify(k)}]`));
  }
  if (typeof want === 'number' && typeof got === 'number') {
    if (Number.isNaN(want) && Number.isNaN(got)) return [];
    return Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want) ? [] : [`${path}: ${got} vs ${want}`];
  }
  return Object.is(got, want) ? [] : [`${path}: ${describe(got)} vs ${describe(want)}`];
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `Tensor(${v.dtype}[${v.shape}])`;
  if (v instanceof Map) return 'Map';
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

// ---------------------------------------------------------------- a tiny zip writer for crafted archives

import { crc32 } from '../src/archive/zip.js';
import { deflateSync } from 'fflate';

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** deflate this entry */
  deflate?: boolean;
}

/**
 * Writes a zip the way PyTorch does (data 64-byte aligned through an "FB" extra field, ZIP64 end
 * records) so tests can craft archives: modified code, forbidden pickles, ZIP64 extras.
 */
export function writeZip(entries: ZipInput[], opts: { zip64Extra?: boolean; noZip64End?: boolean } = {}): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const central: Uint8Array[] = [];
  const push = (b: Uint8Array): void => {
    chunks.push(b);
    offset += b.length;
  };
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? enc.encode(e.data) : e.data;
    const body = e.deflate ? deflateSync(raw) : raw;
    const name = enc.encode(e.name);
    const crc = crc32(raw);
    const start = offset + 30 + name.length + 4;
    const pad = (64 - (start % 64)) % 64;
    const local = new Uint8Array(30 + name.length + 4 + pad);
    const dv = new DataView(local.buffer);
    dv.setUint32(0, 0x04034b50, true);
    dv.setUint16(4, e.deflate ? 20 : 0, true);
    dv.setUint16(6, 0x0808, true);
    dv.setUint16(8, e.deflate ? 8 : 0, true);
    dv.setUint16(26, name.length, true);
    dv.setUint16(28, 4 + pad, true);
    local.set(name, 30);
    dv.setUint16(30 + name.length, 0x4246, true);
    dv.setUint16(32 + name.length, pad, true);
    local.fill(0x5a, 34 + name.length);
    const headerOffset = offset;
    push(local);
    push(body);
    const extra = opts.zip64Extra ? 4 + 24 : 0;
    const cd = new Uint8Array(46 + name.length + extra);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true);
    cv.setUint16(6, e.deflate ? 20 : 0, true);
    cv.setUint16(8, 0x0808, true);
    cv.setUint16(10, e.deflate ? 8 : 0, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, opts.zip64Extra ? 0xffffffff : body.length, true);
    cv.setUint32(24, opts.zip64Extra ? 0xffffffff : raw.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra, true);
    cv.setUint32(42, opts.zip64Extra ? 0xffffffff : headerOffset, true);
    cd.set(name, 46);
    if (opts.zip64Extra) {
      const x = 46 + name.length;
      cv.setUint16(x, 0x0001, true);
      cv.setUint16(x + 2, 24, true);
      cv.setBigUint64(x + 4, BigInt(raw.length), true);
      cv.setBigUint64(x + 12, BigInt(body.length), true);
      cv.setBigUint64(x + 20, BigInt(headerOffset), true);
    }
    central.push(cd);
  }
  const cdStart = offset;
  for (const c of central) push(c);
  const cdSize = offset - cdStart;
  if (!opts.noZip64End) {
    const z = new Uint8Array(56);
    const zv = new DataView(z.buffer);
    zv.setUint32(0, 0x06064b50, true);
    zv.setBigUint64(4, 44n, true);
    zv.setUint16(12, 45, true);
    zv.setUint16(14, 45, true);
    zv.setBigUint64(24, BigInt(entries.length), true);
    zv.setBigUint64(32, BigInt(entries.length), true);
    zv.setBigUint64(40, BigInt(cdSize), true);
    zv.setBigUint64(48, BigInt(cdStart), true);
    const z64Offset = offset;
    push(z);
    const loc = new Uint8Array(20);
    const lv = new DataView(loc.buffer);
    lv.setUint32(0, 0x07064b50, true);
    lv.setBigUint64(8, BigInt(z64Offset), true);
    lv.setUint32(16, 1, true);
    push(loc);
  }
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, opts.noZip64End ? entries.length : 0xffff, true);
  ev.setUint16(10, opts.noZip64End ? entries.length : 0xffff, true);
  ev.setUint32(12, opts.noZip64End ? cdSize : 0xffffffff, true);
  ev.setUint32(16, opts.noZip64End ? cdStart : 0xffffffff, true);
  push(end);
  const out = new Uint8Array(offset);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** Re-packs a real archive with some records replaced (relative names), keeping the folder prefix. */
export function repack(bytes: Uint8Array, replace: Record<string, Uint8Array | string | null>, opts: { zip64Extra?: boolean } = {}): Uint8Array {
  const z = openZipForTest(bytes);
  const entries: ZipInput[] = [];
  for (const name of z.names()) {
    if (name in replace) {
      const r = replace[name];
      if (r === null) continue;
      entries.push({ name: z.prefix + name, data: r!, deflate: name.endsWith('.py') });
    } else entries.push({ name: z.prefix + name, data: z.read(name).slice(), deflate: z.entry(name).method === 8 });
  }
  for (const [name, r] of Object.entries(replace)) if (r !== null && !z.has(name)) entries.push({ name: z.prefix + name, data: r });
  return writeZip(entries, opts);
}

import { openZip as openZipForTest } from '../src/archive/zip.js';

export function readTestModel(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(TEST_MODELS + rel));
}
