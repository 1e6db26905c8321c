/**
 * Static overload resolution: picks the registry overload of a builtin call from the static IR
 * types of its arguments, like TorchScript's `matchSchema` (torch/csrc/jit/frontend/schema_matching.cpp).
 * Front ends call `matchOverload` at compile time and store `overload` on the node; the
 * interpreter then runs the overload without re-resolving.
 *
 * Schema types are re-read from the schema text here so that type variables (`t`, `t1`,
 * `tVal`), `Dict(K, V)` and `Future(T)` keep their structure: `aten::__getitem__.t(t[] list,
 * int idx) -> t` applied to an `int[]` returns `int`.
 */
import { getRegistry, type Overload, type Registry, type SchemaArg } from '@torchlet/core';
import {
  AnyType, BoolType, ComplexType, DeviceType, DictOf, FloatType, FutureOf, GeneratorType, IntType, LayoutType, ListOf,
  MemoryFormatType, NoneType, NumberType, OptionalOf, ScalarTypeType, StorageType, StrType, StreamType, TensorType, TupleOf,
  UnionOf, isSubtype, typeToString, type IRType,
} from './types.js';

/** A schema-level type: an IR type with type variables. */
export type SType =
  | { k: 'ir'; t: IRType }
  | { k: 'var'; name: string }
  | { k: 'list'; elem: SType; size?: number }
  | { k: 'opt'; elem: SType }
  | { k: 'tuple'; elems: SType[] }
  | { k: 'dict'; key: SType; value: SType }
  | { k: 'future'; elem: SType }
  | { k: 'union'; types: SType[] };

const BASE: Record<string, IRType> = {
  Tensor: TensorType, int: IntType, SymInt: IntType, float: FloatType, SymFloat: FloatType, bool: BoolType, SymBool: BoolType,
  str: StrType, complex: ComplexType, Scalar: NumberType, number: NumberType, ScalarType: ScalarTypeType, Layout: LayoutType,
  MemoryFormat: MemoryFormatType, Device: DeviceType, Generator: GeneratorType, Storage: StorageType, Stream: StreamType,
  Any: AnyType, NoneType, QScheme: IntType, Dimname: StrType, AnyEnumType: AnyType, AnyClassType: AnyType,
};

/** Parses one schema type text (`Tensor(a!)[]`, `Dict(str, t)`, `(str, t)[]`, `int[2]?`). */
export function parseSType(text: string): SType {
  let pos = 0;
  const ws = (): void => {
    while (text[pos] === ' ') pos++;
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!m) throw new Error(`bad schema type '${text}' at ${pos}`);
    pos += m[0].length;
    return m[0];
  };
  const skipAlias = (): void => {
    ws();
    if (text[pos] === '(') {
      const end = text.indexOf(')', pos);
      pos = end + 1;
    }
  };
  const one = (): SType => {
    ws();
    let t: SType;
    if (text[pos] === '(') {
      pos++;
      const elems: SType[] = [];
      ws();
      if (text[pos] !== ')') {
        for (;;) {
          elems.push(one());
          ws();
          if (text[pos] === ',') pos++;
          else break;
        }
      }
      ws();
      pos++; // ')'
      t = { k: 'tuple', elems };
    } else {
      const id = ident();
      ws();
      if ((id === 'Dict' || id === 'List' || id === 'Optional' || id === 'Tuple' || id === 'Future' || id === 'Union') && text[pos] === '(') {
        pos++;
        const args: SType[] = [];
        for (;;) {
          args.push(one());
          ws();
          if (text[pos] === ',') pos++;
          else break;
        }
        pos++; // ')'
        if (id === 'Dict') t = { k: 'dict', key: args[0]!, value: args[1]! };
        else if (id === 'List') t = { k: 'list', elem: args[0]! };
        else if (id === 'Optional') t = { k: 'opt', elem: args[0]! };
        else if (id === 'Tuple') t = { k: 'tuple', elems: args };
        else if (id === 'Future') t = { k: 'future', elem: args[0]! };
        else t = { k: 'union', types: args };
      } else {
        const b = BASE[id];
        t = b ? { k: 'ir', t: b } : { k: 'var', name: id };
      }
      skipAlias();
    }
    for (;;) {
      ws();
      if (text[pos] === '[') {
        const end = text.indexOf(']', pos);
        const size = text.slice(pos + 1, end).trim();
        pos = end + 1;
        t = size ? { k: 'list', elem: t, size: Number(size) } : { k: 'list', elem: t };
        skipAlias();
      } else if (text[pos] === '?') {
        pos++;
        t = { k: 'opt', elem: t };
      } else break;
    }
    return t;
  };
  const r = one();
  return r;
}

/** Splits `a, b(c, d), e` at top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0, quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (s.slice(start).trim()) out.push(s.slice(start));
  return out.map((x) => x.trim());
}

export interface STypedSchema {
  args: SType[];
  returns: SType[];
}

const cache = new WeakMap<Overload, STypedSchema>();

/** Schema argument and return types with type variables, for one overload. */
export function schemaTypes(ov: Overload): STypedSchema {
  let r = cache.get(ov);
  if (r) return r;
  const text = ov.schema.text;
  const open = text.indexOf('(');
  let depth = 0, close = -1;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const argText = splitTop(text.slice(open + 1, close)).filter((a) => a !== '*' && a !== '...');
  const args = argText.map((a) => {
    const noDefault = a.includes('=') ? a.slice(0, indexOfTopLevel(a, '=')) : a;
    const name = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(noDefault.trim())![1]!;
    return parseSType(noDefault.trim().slice(0, noDefault.trim().length - name.length));
  });
  let ret = text.slice(text.indexOf('->', close) + 2).trim();
  let returns: SType[];
  if (ret === '...') returns = [];
  else if (ret.startsWith('(') && matchingParen(ret, 0) === ret.length - 1) {
    ret = ret.slice(1, -1);
    returns = splitTop(ret).filter((x) => x !== '...').map((x) => parseSType(stripName(x)));
  } else returns = [parseSType(stripName(ret))];
  r = { args, returns };
  cache.set(ov, r);
  return r;
}

function indexOfTopLevel(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(' || s[i] === '[') depth++;
    else if (s[i] === ')' || s[i] === ']') depth--;
    else if (s[i] === ch && depth === 0) return i;
  }
  return -1;
}
function matchingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
/** `Tensor values` -> `Tensor` (named returns) */
function stripName(x: string): string {
  const m = /^(.*[\])?A-Za-z0-9_])\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(x.trim());
  return m ? m[1]! : x.trim();
}

type Bindings = Map<string, IRType>;

/** Does a value of static type `a` fit schema type `s` (binding type variables)? */
function fits(a: IRType, s: SType, b: Bindings, conversions: boolean): boolean {
  if (a.kind === 'Any' && conversions) return true;
  switch (s.k) {
    case 'var': {
      const bound = b.get(s.name);
      if (!bound) {
        b.set(s.name, a);
        return true;
      }
      if (isSubtype(a, bound)) return true;
      if (isSubtype(bound, a)) {
        b.set(s.name, a);
        return true;
      }
      return false;
    }
    case 'ir': {
      const t = s.t;
      if (isSubtype(a, t)) return true;
      if (!conversions) return false;
      // implicit conversions TorchScript applies in its second matching pass
      if (t.kind === 'Tensor') return a.kind === 'int' || a.kind === 'float' || a.kind === 'bool' || a.kind === 'number';
      if (t.kind === 'float') return a.kind === 'int';
      if (t.kind === 'Device') return a.kind === 'str';
      if (t.kind === 'number') return a.kind === 'Tensor';
      if (t.kind === 'int' || t.kind === 'ScalarType') return a.kind === 'Tensor';
      return false;
    }
    case 'opt':
      if (a.kind === 'NoneType') return true;
      if (a.kind === 'Optional') return fits(a.elem, s.elem, b, conversions);
      return fits(a, s.elem, b, conversions);
    case 'list':
      if (a.kind === 'List') return fitsInvariant(a.elem, s.elem, b, conversions);
      if (conversions && a.kind === 'Tuple') return a.elems.every((e) => fits(e, s.elem, b, conversions));
      if (conversions && s.size !== undefined && a.kind === 'int' && s.elem.k === 'ir' && s.elem.t.kind === 'int') return true;
      return false;
    case 'tuple':
      return a.kind === 'Tuple' && a.elems.length === s.elems.length && a.elems.every((e, i) => fits(e, s.elems[i]!, b, conversions));
    case 'dict':
      return a.kind === 'Dict' && fitsInvariant(a.key, s.key, b, conversions) && fitsInvariant(a.value, s.value, b, conversions);
    case 'future':
      return a.kind === 'Future' && fits(a.elem, s.elem, b, conversions);
    case 'union':
      return s.types.some((t) => fits(a, t, new Map(b), conversions)) && s.types.some((t) => fits(a, t, b, conversions));
    default:
      return false;
  }
}

/** List/Dict element types: exact (invariant), except `Any` and the Optional[T] <- T relaxation in the second pass. */
function fitsInvariant(a: IRType, s: SType, b: Bindings, conversions: boolean): boolean {
  if (s.k === 'var' || (s.k === 'ir' && s.t.kind === 'Any')) return fits(a, s, b, conversions);
  if (s.k === 'ir') return isSubtype(a, s.t) && isSubtype(s.t, a) || (conversions && isSubtype(a, s.t));
  return fits(a, s, b, conversions);
}

/** An IR type for a schema type under bindings (unbound variables become Any). */
export function instantiate(s: SType, b: Bindings): IRType {
  switch (s.k) {
    case 'ir': return s.t;
    case 'var': return b.get(s.name) ?? AnyType;
    case 'list': return ListOf(instantiate(s.elem, b));
    case 'opt': return OptionalOf(instantiate(s.elem, b));
    case 'tuple': return TupleOf(s.elems.map((e) => instantiate(e, b)));
    case 'dict': return DictOf(instantiate(s.key, b), instantiate(s.value, b));
    case 'future': return FutureOf(instantiate(s.elem, b));
    case 'union': return UnionOf(s.types.map((e) => instantiate(e, b)));
    default: return AnyType;
  }
}

/** Where each schema argument's value comes from. */
export type ArgSource =
  | { from: 'positional'; index: number }
  | { from: 'keyword'; name: string }
  | { from: 'default'; value: unknown; type: IRType };

export interface OverloadMatch {
  overload: Overload;
  /** the registry key to store on the node */
  key: string;
  /** one entry per schema argument, in schema order: build the node's inputs from these */
  args: ArgSource[];
  /** positional arguments beyond the schema's (for `...` varargs schemas) */
  varargs: number[];
  /** static types of the results */
  returnTypes: IRType[];
}

export class OverloadMatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverloadMatchError';
  }
}

/** The IR type and value of a schema default (`int[2] stride=1` -> [1, 1]). */
export function schemaDefault(arg: SchemaArg, st: SType): { value: unknown; type: IRType } {
  let v: unknown = arg.default ?? null;
  const t = instantiate(st, new Map());
  const inner = st.k === 'opt' ? st.elem : st;
  if (v !== null && inner.k === 'list' && !Array.isArray(v)) v = new Array(inner.size ?? 1).fill(v);
  if (v !== null && inner.k === 'list' && Array.isArray(v) && inner.size && v.length === 1) v = new Array(inner.size).fill(v[0]);
  if (typeof v === 'string' && inner.k === 'ir' && (inner.t.kind === 'ScalarType' || inner.t.kind === 'Layout' || inner.t.kind === 'MemoryFormat')) {
    v = ENUM_DEFAULTS[v] ?? v;
  }
  if (v === null) return { value: null, type: NoneType };
  // a float default like 1e-05 is a float even when it looks integral (`float eps=1`), by the schema type
  return { value: v, type: t.kind === 'Optional' ? t.elem : t };
}
const ENUM_DEFAULTS: Record<string, number> = { contiguous_format: 0, preserve_format: 1, channels_last: 2, channels_last_3d: 3, strided: 0, long: 4, float: 6, int: 3 };

/**
 * Chooses the overload of `qualifiedName` for arguments of the given static types, in two
 * passes like TorchScript (exact types first, then implicit conversions), in registry order.
 */
export function matchOverload(
  qualifiedName: string,
  positional: readonly IRType[],
  keywords: Readonly<Record<string, IRType>> = {},
  reg: Registry = getRegistry(),
): OverloadMatch {
  const candidates = reg.overloads(qualifiedName);
  if (!candidates) throw new OverloadMatchError(`unknown builtin '${qualifiedName}': it is not in torchlet's op registry`);
  for (const conversions of [false, true]) {
    for (const ov of candidates) {
      const m = tryMatch(ov, positional, keywords, conversions);
      if (m) return m;
    }
  }
  const got = [...positional.map(typeToString), ...Object.entries(keywords).map(([k, t]) => `${k}=${typeToString(t)}`)].join(', ');
  throw new OverloadMatchError(`${qualifiedName}: no overload accepts (${got}); candidates:\n${candidates.map((c) => `  ${c.schema.text}`).join('\n')}`);
}

function tryMatch(ov: Overload, positional: readonly IRType[], keywords: Readonly<Record<string, IRType>>, conversions: boolean, allPositional = false): OverloadMatch | undefined {
  const s = ov.schema;
  const st = schemaTypes(ov);
  const b: Bindings = new Map();
  const args: ArgSource[] = [];
  const posParams = s.args.map((a, i) => ({ a, i })).filter(({ a }) => allPositional || !a.kwargOnly);
  if (positional.length > posParams.length && !s.varargs) return undefined;
  const used = new Set<string>();
  for (let i = 0; i < s.args.length; i++) {
    const a = s.args[i]!;
    const pi = posParams.findIndex((p) => p.i === i);
    if (pi >= 0 && pi < positional.length) {
      if (a.name in keywords) return undefined;
      if (!fits(positional[pi]!, st.args[i]!, b, conversions)) return undefined;
      args.push({ from: 'positional', index: pi });
    } else if (a.name in keywords) {
      if (!fits(keywords[a.name]!, st.args[i]!, b, conversions)) return undefined;
      used.add(a.name);
      args.push({ from: 'keyword', name: a.name });
    } else if (a.hasDefault) {
      args.push({ from: 'default', ...schemaDefault(a, st.args[i]!) });
    } else if (a.type.kind === 'optional') {
      args.push({ from: 'default', value: null, type: NoneType });
    } else return undefined;
  }
  for (const k of Object.keys(keywords)) if (!used.has(k)) return undefined;
  const varargs: number[] = [];
  for (let i = posParams.length; i < positional.length; i++) varargs.push(i);
  return { overload: ov, key: ov.key, args, varargs, returnTypes: st.returns.map((r) => instantiate(r, b)) };
}

/** Result types of an overload for given argument types (bindings from the arguments). */
export function returnTypesFor(ov: Overload, argTypes: readonly IRType[]): IRType[] {
  const st = schemaTypes(ov);
  const b: Bindings = new Map();
  argTypes.forEach((t, i) => st.args[i] && fits(t, st.args[i]!, b, true));
  return st.returns.map((r) => instantiate(r, b));
}

/**
 * Resolves the overload of an IR node whose inputs follow the node convention (input i is
 * schema argument i, kwarg-only arguments included; missing trailing arguments take defaults;
 * extra inputs are varargs). Used by the interpreter for nodes without an `overload` key.
 */
export function matchNodeOverload(kind: string, inputTypes: readonly IRType[], reg: Registry = getRegistry()): OverloadMatch {
  const candidates = reg.overloads(kind);
  if (!candidates) throw new OverloadMatchError(`unknown op '${kind}': it is not in torchlet's op registry`);
  for (const conversions of [false, true]) {
    for (const ov of candidates) {
      const m = tryMatch(ov, inputTypes, {}, conversions, true);
      if (m) return m;
    }
  }
  throw new OverloadMatchError(`${kind}: no overload accepts (${inputTypes.map(typeToString).join(', ')}); candidates:\n${candidates.map((c) => `  ${c.schema.text}`).join('\n')}`);
}

/** True when schema argument i may be stored into a container (`t(b -> *) el`): its value escapes. */
export function argEscapes(ov: Overload): boolean[] {
  let r = escapeCache.get(ov);
  if (!r) {
    const text = ov.schema.text;
    const open = text.indexOf('(');
    const inner = text.slice(open + 1, matchingParen(text, open));
    r = splitTop(inner).filter((a) => a !== '*' && a !== '...').map((a) => /->\s*\*/.test(a));
    escapeCache.set(ov, r);
  }
  return r;
}
const escapeCache = new WeakMap<Overload, boolean[]>();

/** True when schema argument i carries an alias annotation (`Tensor(a)`, `t[](a!)`): the op may return or mutate it. */
export function argAliases(ov: Overload): boolean[] {
  let r = aliasCache.get(ov);
  if (!r) {
    const text = ov.schema.text;
    const open = text.indexOf('(');
    const inner = text.slice(open + 1, matchingParen(text, open));
    r = splitTop(inner).filter((a) => a !== '*' && a !== '...').map((a) => a.trim().split(/\s+/)[0]!.includes('('));
    aliasCache.set(ov, r);
  }
  return r;
}
const aliasCache = new WeakMap<Overload, boolean[]>();
