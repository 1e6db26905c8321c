import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callOp, getRegistry, runOverload, tensor, wrapScalar, Tensor, type Args } from '../src/index.js';
import type { SchemaType } from '../src/schema.js';
import { printDouble } from '../src/ops/scalar/util.js';

/** Cases computed by PyTorch 1.13 (test-models/scalar-ops/gen.py). */
interface Case {
  key: string;
  args: unknown[];
  result?: unknown;
  error?: string;
  ret?: 'arg0' | 'op+arg0';
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test-models/scalar-ops/cases.json', import.meta.url)), 'utf8')) as { cases: Case[] };

/** stands in for the interpreter's tuple class: an Array subclass */
class Tup extends Array<unknown> {}

function decodeFloat(x: number | string): number {
  return x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x);
}
function isBase(t: SchemaType | undefined, ...names: string[]): boolean {
  const u = t?.kind === 'optional' ? t.elem : t;
  return u?.kind === 'base' && names.includes(u.name);
}
/** JSON -> op argument; floats become wrapped float64 scalars where the schema type cannot carry float-ness */
function decode(v: unknown, t: SchemaType | undefined): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((e) => decode(e, t?.kind === 'list' ? t.elem : undefined));
  const o = v as Record<string, unknown>;
  if ('float' in o) {
    const x = decodeFloat(o.float as number | string);
    return t === undefined || isBase(t, 'Scalar', 'number', 'Any') ? wrapScalar(x, 'float64') : x;
  }
  if ('tuple' in o) {
    const r = new Tup();
    for (const e of o.tuple as unknown[]) r.push(decode(e, undefined));
    return r;
  }
  if ('dict' in o) return new Map((o.dict as [unknown, unknown][]).map(([k, x]) => [decode(k, undefined), decode(x, undefined)]));
  throw new Error(`bad fixture value ${JSON.stringify(v)}`);
}

function expectValue(got: unknown, want: unknown, where: string): void {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    const o = want as Record<string, unknown>;
    if ('float' in o) {
      const w = decodeFloat(o.float as number | string);
      expect(typeof got, `${where}: type`).toBe('number');
      if (Number.isNaN(w)) expect(Number.isNaN(got as number), where).toBe(true);
      else if (!Number.isFinite(w) || w === 0) expect(got, where).toBe(w);
      else expect(Math.abs((got as number) - w) <= 1e-15 * Math.abs(w), `${where}: got ${String(got)}, want ${w}`).toBe(true);
      return;
    }
    if ('tuple' in o) return expectValue(got, o.tuple, where);
    if ('dict' in o) {
      expect(got, where).toBeInstanceOf(Map);
      const entries = [...(got as Map<unknown, unknown>)];
      const wantEntries = o.dict as [unknown, unknown][];
      expect(entries.length, where).toBe(wantEntries.length);
      wantEntries.forEach(([k, x], i) => {
        expectValue(entries[i]![0], k, `${where} key ${i}`);
        expectValue(entries[i]![1], x, `${where} value ${i}`);
      });
      return;
    }
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got), `${where}: expected a list, got ${String(got)}`).toBe(true);
    expect((got as unknown[]).length, where).toBe(want.length);
    want.forEach((w, i) => expectValue((got as unknown[])[i], w, `${where}[${i}]`));
    return;
  }
  if (typeof want === 'number') {
    expect(got, where).toBe(want);
    expect(Object.is(got, -0), `${where}: an int result must not be -0`).toBe(false);
    return;
  }
  expect(got, where).toEqual(want);
}

function run(c: Case): { result: unknown; args: Args } {
  const reg = getRegistry();
  const ov = reg.overload(c.key);
  if (!ov) throw new Error(`no overload ${c.key}`);
  const args: Args = {};
  const params = ov.schema.args;
  c.args.forEach((v, i) => {
    if (i < params.length) args[params[i]!.name] = decode(v, params[i]!.type);
    else ((args['...'] ??= []) as unknown[]).push(decode(v, undefined));
  });
  for (const p of params) {
    if (p.name in args) continue;
    args[p.name] = p.hasDefault ? p.default : null;
  }
  return { result: runOverload(ov, args), args };
}

describe('TorchScript builtin scalar/list/dict/str ops against PyTorch 1.13 (test-models/scalar-ops/cases.json)', () => {
  const byKey = new Map<string, Case[]>();
  for (const c of fixture.cases) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
  for (const [key, cases] of byKey) {
    it(key, () => {
      for (const c of cases) {
        const where = `${c.key}(${JSON.stringify(c.args)})`;
        if (c.error !== undefined) {
          expect(() => run(c), where).toThrow();
          continue;
        }
        const { result, args } = run(c);
        const arg0 = args[getRegistry().overload(c.key)!.schema.args[0]!.name];
        const got = c.ret === 'arg0' ? arg0 : c.ret === 'op+arg0' ? [result, arg0] : result;
        expectValue(got, c.result, where);
      }
    });
  }

  it('mirrors PyTorch error messages for the common failures', () => {
    const err = (key: string): string => {
      try {
        run(fixture.cases.find((c) => c.key === key && c.error !== undefined)!);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(err('aten::__getitem__.t')).toContain('list index out of range');
    expect(err('aten::pop.t')).toContain('pop from empty list');
    expect(err('aten::__getitem__.Dict_str')).toContain('KeyError: b');
    expect(err('aten::index.list_int')).toContain("'9' is not in list");
    expect(err('prim::min.self_int')).toContain('min() arg is an empty sequence');
    expect(err('aten::floordiv.int')).toContain('division by 0');
  });
});

describe('scalar ops through callOp', () => {
  it('resolves TorchScript builtins by JS value shapes', () => {
    expect(callOp('aten::add', [2, 3])).toBe(5);
    expect(callOp('aten::add', ['a', 'b'])).toBe('ab');
    expect(callOp('aten::add', [[1], [2]])).toEqual([1, 2]);
    expect(callOp('aten::div', [7, 2])).toBe(3.5);
    expect(callOp('aten::floordiv', [-7, 2])).toBe(-4);
    expect(callOp('aten::remainder', [-7, 3])).toBe(2);
    expect(callOp('aten::eq', ['cpu', 'cpu'])).toBe(true);
    expect(callOp('aten::len', [[1, 2, 3]])).toBe(3);
    expect(callOp('aten::len', ['héllo'])).toBe(5);
    expect(callOp('prim::min', [[4, 2, 9]])).toBe(2);
    expect(callOp('prim::max', [3, 8])).toBe(8);
    expect(callOp('aten::__getitem__', [new Map([['a', 1]]), 'a'])).toBe(1);
    expect(callOp('aten::__contains__', [new Map([['a', 1]]), 'a'])).toBe(true);
    expect(callOp('aten::split', ['a,b', ','])).toEqual(['a', 'b']);
    expect(callOp('aten::join', ['-', ['a', 'b']])).toBe('a-b');
    expect(callOp('aten::__is__', [null, null])).toBe(true);
    expect(callOp('aten::__isnot__', [1, null])).toBe(true);
    expect(callOp('aten::__range_length', [0, 10, 2])).toBe(5);
  });

  it('mutates lists and dicts in place when run on bound arguments (as the IR interpreter does)', () => {
    // callOp converts list arguments (a copy); runOverload passes them through, preserving aliasing
    const reg = getRegistry();
    const l = [1, 2];
    expect(runOverload(reg.overload('aten::append.t')!, { self: l, el: 3 })).toBe(l);
    expect(l).toEqual([1, 2, 3]);
    runOverload(reg.overload('aten::_set_item.t')!, { l, idx: 0, el: 7 });
    expect(l).toEqual([7, 2, 3]);
    const d = new Map<string, number>();
    callOp('aten::_set_item', [d, 'k', 1]);
    expect([...d]).toEqual([['k', 1]]);
    expect(callOp('aten::keys', [d])).toEqual(['k']);
  });

  it('reads tensor metadata', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(callOp('aten::size', [t])).toEqual([2, 3]);
    expect(callOp('aten::size', [t, -1])).toBe(3);
    expect(callOp('aten::dim', [t])).toBe(2);
    expect(callOp('aten::numel', [t])).toBe(6);
    expect(callOp('aten::len', [t])).toBe(2);
    expect(callOp('prim::dtype', [t])).toBe(4); // int64
    expect(callOp('prim::dtype', [tensor([1.5])])).toBe(6); // float32
    expect(callOp('prim::device', [t])).toBe('cpu');
    expect(callOp('prim::is_cuda', [t])).toBe(false);
    expect(() => callOp('aten::len', [tensor(3)])).toThrow(/0-d/);
  });

  it('converts between tensors and numbers', () => {
    expect(callOp('aten::Int', [tensor([2.7])])).toBe(2);
    expect(callOp('aten::Float', [tensor([3], { dtype: 'int64' })])).toBe(3);
    expect(callOp('aten::Bool', [tensor([0])])).toBe(false);
    expect(() => callOp('aten::Bool', [tensor([1, 2])])).toThrow(/ambiguous/);
    expect(callOp('aten::item', [tensor([[5]])])).toBe(5);
    const a = callOp('prim::NumToTensor', [3]) as Tensor;
    expect([a.dtype, a.ndim, a.item()]).toEqual(['int64', 0, 3]);
    const b = runOverload(getRegistry().overload('prim::NumToTensor.Scalar')!, { a: wrapScalar(2, 'float64') }) as Tensor;
    expect([b.dtype, b.item()]).toEqual(['float64', 2]);
    expect(b.isWrappedNumber).toBe(false);
    const c = callOp('prim::NumToTensor', [true]) as Tensor;
    expect(c.dtype).toBe('bool');
  });

  it('prints floats like c10 printDouble (%.17g with a trailing point)', () => {
    expect(printDouble(1)).toBe('1.');
    expect(printDouble(0.1)).toBe('0.10000000000000001');
    expect(printDouble(1e20)).toBe('1e+20');
    expect(printDouble(1e16)).toBe('10000000000000000.');
    expect(printDouble(1e-5)).toBe('1.0000000000000001e-05');
    expect(printDouble(-Infinity)).toBe('-inf');
  });

  it('keeps the scalar ops out of the eager API', async () => {
    const { pythonIndex } = await import('../src/api.js');
    const idx = pythonIndex();
    // torch.add stays the tensor op; the builtins are reachable only through callOp
    expect(idx.get('add')!.overloads.every((o) => o.schema.args[0]!.type.kind === 'base' && (o.schema.args[0]!.type as { name: string }).name === 'Tensor')).toBe(true);
    expect(idx.has('__range_length')).toBe(false);
  });
});
