/** Loads test-models/nn-ops/*.json (made by PyTorch via make_fixtures.py) and runs their cases. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bindArgs, callFunction, getRegistry, parseDType, pythonIndex, resolveOverload, runOverload, tensor, Tensor, type OpDecl, type OverloadDecl } from '../src/index.js';

export interface FixtureCase {
  name: string;
  kind: 'op' | 'F' | 'torch';
  target: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  out: unknown;
  rtol: number;
  atol: number;
  /** the expected value is this element of the tuple result */
  pick?: number;
}

export function loadFixture(file: string): FixtureCase[] {
  const path = fileURLToPath(new URL(`../../../test-models/nn-ops/${file}`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: FixtureCase[] }).cases;
}

const CTORS = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, bool: Uint8Array,
} as const;

export function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('tensor' in o) {
      const j = o.tensor as { dtype: string; shape: number[]; data: string };
      const bytes = Buffer.from(j.data, 'base64');
      const buf = new ArrayBuffer(bytes.length);
      new Uint8Array(buf).set(bytes);
      const dtype = parseDType(j.dtype);
      return tensor(new CTORS[dtype](buf), { shape: j.shape, dtype });
    }
    if ('float' in o) return Number(o.float === 'inf' ? Infinity : o.float === '-inf' ? -Infinity : NaN);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decode(x);
    return out;
  }
  return v;
}

/** Calls a case's target with its decoded arguments. */
export function runCase(c: FixtureCase, args = decode(c.args) as unknown[], kwargs = decode(c.kwargs) as Record<string, unknown>): unknown {
  const r = callTarget(c, args, kwargs);
  return c.pick === undefined ? r : (r as unknown[])[c.pick];
}

function callTarget(c: FixtureCase, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (c.kind === 'op') {
    const ov = getRegistry().overload(c.target);
    if (!ov) throw new Error(`no overload ${c.target}`);
    const bound = bindArgs(ov, args, kwargs, true);
    if (typeof bound === 'string') throw new Error(`${c.target}: ${bound}`);
    return runOverload(ov, bound);
  }
  const call = Object.keys(kwargs).length ? [...args, kwargs] : args;
  return callFunction(c.target, call, c.kind === 'F' ? 'F' : 'function');
}

/** Returns a reason when `got` differs from `want` beyond |got - want| <= atol + rtol * |want|. */
export function mismatch(got: unknown, want: unknown, rtol: number, atol: number, path = 'out'): string | undefined {
  if (want instanceof Tensor) {
    if (!(got instanceof Tensor)) return `${path}: expected a Tensor, got ${String(got)}`;
    if (got.dtype !== want.dtype) return `${path}: dtype ${got.dtype}, expected ${want.dtype}`;
    if (got.shape.join() !== want.shape.join()) return `${path}: shape [${got.shape}], expected [${want.shape}]`;
    const g = got.contiguousArray(), w = want.contiguousArray();
    for (let i = 0; i < w.length; i++) {
      const a = g[i]!, b = w[i]!;
      const ok = Number.isNaN(b) ? Number.isNaN(a) : !Number.isFinite(b) ? a === b : Math.abs(a - b) <= atol + rtol * Math.abs(b);
      if (!ok) return `${path}[${i}]: ${a} != ${b}`;
    }
    return undefined;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${path}: expected a sequence of ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const r = mismatch(got[i], want[i], rtol, atol, `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (want === null) return got === null || got === undefined ? undefined : `${path}: expected None`;
  return got === want ? undefined : `${path}: ${String(got)} != ${String(want)}`;
}

/** Runs a case through its overload's `decompose` (what a backend without a kernel gets). */
export function runDecomposed(c: FixtureCase): unknown {
  const args = decode(c.args) as unknown[];
  const kwargs = decode(c.kwargs) as Record<string, unknown>;
  const reg = getRegistry();
  const ov = c.kind === 'op' ? reg.overload(c.target) : resolveOverload(pythonIndex().get(c.target)!.overloads, args, kwargs).overload;
  if (!ov?.decl.decompose) throw new Error(`${c.target} has no decomposition`);
  const bound = bindArgs(ov, args, kwargs, true);
  if (typeof bound === 'string') throw new Error(bound);
  const r = ov.decl.decompose(bound);
  return c.pick === undefined ? r : (r as unknown[])[c.pick];
}

/** Whether every named op (`aten::linear`, `aten::add.Tensor`) is in the registry. */
export function haveOps(...names: string[]): boolean {
  const reg = getRegistry();
  return names.every((n) => (n.includes('.') ? reg.overload(n) : reg.overloads(n)) !== undefined);
}

/**
 * Runs `fn` with the CPU kernels of the given ops' overloads switched off where they have a
 * decomposition, so that the dispatcher takes the decomposition (as a backend without a kernel does).
 */
export function withDecompositions<T>(ops: readonly OpDecl[], fn: () => T): T {
  const saved: [OverloadDecl, OverloadDecl['cpu']][] = [];
  for (const ov of getRegistry().allOverloads()) {
    if (!ops.includes(ov.op) || !ov.decl.decompose || !ov.decl.cpu) continue;
    const d = ov.decl as { cpu?: OverloadDecl['cpu'] };
    saved.push([ov.decl, d.cpu]);
    d.cpu = undefined;
  }
  try {
    return fn();
  } finally {
    for (const [d, cpu] of saved) (d as { cpu?: OverloadDecl['cpu'] }).cpu = cpu;
  }
}
