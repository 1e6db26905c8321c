/**
 * ATen function schemas, parsed from the strings that PyTorch's native_functions.yaml and
 * `torch._C._jit_get_all_schemas()` print:
 *   aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor
 */

export type BaseTypeName =
  | 'Tensor' | 'int' | 'float' | 'bool' | 'str' | 'Scalar' | 'ScalarType' | 'Layout' | 'Device'
  | 'MemoryFormat' | 'Generator' | 'Any' | 'Dimname' | 'Storage' | 'Stream' | 'complex' | 'number';

export type SchemaType =
  | { kind: 'base'; name: BaseTypeName }
  | { kind: 'list'; elem: SchemaType; size?: number }
  | { kind: 'optional'; elem: SchemaType }
  | { kind: 'tuple'; elems: SchemaType[] };

/** Alias annotation: `Tensor(a!)` writes into the alias set `a`; `Tensor(a)` is a view of it. */
export interface AliasInfo { set: string; write: boolean }

export type DefaultValue = number | boolean | string | null | DefaultValue[];

export interface SchemaArg {
  name: string;
  type: SchemaType;
  alias?: AliasInfo;
  kwargOnly: boolean;
  /** present when the schema gives a default; `null` is Python's None */
  default?: DefaultValue;
  hasDefault: boolean;
}

export interface SchemaReturn { name?: string; type: SchemaType; alias?: AliasInfo }

export interface FunctionSchema {
  /** e.g. `aten::add` */
  qualifiedName: string;
  namespace: string;
  name: string;
  /** e.g. `Tensor`; '' for the default overload */
  overload: string;
  args: SchemaArg[];
  returns: SchemaReturn[];
  /** `-> (Tensor, Tensor)` vs `-> Tensor`; a tuple return gives the caller an array */
  returnsTuple: boolean;
  /** `...` varargs schemas (prim ops) */
  varargs: boolean;
  text: string;
}

const BASE_TYPES = new Set<string>([
  'Tensor', 'int', 'float', 'bool', 'str', 'Scalar', 'ScalarType', 'Layout', 'Device', 'MemoryFormat',
  'Generator', 'Any', 'Dimname', 'Storage', 'Stream', 'complex', 'number',
]);
const TYPE_ALIASES: Record<string, BaseTypeName> = { SymInt: 'int', SymFloat: 'float', SymBool: 'bool', t: 'Any', t1: 'Any', t2: 'Any', tVal: 'Any', QScheme: 'int', 'Dimname': 'Dimname' };

export class SchemaParseError extends Error {}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipWs(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(s: string): boolean {
    this.skipWs();
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (this.peek(s)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected '${s}'`);
  }
  ident(): string {
    this.skipWs();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected an identifier');
    this.pos += m[0].length;
    return m[0];
  }
  fail(msg: string): never {
    throw new SchemaParseError(`bad schema '${this.text}': ${msg} at column ${this.pos}`);
  }
}

function parseAlias(c: Cursor): AliasInfo | undefined {
  if (!c.eat('(')) return undefined;
  // `t(*)`, `t[](*)`: a value that may alias anything (list/dict element reads)
  if (c.eat('*')) {
    c.expect(')');
    return { set: '*', write: false };
  }
  const set = c.ident();
  let write = false;
  if (c.eat('!')) write = true;
  // `Tensor(a -> *)` and `Tensor(a|b)` appear in a few schemas; keep the first set
  while (!c.peek(')')) c.pos++;
  c.expect(')');
  return { set, write };
}

function parseType(c: Cursor): { type: SchemaType; alias?: AliasInfo } {
  let type: SchemaType;
  let alias: AliasInfo | undefined;
  if (c.eat('(')) {
    const elems: SchemaType[] = [];
    if (!c.peek(')')) {
      do elems.push(parseType(c).type);
      while (c.eat(','));
    }
    c.expect(')');
    type = { kind: 'tuple', elems };
  } else {
    const id = c.ident();
    if (id === 'Dict' || id === 'List' || id === 'Optional' || id === 'Tuple' || id === 'Future' || id === 'Union') {
      c.expect('(');
      const inner: SchemaType[] = [];
      do inner.push(parseType(c).type);
      while (c.eat(','));
      c.expect(')');
      if (id === 'List') type = { kind: 'list', elem: inner[0]! };
      else if (id === 'Optional') type = { kind: 'optional', elem: inner[0]! };
      else if (id === 'Tuple') type = { kind: 'tuple', elems: inner };
      else type = { kind: 'base', name: 'Any' };
    } else {
      const name = TYPE_ALIASES[id] ?? id;
      if (!BASE_TYPES.has(name)) c.fail(`unknown type '${id}'`);
      type = { kind: 'base', name: name as BaseTypeName };
    }
    alias = parseAlias(c);
  }
  for (;;) {
    if (c.eat('[')) {
      c.skipWs();
      const m = /^\d+/.exec(c.text.slice(c.pos));
      let size: number | undefined;
      if (m) {
        size = Number(m[0]);
        c.pos += m[0].length;
      }
      c.expect(']');
      type = size === undefined ? { kind: 'list', elem: type } : { kind: 'list', elem: type, size };
      const a = parseAlias(c);
      if (a) alias = a;
    } else if (c.eat('?')) {
      type = { kind: 'optional', elem: type };
    } else break;
  }
  return alias ? { type, alias } : { type };
}

function parseDefault(c: Cursor): DefaultValue {
  c.skipWs();
  if (c.eat('[')) {
    const items: DefaultValue[] = [];
    if (!c.peek(']')) {
      do items.push(parseDefault(c));
      while (c.eat(','));
    }
    c.expect(']');
    return items;
  }
  if (c.peek('"') || c.peek("'")) {
    const q = c.text[c.pos]!;
    const end = c.text.indexOf(q, c.pos + 1);
    const s = c.text.slice(c.pos + 1, end);
    c.pos = end + 1;
    return s;
  }
  const m = /^-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)/i.exec(c.text.slice(c.pos));
  if (m) {
    c.pos += m[0].length;
    const t = m[0].toLowerCase();
    return t === 'inf' ? Infinity : t === '-inf' ? -Infinity : t === 'nan' ? NaN : Number(m[0]);
  }
  const id = c.ident();
  if (id === 'True') return true;
  if (id === 'False') return false;
  if (id === 'None') return null;
  return id; // enum names: contiguous_format, long, Mean ...
}

export function parseSchema(text: string): FunctionSchema {
  const c = new Cursor(text);
  const ns = c.ident();
  c.expect('::');
  const name = c.ident();
  let overload = '';
  if (c.eat('.')) overload = c.ident();
  c.expect('(');
  const args: SchemaArg[] = [];
  let kwargOnly = false;
  let varargs = false;
  if (!c.peek(')')) {
    do {
      if (c.eat('*')) {
        kwargOnly = true;
        continue;
      }
      if (c.eat('...')) {
        varargs = true;
        continue;
      }
      const { type, alias } = parseType(c);
      const argName = c.ident();
      const arg: SchemaArg = { name: argName, type, kwargOnly, hasDefault: false };
      if (alias) arg.alias = alias;
      if (c.eat('=')) {
        arg.default = parseDefault(c);
        arg.hasDefault = true;
      }
      args.push(arg);
    } while (c.eat(','));
  }
  c.expect(')');
  c.expect('->');
  const returns: SchemaReturn[] = [];
  let returnsTuple = false;
  c.skipWs();
  if (c.eat('(')) {
    returnsTuple = true;
    if (!c.peek(')')) {
      do {
        if (c.eat('...')) {
          varargs = true;
          continue;
        }
        const { type, alias } = parseType(c);
        const r: SchemaReturn = { type };
        if (alias) r.alias = alias;
        c.skipWs();
        if (/^[A-Za-z_]/.test(c.text.slice(c.pos))) r.name = c.ident();
        returns.push(r);
      } while (c.eat(','));
    }
    c.expect(')');
  } else if (c.eat('...')) {
    varargs = true;
  } else {
    const { type, alias } = parseType(c);
    returns.push(alias ? { type, alias } : { type });
  }
  c.skipWs();
  if (c.pos !== text.length) c.fail('trailing text');
  return { qualifiedName: `${ns}::${name}`, namespace: ns, name, overload, args, returns, returnsTuple, varargs, text };
}

export function typeToString(t: SchemaType): string {
  switch (t.kind) {
    case 'base': return t.name;
    case 'list': return `${typeToString(t.elem)}[${t.size ?? ''}]`;
    case 'optional': return `${typeToString(t.elem)}?`;
    case 'tuple': return `(${t.elems.map(typeToString).join(', ')})`;
    default: return t satisfies never;
  }
}
