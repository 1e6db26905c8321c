/**
 * Runs OpInfo-layout sample files for the shape/factory/indexing tests: as stored, or with every
 * input tensor replaced by a strided copy (offset 1, reversed dim order, stride gaps) holding the
 * same values, which must not change any result; and the PyTorch error cases (errors.json).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { compare, decode } from '../../conformance/src/aten.js';
import { callFunction, callMethod, copyInto, pythonIndex, Tensor, tidy } from '../src/index.js';

interface Sample { dtype: string; input: unknown; args: unknown[]; kwargs: Record<string, unknown>; output: unknown }
interface ErrorCase { op: string; input: unknown; args: unknown[]; kwargs: Record<string, unknown>; error: string }

/** The same values as `t` in a non-contiguous layout: offset 1, dims in reverse order, every stride doubled. */
export function scramble(t: Tensor): Tensor {
  if (t.numel() <= 1) return t;
  const n = t.ndim;
  const strides = new Array<number>(n);
  let s = 2;
  for (let d = 0; d < n; d++) {
    strides[d] = s;
    s *= Math.max(t.shape[d]!, 1);
  }
  const base = Tensor.empty([s + 1], t.dtype);
  const v = new Tensor(base.storage.retain(), [...t.shape], strides, 1);
  base.dispose();
  copyInto(v, t);
  return v;
}

function mapTensors(v: unknown, f: (t: Tensor) => Tensor): unknown {
  if (v instanceof Tensor) return f(v);
  if (Array.isArray(v)) return v.map((e) => mapTensors(e, f));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, mapTensors(e, f)]));
  }
  return v;
}

function call(op: string, input: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const isF = op.startsWith('nn.functional.');
  const name = isF ? op.slice('nn.functional.'.length) : op;
  const entry = pythonIndex().get(name);
  const all = [input, ...args, ...(Object.keys(kwargs).length ? [kwargs] : [])];
  if (entry?.variants.has(isF ? 'F' : 'function')) return callFunction(name, all, isF ? 'F' : 'function');
  if (entry?.variants.has('method') && input instanceof Tensor) return callMethod(name, input, all.slice(1));
  throw new Error(`${op} is not supported`);
}

/** Runs every sample of an OpInfo-layout file; returns the failures (empty when all pass). */
export function runSamples(path: string, opts: { scramble?: boolean; rtol?: number; atol?: number } = {}): string[] {
  const d = JSON.parse(readFileSync(path, 'utf8')) as { op: string; samples: Sample[] };
  const failures: string[] = [];
  d.samples.forEach((s, i) => {
    try {
      tidy(() => {
        let input = decode(s.input), args = decode(s.args) as unknown[], kwargs = decode(s.kwargs) as Record<string, unknown>;
        if (opts.scramble) {
          input = mapTensors(input, scramble);
          args = mapTensors(args, scramble) as unknown[];
          kwargs = mapTensors(kwargs, scramble) as Record<string, unknown>;
        }
        const got = call(d.op, input, args, kwargs);
        const why = compare(got, decode(s.output), opts.rtol ?? 1e-5, opts.atol ?? 1e-6);
        if (why) throw new Error(why);
      });
    } catch (e) {
      failures.push(`${d.op} #${i} [${s.dtype}]: ${(e as Error).message.split('\n')[0]!.slice(0, 240)}`);
    }
  });
  return failures;
}

/** Every call in errors.json must throw an error whose message contains PyTorch's. */
export function expectErrors(path: string): number {
  const errs = JSON.parse(readFileSync(path, 'utf8')) as ErrorCase[];
  for (const e of errs) {
    tidy(() => {
      const run = (): unknown => call(e.op, decode(e.input), decode(e.args) as unknown[], decode(e.kwargs) as Record<string, unknown>);
      expect(run, `${e.op} ${JSON.stringify(e.args).slice(0, 120)} ${JSON.stringify(e.kwargs)}`).toThrow(e.error);
    });
  }
  return errs.length;
}
