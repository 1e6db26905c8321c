import type { Overload } from '@torchlet/core';
import {
  AnyType, BoolType, ComplexType, DeviceType, DictOf, FloatType, FutureOf, GeneratorType, IntType, LayoutType, ListOf,
  MemoryFormatType, NoneType, NumberType, OptionalOf, ScalarTypeType, StorageType, StreamType, StrType, TensorType, TupleOf,
  type IRType,
} from '@torchlet/ir';

/**
 * Schema types with type variables, parsed from the schema text of a registry overload
 * (`aten::__getitem__.t(t[](a) list, int idx) -> t(*)`): what overload resolution needs to match
 * argument types and to compute the static type of the result.
 */
export type SType =
  | { k: 'base'; t: IRType }
  | { k: 'var'; name: string }
  | { k: 'list'; elem: SType; size?: number }
  | { k: 'opt'; elem: SType }
  | { k: 'tuple'; elems: SType[] }
  | { k: 'dict'; key: SType; value: SType }
  | { k: 'future'; elem: SType };

export interface SArg {
  name: string;
  type: SType;
  kwargOnly: boolean;
  hasDefault: boolean;
  default: unknown;
  /** written in place (`Tensor(a!)`) */
  mutates: boolean;
}

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
  Any: AnyType, Dimname: StrType, QScheme: IntType, NoneType, AnyClassType: AnyType, AnyEnumType: AnyType,
  AnyTupleType: AnyType, AnyListType: AnyType, Capsule: AnyType, ConstQuantizerPtr: AnyType,
};

class Cur {
  p = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.p < this.s.length && /\s/.test(this.s[this.p]!)) this.p++;
  }
  peek(t: string): boolean {
    this.ws();
    return this.s.startsWith(t, this.p);
  }
  eat(t: string): boolean {
    if (this.peek(t)) {
      this.p += t.length;
      return true;
    }
    return false;
  }
  expect(t: string): void {
    if (!this.eat(t)) throw new Error(`schema '${this.s}': expected '${t}' at ${this.p}`);
  }
  ident(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.p));
    if (!m) throw new Error(`schema '${this.s}': expected a name at ${this.p}`);
    this.p += m[0].length;
    return m[0];
  }
}

/** skips an alias annotation `(a)`, `(a!)`, `(a -> *)`, `(*)`; returns true when it marks a write */
function alias(c: Cur): boolean {
  if (!c.peek('(')) return false;
  // only an alias if the parenthesis directly follows (no space) and holds alias syntax
  const m = /^\(([a-z*][a-z0-9]*!?)(\s*->\s*[a-z*|]+!?)?(\|[a-z]+)*\)/.exec(c.s.slice(c.p));
  if (!m) return false;
  c.p += m[0].length;
  return m[0].includes('!');
}

function parseType(c: Cur): { t: SType; mutates: boolean } {
  let t: SType;
  let mutates = false;
  if (c.eat('(')) {
    const elems: SType[] = [];
    if (!c.peek(')')) {
      do elems.push(parseType(c).t);
      while (c.eat(','));
    }
    c.expect(')');
    t = { k: 'tuple', elems };
  } else {
    const id = c.ident();
    if (id === 'Dict' || id === 'Future' || id === 'Optional' || id === 'List' || id === 'Tuple' || id === 'Union' || id === 'Await' || id === 'RRef') {
      c.expect('(');
      const inner: SType[] = [];
      if (!c.peek(')')) {
        do inner.push(parseType(c).t);
        while (c.eat(','));
      }
      c.expect(')');
      if (id === 'Dict') t = { k: 'dict', key: inner[0]!, value: inner[1]! };
      else if (id === 'Future' || id === 'Await') t = { k: 'future', elem: inner[0]! };
      else if (id === 'Optional') t = { k: 'opt', elem: inner[0]! };
      else if (id === 'List') t = { k: 'list', elem: inner[0]! };
      else if (id === 'Tuple') t = { k: 'tuple', elems: inner };
      else t = { k: 'base', t: AnyType };
    } else if (BASE[id]) t = { k: 'base', t: BASE[id]! };
    else if (/^(t[A-Za-z0-9]*|[A-Z]\d*)$/.test(id)) t = { k: 'var', name: id };
    else t = { k: 'base', t: AnyType };
  }
  if (alias(c)) mutates = true;
  for (;;) {
    if (c.peek('[')) {
      c.expect('[');
      c.ws();
      const m = /^\d+/.exec(c.s.slice(c.p));
      let size: number | undefined;
      if (m) {
        size = Number(m[0]);
        c.p += m[0].length;
      }
      c.expect(']');
      t = size === undefined ? { k: 'list', elem: t } : { k: 'list', elem: t, size };
      if (alias(c)) mutates = true;
    } else if (c.peek('?')) {
      c.expect('?');
      t = { k: 'opt', elem: t };
    } else break;
  }
  return { t, mutates };
}

const cache = new WeakMap<Overload, SSchema>();

/** The schema of a registry overload with type variables kept. */
export function schemaOf(ov: Overload): SSchema {
  let s = cache.get(ov);
  if (s) return s;
  const text = ov.schema.text;
  const c = new Cur(text);
  c.p = text.indexOf('(');
  c.expect('(');
  const types: { t: SType; mutates: boolean }[] = [];
  if (!c.peek(')')) {
    do {
      if (c.eat('*')) continue;
      if (c.eat('...')) continue;
      const pt = parseType(c);
      types.push(pt);
      c.ident();
      if (c.eat('=')) skipDefault(c);
    } while (c.eat(','));
  }
  c.expect(')');
  c.expect('->');
  const returns: SType[] = [];
  c.ws();
  if (c.peek('(')) {
    // `-> (Tensor, Tensor)` or `-> ()`; but `-> ((str, t)[])` is one list-of-tuples return
    const save = c.p;
    c.expect('(');
    if (!c.peek(')')) {
      do {
        if (c.eat('...')) continue;
        returns.push(parseType(c).t);
        c.ws();
        if (/^[A-Za-z_]/.test(c.s.slice(c.p))) c.ident();
      } while (c.eat(','));
    }
    c.expect(')');
    void save;
  } else if (!c.eat('...')) {
    returns.push(parseType(c).t);
  }
  const core = ov.schema;
  if (core.args.length !== types.length) throw new Error(`schema '${text}': ${types.length} argument types for ${core.args.length} arguments`);
  s = {
    key: ov.key,
    args: core.args.map((a, i) => ({
      name: a.name, type: types[i]!.t, kwargOnly: a.kwargOnly, hasDefault: a.hasDefault, default: a.default, mutates: types[i]!.mutates,
    })),
    returns,
    returnsTuple: core.returnsTuple,
    varargs: core.varargs,
  };
  cache.set(ov, s);
  return s;
}

function skipDefault(c: Cur): void {
  c.ws();
  let depth = 0;
  let quote = '';
  while (c.p < c.s.length) {
    const ch = c.s[c.p]!;
    if (quote) {
      if (ch === '\\') c.p++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      if (depth === 0) return;
      depth--;
    } else if (ch === ',' && depth === 0) return;
    c.p++;
  }
}

/** Replaces type variables by their bindings (unbound ones become Any). */
export function substitute(t: SType, env: Map<string, IRType>): IRType {
  switch (t.k) {
    case 'base': return t.t;
    case 'var': return env.get(t.name) ?? AnyType;
    case 'list': return ListOf(substitute(t.elem, env));
    case 'opt': return OptionalOf(substitute(t.elem, env));
    case 'tuple': return TupleOf(t.elems.map((e) => substitute(e, env)));
    case 'dict': return DictOf(substitute(t.key, env), substitute(t.value, env));
    case 'future': return FutureOf(substitute(t.elem, env));
  }
}

export function stypeToString(t: SType): string {
  switch (t.k) {
    case 'base': return t.t.kind === 'number' ? 'Scalar' : t.t.kind;
    case 'var': return t.name;
    case 'list': return `${stypeToString(t.elem)}[${t.size ?? ''}]`;
    case 'opt': return `${stypeToString(t.elem)}?`;
    case 'tuple': return `(${t.elems.map(stypeToString).join(', ')})`;
    case 'dict': return `Dict(${stypeToString(t.key)}, ${stypeToString(t.value)})`;
    case 'future': return `Future(${stypeToString(t.elem)})`;
  }
}
