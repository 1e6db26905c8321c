import { inflateSync } from 'fflate';
import { UnsupportedArchiveError, ZipError } from '../errors.js';

/**
 * A read-only zip reader for PyTorch archives (`torch.jit.save`, `torch.save`): walks the central
 * directory (ZIP64 aware), finds each record's data through its local header, returns stored
 * records as views over the file bytes (no copy) and inflates deflated ones.
 */

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;

export interface ZipEntry {
  /** full name as stored, e.g. `model/data/0` */
  readonly fullName: string;
  /** name relative to the archive's top folder, e.g. `data/0` */
  readonly name: string;
  /** 0 stored, 8 deflate */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
  readonly flags: number;
}

export interface ZipOptions {
  /** verify CRC-32 of records no bigger than this many bytes (default 1 MiB; 0 disables) */
  verifyCrcUpTo?: number;
}

const crcTable = /* @__PURE__ */ (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function ascii(bytes: Uint8Array, start: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && start + i < bytes.length; i++) s += String.fromCharCode(bytes[start + i]!);
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Throws a clear error for files that are not zip-based PyTorch archives. */
export function sniffFormat(bytes: Uint8Array): void {
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === 'PYTORCH1') {
    throw new UnsupportedArchiveError('this is a pre-release PyTorch archive ("PYTORCH1" header), a format PyTorch itself no longer loads; re-save the model with a current PyTorch');
  }
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5) {
    throw new UnsupportedArchiveError('this is a legacy raw-pickle file (torch.save with _use_new_zipfile_serialization=False), not a zip archive; re-save it with torch.jit.save');
  }
  if (bytes.length >= 8 && ascii(bytes, 4, 4) === 'PTMF') {
    throw new UnsupportedArchiveError('this is a FlatBuffer lite-interpreter model (.ptl saved with _use_flatbuffer=True), not a TorchScript zip archive');
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new ZipError(`not a zip archive (starts with ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ') || 'nothing'})`);
  }
}

export class ZipArchive {
  /** relative name -> entry */
  readonly entries = new Map<string, ZipEntry>();
  /** the top-level folder including its trailing slash, e.g. `model/` ('' when there is none) */
  readonly prefix: string;
  private readonly view: DataView;
  private readonly cache = new Map<string, Uint8Array>();
  private readonly verifyCrcUpTo: number;

  constructor(
    readonly bytes: Uint8Array,
    opts: ZipOptions = {},
  ) {
    this.verifyCrcUpTo = opts.verifyCrcUpTo ?? 1 << 20;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    sniffFormat(bytes);
    const list = this.readCentralDirectory();
    if (list.length === 0) throw new ZipError('the zip archive has no entries');
    const first = list[0]!.fullName;
    const slash = first.indexOf('/');
    if (slash <= 0) throw new ZipError(`the first zip entry '${first}' is not inside a top-level folder, as PyTorch archives are`);
    this.prefix = first.slice(0, slash + 1);
    for (const e of list) {
      if (!e.fullName.startsWith(this.prefix)) {
        throw new ZipError(`entry is outside the archive's top-level folder '${this.prefix}'`, e.fullName);
      }
      const rel = e.fullName.slice(this.prefix.length);
      if (this.entries.has(rel)) throw new ZipError('duplicate zip entry', e.fullName);
      (e as { name: string }).name = rel;
      this.entries.set(rel, e);
    }
  }

  private u16(o: number): number {
    return this.view.getUint16(o, true);
  }
  private u32(o: number): number {
    return this.view.getUint32(o, true);
  }
  private u64(o: number, what: string): number {
    const v = this.view.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(`${what} ${v} is too large`);
    return Number(v);
  }
  private need(o: number, n: number, what: string, entry?: string): void {
    if (o < 0 || o + n > this.bytes.length) throw new ZipError(`truncated archive: ${what} at offset ${o} (+${n} bytes) lies beyond the end of the file (${this.bytes.length} bytes)`, entry);
  }

  private findEocd(): number {
    const b = this.bytes;
    const min = Math.max(0, b.length - 22 - 0xffff);
    for (let p = b.length - 22; p >= min; p--) {
      if (b[p] === 0x50 && b[p + 1] === 0x4b && b[p + 2] === 0x05 && b[p + 3] === 0x06) return p;
    }
    throw new ZipError('truncated or corrupt archive: no end-of-central-directory record found');
  }

  private readCentralDirectory(): ZipEntry[] {
    const eocd = this.findEocd();
    let count = this.u16(eocd + 10);
    let cdSize = this.u32(eocd + 12);
    let cdOffset = this.u32(eocd + 16);
    const loc = eocd - 20;
    if (loc >= 0 && this.u32(loc) === SIG_LOCATOR64) {
      const z64 = this.u64(loc + 8, 'ZIP64 end record offset');
      this.need(z64, 56, 'ZIP64 end-of-central-directory record');
      if (this.u32(z64) !== SIG_EOCD64) throw new ZipError('corrupt archive: the ZIP64 locator does not point to a ZIP64 end-of-central-directory record');
      count = this.u64(z64 + 32, 'entry count');
      cdSize = this.u64(z64 + 40, 'central directory size');
      cdOffset = this.u64(z64 + 48, 'central directory offset');
    } else if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      throw new ZipError('corrupt archive: ZIP64 end-of-central-directory locator missing');
    }
    this.need(cdOffset, cdSize, 'central directory');
    const out: ZipEntry[] = [];
    let p = cdOffset;
    const end = cdOffset + cdSize;
    for (let i = 0; i < count; i++) {
      this.need(p, 46, `central directory entry #${i}`);
      if (this.u32(p) !== SIG_CENTRAL) throw new ZipError(`corrupt archive: central directory entry #${i} at offset ${p} has a bad signature`);
      const flags = this.u16(p + 8);
      const method = this.u16(p + 10);
      const crc = this.u32(p + 16);
      let csize = this.u32(p + 20);
      let usize = this.u32(p + 24);
      const nameLen = this.u16(p + 28);
      const extraLen = this.u16(p + 30);
      const commentLen = this.u16(p + 32);
      let lho = this.u32(p + 42);
      this.need(p + 46, nameLen + extraLen + commentLen, `central directory entry #${i} name/extra`);
      const nameBytes = this.bytes.subarray(p + 46, p + 46 + nameLen);
      const fullName = utf8.decode(nameBytes);
      // ZIP64 extended information: only the fields whose 32-bit value is saturated, in order
      let q = p + 46 + nameLen;
      const extraEnd = q + extraLen;
      while (q + 4 <= extraEnd) {
        const id = this.u16(q), len = this.u16(q + 2);
        if (q + 4 + len > extraEnd) throw new ZipError('corrupt central-directory extra field', fullName);
        if (id === 0x0001) {
          let r = q + 4;
          const take = (what: string): number => {
            if (r + 8 > q + 4 + len) throw new ZipError(`ZIP64 extra field lacks the ${what}`, fullName);
            const v = this.u64(r, what);
            r += 8;
            return v;
          };
          if (usize === 0xffffffff) usize = take('uncompressed size');
          if (csize === 0xffffffff) csize = take('compressed size');
          if (lho === 0xffffffff) lho = take('local header offset');
        }
        q += 4 + len;
      }
      out.push({ fullName, name: fullName, method, compressedSize: csize, size: usize, crc32: crc, localHeaderOffset: lho, flags });
      p += 46 + nameLen + extraLen + commentLen;
      if (p > end) throw new ZipError('corrupt archive: central directory entries run past the directory size', fullName);
    }
    return out;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  entry(name: string): ZipEntry {
    const e = this.entries.get(name);
    if (!e) throw new ZipError(`no such record in the archive (looked for '${this.prefix}${name}')`, name);
    return e;
  }

  /** Offset of the entry's data inside `bytes`, read from its local header. */
  dataOffset(name: string): number {
    const e = this.entry(name);
    const h = e.localHeaderOffset;
    this.need(h, 30, 'local file header', e.fullName);
    if (this.u32(h) !== SIG_LOCAL) throw new ZipError(`corrupt archive: bad local header signature at offset ${h}`, e.fullName);
    const nameLen = this.u16(h + 26), extraLen = this.u16(h + 28);
    const off = h + 30 + nameLen + extraLen;
    this.need(off, e.compressedSize, 'record data', e.fullName);
    return off;
  }

  /**
   * The record's bytes. Stored records are views over the archive bytes (no copy); deflated ones
   * are inflated once and cached.
   */
  read(name: string): Uint8Array {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const e = this.entry(name);
    const off = this.dataOffset(name);
    const raw = this.bytes.subarray(off, off + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw new ZipError(`stored record has compressed size ${e.compressedSize} but size ${e.size}`, e.fullName);
      data = raw;
    } else if (e.method === 8) {
      try {
        data = inflateSync(raw, { out: new Uint8Array(e.size) });
      } catch (err) {
        throw new ZipError(`corrupt deflate data (${(err as Error).message})`, e.fullName);
      }
      // fflate truncates to the given buffer; a short stream leaves zeros, so verify with the CRC
      if (e.crc32 !== 0 && crc32(data) !== e.crc32) throw new ZipError('CRC-32 mismatch after inflating: the record is corrupt', e.fullName);
      this.cache.set(name, data);
      return data;
    } else {
      throw new ZipError(`unsupported zip compression method ${e.method} (only stored and deflate are used by PyTorch)`, e.fullName);
    }
    if (e.crc32 !== 0 && data.length <= this.verifyCrcUpTo && crc32(data) !== e.crc32) {
      throw new ZipError('CRC-32 mismatch: the record is corrupt', e.fullName);
    }
    return data;
  }

  /** The record decoded as UTF-8 text. */
  readText(name: string): string {
    return utf8.decode(this.read(name));
  }
}

/** Opens a zip archive held in memory (`Uint8Array` or `ArrayBuffer`). */
export function openZip(data: Uint8Array | ArrayBuffer, opts?: ZipOptions): ZipArchive {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  return new ZipArchive(bytes, opts);
}
