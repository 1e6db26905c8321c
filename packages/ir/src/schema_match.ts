/**
 * Static overload resolution: the one matcher that picks the registry overload of a builtin call
 * from the static IR types of its arguments, like TorchScript's `matchSchema`
 * (torch/csrc/jit/frontend/schema_matching.cpp). The TorchScript compiler, the interpreter (nodes
 * without an `overload` key), the tracer and every other front end resolve overloads here and
 * store the chosen key as `node.overload`; the interpreter then runs it without re-resolving.
 *
 * - Each overload is tried first without implicit conversions, then with them (int -> float,
 *   number -> Tensor, Tensor -> int/float/bool/Scalar, str -> Device, a single int -> int[N],
 *   tuples -> lists); among the overloads that match in a pass the most specific one (most
 *   arguments of exactly the parameter's type) wins, ties going to registry order.
 * - List/dict displays (`[1, 2]`, `{}`, `None`) given as `MatchArg.literal` are retyped to the
 *   parameter's element type when their elements fit (`[1, 2]` as a `float[]`).
 * - Schema types are read from the schema text (`schemaOf`) so that type variables (`t`, `t1`,
 *   `tVal`), `Dict(K, V)` and `Future(T)` keep their structure: `aten::__getitem__.t(t[] list,
 *   int idx) -> t` applied to an `int[]` returns `int`. Argument names, kinds and defaults come
 *   from the registry's parsed schema (`@torchlet/core` parseSchema).
 */
import { getRegistry, type Overload, type Registry } from '@torchlet/core';
import {
  AnyType, BoolType, ComplexType, DeviceType, DictOf, FloatType, FutureOf, GeneratorType, IntType, LayoutType, ListOf,
  MemoryFormatType, NoneType, NumberType, OptionalOf, ScalarTypeType, StorageType, StrType, StreamType, TensorType, TupleOf,
  UnionOf, isSubtype, typeToString, typesEqual, unifyTypes, type IRType,
} from './types.js';

// ---------------------------------------------------------------------------------------- schema types

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

/** A schema argument with its static type. */
export interface SArg {
  name: string;
  type: SType;
  kwargOnly: boolean;
  hasDefault: boolean;
  /** the default as the schema writes it (see `schemaDefault` for its IR value) */
  default: unknown;
  /** written in place (`Tensor(a!)`) */
  mutates: boolean;
}

/** A registry overload's schema with static types. */
export interface SSchema {
  key: string;
  args: SArg[];
  returns: SType[];
  returnsTuple: boolean;
  varargs: boolean;
}

const BASE: Record<string, IRType> = {
  Tensor: TensorType, int: IntType, SymInt: IntType, float: FloatType, SymFloat: FloatType, bool: BoolType, SymBool: BoolType,
  str: StrType, complex: ComplexType, Scalar: NumberType, number: NumberType, ScalarType: ScalarTypeType, Layout: LayoutType,
  MemoryFormat: MemoryFormatType, Device: DeviceType, Generator: GeneratorType, Storage: StorageType, Stream: StreamType,
  Any: AnyType, NoneType, QScheme: IntType, Dimname: StrType, AnyEnumType: AnyType, AnyClassType: AnyType,
  AnyTupleType: AnyType, AnyListType: AnyType, Capsule: AnyType, ConstQuantizerPtr: AnyType,
};
/** type variables as PyTorch's schemas name them: t, t1, tVal, K, V, T */
const TYPE_VAR = /^(t[A-Za-z0-9]*|[A-Z]\d*)$/;

/** Parses one schema type text (`Tensor(a!)[]`, `Dict(str, t)`, `(str, t)[]`, `int[2]?`). */
export function parseSType(text: string): SType {
  let pos = 0;
  const ws = (): void => {
    while (text[pos] === ' ') pos++;
  };
  const fail = (): never => {
    throw new Error(`bad schema type '${text}' at ${pos}`);
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!m) fail();
    pos += m![0].length;
    return m![0];
  };
  /** an alias annotation right after a type: `(a)`, `(a!)`, `(a -> *)`, `(*)` */
  const skipAlias = (): void => {
    if (text[pos] === '(') pos = text.indexOf(')', pos) + 1;
  };
  const list = (close: string): SType[] => {
    const items: SType[] = [];
    ws();
    if (text[pos] !== close) {
      for (;;) {
        items.push(one());
        ws();
        if (text[pos] === ',') pos++;
        else break;
      }
    }
    ws();
    if (text[pos] !== close) fail();
    pos++;
    return items;
  };
  const one = (): SType => {
    ws();
    let t: SType;
    if (text[pos] === '(') {
      pos++;
      t = { k: 'tuple', elems: list(')') };
    } else {
      const id = ident();
      if ((id === 'Dict' || id === 'List' || id === 'Optional' || id === 'Tuple' || id === 'Future' || id === 'Await' || id === 'Union' || id === 'RRef') && text[pos] === '(') {
        pos++;
        const args = list(')');
        if (id === 'Dict') t = { k: 'dict', key: args[0]!, value: args[1]! };
        else if (id === 'List') t = { k: 'list', elem: args[0]! };
        else if (id === 'Optional') t = { k: 'opt', elem: args[0]! };
        else if (id === 'Tuple') t = { k: 'tuple', elems: args };
        else if (id === 'Future' || id === 'Await') t = { k: 'future', elem: args[0]! };
        else if (id === 'Union') t = { k: 'union', types: args };
        else t = { k: 'ir', t: AnyType };
      } else {
        const b = BASE[id];
        t = b ? { k: 'ir', t: b } : TYPE_VAR.test(id) ? { k: 'var', name: id } : { k: 'ir', t: AnyType };
        skipAlias();
      }
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
  return one();
}

/** Splits `a, b(c, d), e` at top-level commas (quotes respected). */
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

/** The argument texts of a schema (`Tensor(a!) self`, `int[2] stride=1`), without `*` and `...`. */
function argTexts(text: string): string[] {
  const open = text.indexOf('(');
  return splitTop(text.slice(open + 1, matchingParen(text, open))).filter((a) => a !== '*' && a !== '...');
}

const schemaCache = new WeakMap<Overload, SSchema>();

/** The schema of a registry overload with static types (type variables kept); cached. */
export function schemaOf(ov: Overload): SSchema {
  let s = schemaCache.get(ov);
  if (s) return s;
  const text = ov.schema.text;
  const types = argTexts(text).map((a) => {
    const noDefault = (a.includes('=') ? a.slice(0, indexOfTopLevel(a, '=')) : a).trim();
    const name = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(noDefault)![1]!;
    return parseSType(noDefault.slice(0, noDefault.length - name.length));
  });
  const core = ov.schema;
  if (core.args.length !== types.length) throw new Error(`schema '${text}': ${types.length} argument types for ${core.args.length} arguments`);
  let ret = text.slice(text.indexOf('->', matchingParen(text, text.indexOf('('))) + 2).trim();
  let returns: SType[];
  if (ret === '...') returns = [];
  else if (ret.startsWith('(') && matchingParen(ret, 0) === ret.length - 1) {
    ret = ret.slice(1, -1);
    returns = splitTop(ret).filter((x) => x !== '...').map((x) => parseSType(stripName(x)));
  } else returns = [parseSType(stripName(ret))];
  s = {
    key: ov.key,
    args: core.args.map((a, i) => ({
      name: a.name, type: types[i]!, kwargOnly: a.kwargOnly, hasDefault: a.hasDefault, default: a.default, mutates: a.alias?.write === true,
    })),
    returns,
    returnsTuple: core.returnsTuple,
    varargs: core.varargs,
  };
  schemaCache.set(ov, s);
  return s;
}

type Bindings = Map<string, IRType>;

/** An IR type for a schema type under bindings (unbound variables become Any). */
export function instantiate(s: SType, b: ReadonlyMap<string, IRType> = new Map()): IRType {
  switch (s.k) {
    case 'ir': return s.t;
    case 'var': return b.get(s.name) ?? AnyType;
    case 'list': return ListOf(instantiate(s.elem, b));
    case 'opt': return OptionalOf(instantiate(s.elem, b));
    case 'tuple': return TupleOf(s.elems.map((e) => instantiate(e, b)));
    case 'dict': return DictOf(instantiate(s.key, b), instantiate(s.value, b));
    case 'future': return FutureOf(instantiate(s.elem, b));
    case 'union': return UnionOf(s.types.map((e) => instantiate(e, b)));
  }
}

/** Schema text form of a schema type (`Scalar`, `t[]`, `int?`), for messages. */
export function stypeToString(t: SType): string {
  switch (t.k) {
    case 'ir': return t.t.kind === 'number' ? 'Scalar' : typeToString(t.t);
    case 'var': return t.name;
    case 'list': return `${stypeToString(t.elem)}[${t.size ?? ''}]`;
    case 'opt': return `${stypeToString(t.elem)}?`;
    case 'tuple': return `(${t.elems.map(stypeToString).join(', ')})`;
    case 'dict': return `Dict(${stypeToString(t.key)}, ${stypeToString(t.value)})`;
    case 'future': return `Future(${stypeToString(t.elem)})`;
    case 'union': return `Union(${t.types.map(stypeToString).join(', ')})`;
  }
}

/** Enum names schemas use as defaults, as the int codes TorchScript gives them. */
const ENUM_DEFAULTS: Record<string, number> = {
  contiguous_format: 0, preserve_format: 1, channels_last: 2, channels_last_3d: 3, strided: 0, long: 4, float: 6, int: 3, Mean: 1, Sum: 2,
};
const ENUM_KINDS = new Set(['int', 'ScalarType', 'Layout', 'MemoryFormat']);

/**
 * The IR value and type of a schema default: `int[2] stride=1` -> [1, 1], `ScalarType dtype=long`
 * -> 4, `int reduction=Mean` -> 1, `None` -> null (type NoneType). A float default that looks
 * integral (`float eps=1`) is still typed float (by the schema type).
 */
export function schemaDefault(arg: SArg, bindings: ReadonlyMap<string, IRType> = new Map()): { value: unknown; type: IRType } {
  let v: unknown = arg.default ?? null;
  const st = arg.type;
  const inner = st.k === 'opt' ? st.elem : st;
  if (v !== null && inner.k === 'list' && !Array.isArray(v)) v = new Array(inner.size ?? 1).fill(v);
  if (v !== null && inner.k === 'list' && Array.isArray(v) && inner.size && v.length === 1) v = new Array(inner.size).fill(v[0]);
  if (typeof v === 'string' && inner.k === 'ir' && ENUM_KINDS.has(inner.t.kind)) v = ENUM_DEFAULTS[v] ?? v;
  if (v === null) return { value: null, type: NoneType };
  const t = instantiate(st, bindings);
  return { value: v, type: t.kind === 'Optional' ? t.elem : t };
}

// ---------------------------------------------------------------------------------------- matching

/** An argument as the matcher sees it: its static type, and whether it is a fresh display that may be retyped. */
export interface MatchArg {
  type: IRType;
  /** a list/dict display: its element types may be widened to the parameter's */
  literal?: 'list' | 'dict';
  /** element types of a list display */
  elemTypes?: IRType[];
  /** the value is a compile-time constant */
  isConst?: boolean;
}

/** How an argument becomes a value of its parameter's type. */
export type Conversion =
  | { k: 'id' }
  /** a list/dict display retyped to the parameter's element type */
  | { k: 'retype'; type: IRType }
  /** an implicit conversion op (TorchScript's second matching pass) */
  | { k: 'op'; op: 'aten::Int' | 'aten::Float' | 'aten::Bool' | 'aten::ScalarImplicit' | 'prim::NumToTensor' | 'aten::device'; type: IRType }
  /** a single int for an int[N] parameter */
  | { k: 'broadcast'; size: number }
  /** a tuple for a list parameter */
  | { k: 'tupleToList'; type: IRType };

/** Where the value of one schema argument comes from. */
export interface ArgBinding {
  /** index into the positional args, a keyword name, or the schema default (IR value and type) */
  source: { pos: number } | { kw: string } | { default: unknown; type: IRType };
  conv: Conversion;
}

/** A matched overload. */
export interface SchemaMatch {
  overload: Overload;
  schema: SSchema;
  /** one binding per schema argument up to the last one given (trailing defaults omitted) */
  bindings: ArgBinding[];
  /** positional arguments beyond the schema's (for `...` varargs schemas) */
  varargs: number[];
  /** static types of the results (type variables bound by the arguments) */
  returnTypes: IRType[];
  /** how many arguments have exactly their parameter's type */
  score: number;
}

export interface MatchOptions {
  /** keyword-only parameters take positional arguments too (the IR node convention) */
  allPositional?: boolean;
}

function isNumberKind(t: IRType): boolean {
  return t.kind === 'int' || t.kind === 'float' || t.kind === 'bool' || t.kind === 'complex' || t.kind === 'number';
}
function isIntLike(t: IRType): boolean {
  return t.kind === 'int' || t.kind === 'ScalarType' || t.kind === 'Layout' || t.kind === 'MemoryFormat';
}

const ID: Conversion = { k: 'id' };

/** Matches a static type against a schema type, binding type variables. Returns the conversion or undefined. */
export function matchType(arg: MatchArg, p: SType, b: Bindings, allowConv: boolean): { conv: Conversion; exact: boolean } | undefined {
  const a = arg.type;
  // a value of unknown type (e.g. the result of an op missing from the registry) matches anything
  if (a.kind === 'Any' && !(p.k === 'ir' && p.t.kind === 'Any')) {
    if (p.k === 'var' && !b.has(p.name)) b.set(p.name, a);
    return { conv: ID, exact: false };
  }
  switch (p.k) {
    case 'var': {
      const bound = b.get(p.name);
      if (!bound) {
        b.set(p.name, a);
        return { conv: ID, exact: true };
      }
      if (typesEqual(bound, a)) return { conv: ID, exact: true };
      if (isSubtype(a, bound)) return { conv: ID, exact: false };
      const u = unifyTypes(bound, a);
      if (u && isSubtype(bound, u)) {
        b.set(p.name, u);
        return { conv: ID, exact: false };
      }
      return undefined;
    }
    case 'ir': {
      const t = p.t;
      if (t.kind === 'Any') return { conv: ID, exact: a.kind === 'Any' };
      if (typesEqual(a, t)) return { conv: ID, exact: true };
      switch (t.kind) {
        case 'Tensor':
          if (allowConv && isNumberKind(a) && a.kind !== 'complex') return { conv: { k: 'op', op: 'prim::NumToTensor', type: TensorType }, exact: false };
          return undefined;
        case 'int':
          if (isIntLike(a)) return { conv: ID, exact: false };
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::Int', type: IntType }, exact: false };
          return undefined;
        case 'float':
          if (allowConv && (a.kind === 'int' || a.kind === 'Tensor')) return { conv: { k: 'op', op: 'aten::Float', type: FloatType }, exact: false };
          return undefined;
        case 'number':
          if (isNumberKind(a)) return { conv: ID, exact: false };
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::ScalarImplicit', type: t }, exact: false };
          return undefined;
        case 'bool':
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::Bool', type: t }, exact: false };
          return undefined;
        case 'ScalarType': case 'Layout': case 'MemoryFormat':
          return a.kind === 'int' ? { conv: ID, exact: false } : undefined;
        case 'Device':
          if (allowConv && a.kind === 'str') return { conv: { k: 'op', op: 'aten::device', type: t }, exact: false };
          return undefined;
        case 'NoneType':
          return undefined;
        default:
          return isSubtype(a, t) ? { conv: ID, exact: false } : undefined;
      }
    }
    case 'opt': {
      if (a.kind === 'NoneType') return { conv: ID, exact: true };
      if (a.kind === 'Optional') {
        // Optional[X] only matches Optional[T] when X matches T without a conversion
        const inner = matchType({ type: a.elem }, p.elem, b, false);
        return inner && inner.conv.k === 'id' ? { conv: ID, exact: inner.exact } : undefined;
      }
      return matchType(arg, p.elem, b, allowConv);
    }
    case 'list': {
      if (a.kind === 'List') {
        const m = matchElem(a.elem, p.elem, b);
        if (m) return { conv: ID, exact: m.exact };
        // a list display whose elements all fit the parameter's element type is retyped
        if (arg.literal === 'list' && arg.elemTypes) {
          const want = concrete(p.elem, b);
          if (want && arg.elemTypes.every((e) => isSubtype(e, want))) return { conv: { k: 'retype', type: ListOf(want) }, exact: false };
          if (want && allowConv && want.kind === 'float' && arg.elemTypes.every((e) => e.kind === 'int' || e.kind === 'float')) {
            return { conv: { k: 'retype', type: ListOf(want) }, exact: false };
          }
        }
        return undefined;
      }
      // int[2] accepts a single int (a broadcasting list), as TorchScript does
      if (p.size !== undefined && p.elem.k === 'ir' && (p.elem.t.kind === 'int' || p.elem.t.kind === 'float') && (isIntLike(a) || (p.elem.t.kind === 'float' && a.kind === 'float'))) {
        return { conv: { k: 'broadcast', size: p.size }, exact: false };
      }
      if (a.kind === 'Tuple' && !a.name) {
        const want = concrete(p.elem, b);
        if (want && a.elems.every((e) => isSubtype(e, want))) return { conv: { k: 'tupleToList', type: ListOf(want) }, exact: false };
        if (!want && a.elems.length) {
          const u = a.elems.reduce<IRType | undefined>((x, y) => (x ? unifyTypes(x, y) : undefined), a.elems[0]);
          if (u && matchElem(u, p.elem, b)) return { conv: { k: 'tupleToList', type: ListOf(u) }, exact: false };
        }
      }
      return undefined;
    }
    case 'tuple': {
      if (a.kind !== 'Tuple' || a.elems.length !== p.elems.length) return undefined;
      let exact = true;
      for (let i = 0; i < p.elems.length; i++) {
        const m = matchType({ type: a.elems[i]! }, p.elems[i]!, b, false);
        if (!m || m.conv.k !== 'id') return undefined;
        exact &&= m.exact;
      }
      return { conv: ID, exact };
    }
    case 'dict': {
      if (a.kind !== 'Dict') return undefined;
      const k = matchElem(a.key, p.key, b);
      const v = matchElem(a.value, p.value, b);
      if (k && v) return { conv: ID, exact: k.exact && v.exact };
      if (arg.literal === 'dict' && k) {
        const want = concrete(p.value, b);
        if (want && isSubtype(a.value, want)) return { conv: { k: 'retype', type: DictOf(a.key, want) }, exact: false };
      }
      return undefined;
    }
    case 'future':
      if (a.kind !== 'Future') return undefined;
      return matchElem(a.elem, p.elem, b) ? { conv: ID, exact: true } : undefined;
    case 'union':
      for (const member of p.types) {
        const trial = new Map(b);
        const m = matchType(arg, member, trial, false);
        if (m && m.conv.k === 'id') {
          for (const [k, v] of trial) b.set(k, v);
          return { conv: ID, exact: false };
        }
      }
      return undefined;
  }
}

/** Invariant element match (List[int] is not a List[float]); type variables bind. */
function matchElem(a: IRType, p: SType, b: Bindings): { exact: boolean } | undefined {
  switch (p.k) {
    case 'var': {
      const bound = b.get(p.name);
      if (!bound) {
        b.set(p.name, a);
        return { exact: true };
      }
      return typesEqual(bound, a) ? { exact: true } : undefined;
    }
    case 'ir':
      if (p.t.kind === 'Any') return { exact: false };
      if (typesEqual(a, p.t)) return { exact: true };
      if (p.t.kind === 'int' && isIntLike(a)) return { exact: false };
      return undefined;
    case 'opt':
      return a.kind === 'Optional' ? matchElem(a.elem, p.elem, b) : undefined;
    case 'list':
      return a.kind === 'List' ? matchElem(a.elem, p.elem, b) : undefined;
    case 'tuple':
      if (a.kind !== 'Tuple' || a.elems.length !== p.elems.length) return undefined;
      for (let i = 0; i < p.elems.length; i++) if (!matchElem(a.elems[i]!, p.elems[i]!, b)) return undefined;
      return { exact: true };
    case 'dict':
      if (a.kind !== 'Dict') return undefined;
      return matchElem(a.key, p.key, b) && matchElem(a.value, p.value, b) ? { exact: true } : undefined;
    case 'future':
      return a.kind === 'Future' ? matchElem(a.elem, p.elem, b) : undefined;
    case 'union':
      return p.types.some((t) => typesEqual(instantiate(t, b), a)) ? { exact: false } : undefined;
  }
}

/** The schema type with variables substituted, or undefined while a variable is still free. */
function concrete(p: SType, b: Bindings): IRType | undefined {
  const free = (t: SType): boolean => {
    switch (t.k) {
      case 'var': return !b.has(t.name);
      case 'ir': return false;
      case 'list': case 'opt': case 'future': return free(t.elem);
      case 'tuple': return t.elems.some(free);
      case 'dict': return free(t.key) || free(t.value);
      case 'union': return t.types.some(free);
    }
  };
  return free(p) ? undefined : instantiate(p, b);
}

/** Tries one schema against the arguments; returns the match or why it does not fit. */
export function matchSchema(
  ov: Overload, args: readonly MatchArg[], kwargs: ReadonlyMap<string, MatchArg>, allowConv: boolean, opts: MatchOptions = {},
): SchemaMatch | string {
  const schema = schemaOf(ov);
  const b: Bindings = new Map();
  const positional = opts.allPositional ? schema.args : schema.args.filter((a) => !a.kwargOnly);
  if (args.length > positional.length && !schema.varargs) return `expected at most ${positional.length} positional argument(s) but got ${args.length}`;
  for (const k of kwargs.keys()) {
    const a = schema.args.find((x) => x.name === k);
    if (!a) return `unexpected keyword argument '${k}'`;
    const i = positional.indexOf(a);
    if (i >= 0 && i < args.length) return `argument '${k}' given twice`;
  }
  let score = 0;
  let lastGiven = -1;
  const given: (ArgBinding | undefined)[] = [];
  for (let i = 0; i < schema.args.length; i++) {
    const p = schema.args[i]!;
    const pi = positional.indexOf(p);
    let src: ArgBinding['source'] | undefined;
    let arg: MatchArg | undefined;
    if (pi >= 0 && pi < args.length) {
      src = { pos: pi };
      arg = args[pi]!;
    } else if (kwargs.has(p.name)) {
      src = { kw: p.name };
      arg = kwargs.get(p.name)!;
    }
    if (arg && src) {
      const m = matchType(arg, p.type, b, allowConv);
      if (!m) return `argument '${p.name}' must be ${stypeToString(p.type)}, not ${typeToString(arg.type)}`;
      if (m.exact) score++;
      given.push({ source: src, conv: m.conv });
      lastGiven = i;
    } else {
      if (!p.hasDefault && p.type.k !== 'opt') return `missing argument '${p.name}'`;
      given.push(undefined);
    }
  }
  const bindings: ArgBinding[] = [];
  for (let i = 0; i <= lastGiven; i++) {
    const d = given[i] ? undefined : schemaDefault(schema.args[i]!, b);
    bindings.push(given[i] ?? { source: { default: d!.value, type: d!.type }, conv: ID });
  }
  const varargs: number[] = [];
  if (schema.varargs) for (let i = positional.length; i < args.length; i++) varargs.push(i);
  return { overload: ov, schema, bindings, varargs, returnTypes: schema.returns.map((r) => instantiate(r, b)), score };
}

/**
 * Resolves among overloads: a pass without implicit conversions, then one with them; in a pass
 * the match with the most exactly-typed arguments wins (ties: the first). `error` lists every
 * candidate with the reason it did not fit.
 */
export function resolveOverloads(
  candidates: readonly Overload[], args: readonly MatchArg[], kwargs: ReadonlyMap<string, MatchArg> = new Map(), opts: MatchOptions = {},
): { match?: SchemaMatch; error?: string } {
  const reasons: string[] = [];
  for (const allowConv of [false, true]) {
    let best: SchemaMatch | undefined;
    for (const ov of candidates) {
      let r: SchemaMatch | string;
      try {
        r = matchSchema(ov, args, kwargs, allowConv, opts);
      } catch (e) {
        r = `unreadable schema: ${(e as Error).message}`;
      }
      if (typeof r === 'string') {
        if (allowConv) reasons.push(`  ${ov.schema.text}\n      ${r}`);
        continue;
      }
      if (!best || r.score > best.score) best = r;
    }
    if (best) return { match: best };
  }
  return { error: reasons.join('\n') };
}

// ---------------------------------------------------------------------------------------- typed API

/** Where each schema argument's value comes from (every schema argument, defaults included). */
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

function toOverloadMatch(m: SchemaMatch): OverloadMatch {
  const args: ArgSource[] = m.schema.args.map((a, i) => {
    const b = m.bindings[i];
    if (!b) return { from: 'default', ...schemaDefault(a) };
    const s = b.source;
    return 'pos' in s ? { from: 'positional', index: s.pos } : 'kw' in s ? { from: 'keyword', name: s.kw } : { from: 'default', value: s.default, type: s.type };
  });
  return { overload: m.overload, key: m.overload.key, args, varargs: m.varargs, returnTypes: m.returnTypes };
}

function resolveTyped(what: string, qualifiedName: string, positional: readonly IRType[], keywords: Readonly<Record<string, IRType>>, reg: Registry, opts: MatchOptions): OverloadMatch {
  const candidates = reg.overloads(qualifiedName);
  if (!candidates) throw new OverloadMatchError(`unknown ${what} '${qualifiedName}': it is not in torchlet's op registry`);
  const r = resolveOverloads(candidates, positional.map((type) => ({ type })), new Map(Object.entries(keywords).map(([k, type]) => [k, { type }])), opts);
  if (r.match) return toOverloadMatch(r.match);
  const got = [...positional.map(typeToString), ...Object.entries(keywords).map(([k, t]) => `${k}=${typeToString(t)}`)].join(', ');
  throw new OverloadMatchError(`${qualifiedName}: no overload accepts (${got}); candidates:\n${r.error}`);
}

/** Chooses the overload of `qualifiedName` for arguments of the given static types (see `resolveOverloads`). */
export function matchOverload(
  qualifiedName: string,
  positional: readonly IRType[],
  keywords: Readonly<Record<string, IRType>> = {},
  reg: Registry = getRegistry(),
): OverloadMatch {
  return resolveTyped('builtin', qualifiedName, positional, keywords, reg, {});
}

/**
 * Resolves the overload of an IR node whose inputs follow the node convention (input i is
 * schema argument i, kwarg-only arguments included; missing trailing arguments take defaults;
 * extra inputs are varargs). Used by the interpreter for nodes without an `overload` key.
 */
export function matchNodeOverload(kind: string, inputTypes: readonly IRType[], reg: Registry = getRegistry()): OverloadMatch {
  return resolveTyped('op', kind, inputTypes, {}, reg, { allPositional: true });
}

/** Result types of an overload for node-convention argument types (type variables bound by those that fit). */
export function returnTypesFor(ov: Overload, argTypes: readonly IRType[]): IRType[] {
  const s = schemaOf(ov);
  const b: Bindings = new Map();
  argTypes.forEach((t, i) => s.args[i] && matchType({ type: t }, s.args[i]!.type, b, true));
  return s.returns.map((r) => instantiate(r, b));
}

// ---------------------------------------------------------------------------------------- aliasing

/** True when schema argument i may be stored into a container (`t(b -> *) el`): its value escapes. */
export function argEscapes(ov: Overload): boolean[] {
  let r = escapeCache.get(ov);
  if (!r) {
    r = argTexts(ov.schema.text).map((a) => /->\s*\*/.test(a));
    escapeCache.set(ov, r);
  }
  return r;
}
const escapeCache = new WeakMap<Overload, boolean[]>();

/** True when schema argument i carries an alias annotation (`Tensor(a)`, `t[](a!)`): the op may return or mutate it. */
export function argAliases(ov: Overload): boolean[] {
  let r = aliasCache.get(ov);
  if (!r) {
    r = ov.schema.args.map((a) => a.alias !== undefined);
    aliasCache.set(ov, r);
  }
  return r;
}
const aliasCache = new WeakMap<Overload, boolean[]>();
