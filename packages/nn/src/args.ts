import type { DType, DeviceType } from '@torchlet/core';

/** Every prefix of a tuple: [a, b] -> [] | [a] | [a, b]. */
type Prefixes<T extends readonly unknown[]> = T extends readonly [...infer H, unknown] ? T | Prefixes<H> : [];

/**
 * Python-style constructor arguments: the required positionals, any prefix of the optional
 * positionals, then optionally a trailing plain object of keyword arguments (snake_case, as in
 * PyTorch): `new nn.Conv2d(3, 8, 3, 1, 1)` or `new nn.Conv2d(3, 8, 3, {padding: 1})`.
 */
export type PyArgs<Req extends unknown[], Opt extends unknown[], K> = [...Req, ...Prefixes<Opt>] | [...Req, ...Prefixes<Opt>, K];

/** factory_kwargs of every module with parameters. */
export interface FactoryKwargs {
  device?: DeviceType | null;
  dtype?: DType | null;
}

/** `[name]` is required, `[name, default]` optional. */
export type ArgSpec = readonly (readonly [string] | readonly [string, unknown])[];

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** Binds positional and keyword constructor arguments like Python does; errors use Python's wording. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function bindArgs(cls: string, args: readonly unknown[], spec: ArgSpec): Record<string, any> {
  let pos = args;
  let kw: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (args.length > 0 && isPlainObject(last)) {
    pos = args.slice(0, -1);
    kw = last;
  }
  if (pos.length > spec.length) throw new TypeError(`${cls}.__init__() takes ${spec.length} positional arguments but ${pos.length} were given`);
  const out: Record<string, unknown> = {};
  spec.forEach((s, i) => {
    if (i < pos.length && pos[i] !== undefined) out[s[0]] = pos[i];
  });
  for (const [k, v] of Object.entries(kw)) {
    if (!spec.some((s) => s[0] === k)) throw new TypeError(`${cls}.__init__() got an unexpected keyword argument '${k}'`);
    if (k in out) throw new TypeError(`${cls}.__init__() got multiple values for argument '${k}'`);
    if (v !== undefined) out[k] = v;
  }
  for (const s of spec) {
    if (s[0] in out) continue;
    if (s.length === 1) throw new TypeError(`${cls}.__init__() missing required argument: '${s[0]}'`);
    out[s[0]] = s[1];
  }
  return out;
}

/** An int or tuple argument as a tuple of length n (`_pair`, `_single`). */
export function ntuple(v: number | readonly number[], n: number, what = 'argument'): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (!Array.isArray(v)) throw new TypeError(`${what} must be an int or a tuple of ${n} ints, got ${String(v)}`);
  if (v.length === 1 && n > 1) return new Array<number>(n).fill(v[0]!);
  if (v.length !== n) throw new RangeError(`${what} must have ${n} elements, got [${v.join(', ')}]`);
  return [...v];
}
