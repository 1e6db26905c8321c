/**
 * Reads the text that `printGraph` writes back into a Graph (and most of what PyTorch's
 * `graph.str()` prints): `parseGraph(printGraph(g))` prints identically to `g`.
 */
import { Tensor, isDType, storageArrayCtor, type DType } from '@torchlet/core';
import { Graph, type Block, type SourceLocation, type Value } from './graph.js';
import {
  AnyType, ClassType, DictOf, FunctionOf, FutureOf, ListOf, NamedTupleOf, OptionalOf, TupleOf, UnionOf, baseType, isBaseKind,
  unifyTypes, type IRType,
} from './types.js';
import { tuple } from './values.js';

export interface ParseOptions {
  /** tensors referenced as `CONSTANTS.c<i>` */
  constants?: readonly Tensor[];
  /** class types by qualified name; unknown names become fresh empty ClassTypes (one per name per parse) */
  resolveClass?: (name: string) => ClassType | undefined;
}

export class IRParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IRParseError';
  }
}

const BASE_ALIASES: Record<string, string> = { Scalar: 'number', None: 'NoneType' };

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  ws(): void {
    const t = this.text;
    while (this.pos < t.length && (t[this.pos] === ' ' || t[this.pos] === '\n' || t[this.pos] === '\r' || t[this.pos] === '\t')) this.pos++;
  }
  peek(s: string): boolean {
    this.ws();
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected '${s}'`);
  }
  match(re: RegExp): string | undefined {
    this.ws();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || m.index !== this.pos) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  ident(): string {
    const s = this.match(/[A-Za-z_][A-Za-z0-9_]*/y);
    if (s === undefined) this.fail('expected an identifier');
    return s;
  }
  fail(msg: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const col = this.pos - before.lastIndexOf('\n');
    const lineText = this.text.split('\n')[line - 1] ?? '';
    throw new IRParseError(`graph text line ${line}, column ${col}: ${msg}\n  ${lineText}\n  ${' '.repeat(Math.max(0, col - 1))}^`);
  }
}

/** Parses graph text. */
export function parseGraph(text: string, opts: ParseOptions = {}): Graph {
  return new GraphParser(text, opts).parse();
}

/** Parses a type in graph-text form (`int[]`, `Tensor?`, `Dict(str, Tensor)`, `__torch__.M`). */
export function parseType(text: string, resolveClass?: (name: string) => ClassType | undefined): IRType {
  const p = new GraphParser(text, { resolveClass });
  const t = p.type();
  p.c.ws();
  if (p.c.pos !== text.length) p.c.fail('trailing text after type');
  return t;
}

class GraphParser {
  readonly c: Cursor;
  private readonly g = new Graph();
  private readonly env = new Map<string, Value>();
  private readonly classes = new Map<string, ClassType>();
  constructor(
    text: string,
    readonly opts: ParseOptions,
  ) {
    this.c = new Cursor(text);
  }

  parse(): Graph {
    const c: Cursor = this.c;
    c.expect('graph');
    c.expect('(');
    if (!c.peek(')')) {
      do this.define(this.g.block.addParam.bind(this.g.block));
      while (c.eat(','));
    }
    c.expect(')');
    c.expect(':');
    this.nodes(this.g.block);
    c.expect('return');
    c.expect('(');
    for (const v of this.refList(')')) this.g.registerOutput(v);
    c.ws();
    if (c.pos !== c.text.length) c.fail('trailing text after return');
    return this.g;
  }

  /** `%name : Type`, defined through `make(type, debugName)` */
  private define(make: (t: IRType, name?: string) => Value): Value {
    const name = this.valueName();
    this.c.expect(':');
    const t = this.type();
    if (this.env.has(name)) this.c.fail(`value %${name} is defined twice`);
    const v = make(t, /^\d+$/.test(name) ? undefined : name);
    this.env.set(name, v);
    return v;
  }

  private valueName(): string {
    this.c.expect('%');
    const s = this.c.match(/[A-Za-z0-9_.]+/y);
    if (s === undefined) this.c.fail('expected a value name after %');
    return s;
  }

  private ref(): Value {
    const save = this.c.pos;
    const name = this.valueName();
    const v = this.env.get(name);
    if (!v) {
      this.c.pos = save;
      this.c.fail(`value %${name} is used before it is defined`);
    }
    return v;
  }

  private refList(close: string): Value[] {
    const out: Value[] = [];
    if (!this.c.eat(close)) {
      do out.push(this.ref());
      while (this.c.eat(','));
      this.c.expect(close);
    }
    return out;
  }

  /** statements until `return`, `->` or `block<N>` */
  private nodes(b: Block): void {
    const c: Cursor = this.c;
    for (;;) {
      c.ws();
      if (c.peek('return') || c.peek('->') || /^block\d/.test(c.text.slice(c.pos, c.pos + 6)) || c.pos >= c.text.length) return;
      this.node(b);
    }
  }

  private node(b: Block): void {
    const c: Cursor = this.c;
    const outs: { name: string; type: IRType }[] = [];
    if (c.peek('%')) {
      do {
        const name = this.valueName();
        c.expect(':');
        outs.push({ name, type: this.type() });
      } while (c.eat(','));
    }
    c.expect('=');
    const ns = c.ident();
    c.expect('::');
    const opName = c.ident();
    const kind = `${ns}::${opName}`;
    let overload: string | undefined;
    if (c.text[c.pos] === '.') {
      c.pos++;
      const suffix = c.ident();
      overload = suffix === 'default' ? kind : `${kind}.${suffix}`;
    }
    const n = this.g.create(kind, [], []);
    n.overload = overload;
    const attrs: { name: string; lit: { value: unknown; type: IRType } }[] = [];
    if (c.eat('[')) {
      do {
        const name = c.ident();
        c.expect('=');
        attrs.push({ name, lit: this.literal() });
      } while (c.eat(','));
      c.expect(']');
    }
    c.expect('(');
    for (const v of this.refList(')')) n.addInput(v);
    for (const o of outs) {
      if (this.env.has(o.name)) c.fail(`value %${o.name} is defined twice`);
      const v = n.addOutput(o.type, /^\d+$/.test(o.name) ? undefined : o.name);
      this.env.set(o.name, v);
    }
    for (const a of attrs) {
      const lit = a.lit;
      // a constant's value has its output's type (Device strings, List[float] with integral items...)
      const type = kind === 'prim::Constant' && a.name === 'value' && outs.length === 1 ? outs[0]!.type : lit.type;
      n.setAttr(a.name, coerce(lit.value, type), type);
    }
    // source comment: rest of the line after '#'
    let i = c.pos;
    while (i < c.text.length && (c.text[i] === ' ' || c.text[i] === '\t')) i++;
    if (c.text[i] === '#') {
      let end = c.text.indexOf('\n', i);
      if (end < 0) end = c.text.length;
      n.source = parseSource(c.text.slice(i + 1, end).trim());
      c.pos = end;
    }
    b.appendNode(n);
    // sub-blocks
    for (let k = 0; ; k++) {
      c.ws();
      if (!c.text.startsWith(`block${k}(`, c.pos)) break;
      c.pos += `block${k}`.length;
      const sb = n.addBlock();
      c.expect('(');
      if (!c.peek(')')) {
        do this.define(sb.addParam.bind(sb));
        while (c.eat(','));
      }
      c.expect(')');
      c.expect(':');
      this.nodes(sb);
      c.expect('->');
      c.expect('(');
      for (const v of this.refList(')')) sb.registerReturn(v);
    }
  }

  // ------------------------------------------------------------------ types

  type(): IRType {
    const c: Cursor = this.c;
    let t: IRType;
    if (c.eat('(')) {
      const elems: IRType[] = [];
      if (!c.peek(')')) {
        do elems.push(this.type());
        while (c.eat(','));
      }
      c.expect(')');
      t = TupleOf(elems);
    } else {
      const id = this.qualifiedName();
      if ((id === 'Dict' || id === 'Union' || id === 'Future' || id === 'Function' || id === 'List' || id === 'Optional' || id === 'Tuple') && c.peek('(')) {
        c.expect('(');
        if (id === 'Function') {
          const name = this.qualifiedName();
          c.expect(')');
          t = FunctionOf(name);
        } else {
          const args: IRType[] = [];
          if (!c.peek(')')) {
            do args.push(this.type());
            while (c.eat(','));
          }
          c.expect(')');
          if (id === 'Dict') {
            if (args.length !== 2) c.fail('Dict takes two types');
            t = DictOf(args[0]!, args[1]!);
          } else if (id === 'Union') t = UnionOf(args);
          else if (id === 'Future') t = FutureOf(args[0]!);
          else if (id === 'List') t = ListOf(args[0]!);
          else if (id === 'Optional') t = OptionalOf(args[0]!);
          else t = TupleOf(args);
        }
      } else if (c.peek('(') && id.includes('.')) {
        // NamedTuple: __torch__.Stats(mean : Tensor, count : int)
        c.expect('(');
        const fields: string[] = [];
        const elems: IRType[] = [];
        if (!c.peek(')')) {
          do {
            fields.push(c.ident());
            c.expect(':');
            elems.push(this.type());
          } while (c.eat(','));
        }
        c.expect(')');
        t = NamedTupleOf(id, fields, elems);
      } else {
        const b = BASE_ALIASES[id] ?? id;
        if (isBaseKind(b)) t = baseType(b);
        else t = this.classType(id);
      }
    }
    for (;;) {
      if (c.text.startsWith('[]', c.pos)) {
        c.pos += 2;
        t = ListOf(t);
      } else if (c.text[c.pos] === '?') {
        c.pos++;
        t = { kind: 'Optional', elem: t };
      } else break;
    }
    return t;
  }

  private qualifiedName(): string {
    let s = this.c.ident();
    while (this.c.text[this.c.pos] === '.' && /[A-Za-z_]/.test(this.c.text[this.c.pos + 1] ?? '')) {
      this.c.pos++;
      s += '.' + this.c.ident();
    }
    return s;
  }

  private classType(name: string): ClassType {
    const r = this.opts.resolveClass?.(name);
    if (r) return r;
    let ct = this.classes.get(name);
    if (!ct) this.classes.set(name, (ct = new ClassType(name)));
    return ct;
  }

  // ------------------------------------------------------------------ literals

  literal(): { value: unknown; type: IRType } {
    const c: Cursor = this.c;
    c.ws();
    const ch = c.text[c.pos];
    if (ch === '"' || ch === "'") {
      const s = readString(c);
      return { value: s, type: baseType('str') };
    }
    if (ch === '[') {
      c.pos++;
      const items: { value: unknown; type: IRType }[] = [];
      if (!c.peek(']')) {
        do items.push(this.literal());
        while (c.eat(','));
      }
      c.expect(']');
      let et: IRType = items.length ? items[0]!.type : AnyType;
      for (const it of items.slice(1)) et = unifyTypes(et, it.type) ?? AnyType;
      return { value: items.map((i) => i.value), type: ListOf(et) };
    }
    if (ch === '(') {
      c.pos++;
      const items: { value: unknown; type: IRType }[] = [];
      if (!c.peek(')')) {
        do {
          if (c.peek(')')) break; // (x,)
          items.push(this.literal());
        } while (c.eat(','));
      }
      c.expect(')');
      return { value: tuple(items.map((i) => i.value)), type: TupleOf(items.map((i) => i.type)) };
    }
    if (ch === '{') {
      c.pos++;
      const m = new Map<unknown, unknown>();
      let kt: IRType = AnyType, vt: IRType = AnyType;
      let first = true;
      if (!c.peek('}')) {
        do {
          const k = this.literal();
          c.expect(':');
          const v = this.literal();
          m.set(k.value, v.value);
          if (first) {
            kt = k.type;
            vt = v.type;
            first = false;
          } else {
            kt = unifyTypes(kt, k.type) ?? AnyType;
            vt = unifyTypes(vt, v.type) ?? AnyType;
          }
        } while (c.eat(','));
      }
      c.expect('}');
      return { value: m, type: DictOf(kt, vt) };
    }
    const num = c.match(/-?(?:inf|nan|\d+(?:\.\d*)?(?:e[-+]?\d+)?)(?![A-Za-z0-9_])/y);
    if (num !== undefined) {
      if (/^-?(inf|nan)$/.test(num)) return { value: num === 'nan' || num === '-nan' ? NaN : num[0] === '-' ? -Infinity : Infinity, type: baseType('float') };
      const isFloat = /[.e]/.test(num);
      return { value: Number(num), type: baseType(isFloat ? 'float' : 'int') };
    }
    const id = c.ident();
    if (id === 'True' || id === 'False') return { value: id === 'True', type: baseType('bool') };
    if (id === 'None') return { value: null, type: baseType('NoneType') };
    if (id === 'CONSTANTS') {
      c.expect('.');
      const m = c.match(/c\d+/y);
      if (!m) c.fail('expected c<N> after CONSTANTS.');
      const t = this.opts.constants?.[Number(m.slice(1))];
      if (!t) c.fail(`CONSTANTS.${m} is not in the constant table`);
      return { value: t, type: baseType('Tensor') };
    }
    if (id === 'tensor') return { value: this.tensorLiteral(), type: baseType('Tensor') };
    c.fail(`unexpected '${id}' in an attribute value`);
  }

  private tensorLiteral(): Tensor {
    const c: Cursor = this.c;
    c.expect('(');
    const dt = c.ident();
    if (!isDType(dt)) c.fail(`unknown dtype '${dt}'`);
    c.expect(',');
    const shape = this.literal().value as number[];
    c.expect(',');
    const data = this.literal().value as unknown[];
    c.expect(')');
    const n = shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(data) || data.length !== n) c.fail(`tensor literal has ${Array.isArray(data) ? data.length : 0} values for shape [${shape}]`);
    const arr = new storageArrayCtor[dt as DType](n);
    for (let i = 0; i < n; i++) arr[i] = Number(data[i]);
    return Tensor.fromArray(arr, shape, dt as DType);
  }
}

function readString(c: Cursor): string {
  const q = c.text[c.pos]!;
  c.pos++;
  let out = '';
  const t = c.text;
  for (;;) {
    if (c.pos >= t.length) c.fail('unterminated string');
    const ch = t[c.pos++]!;
    if (ch === q) return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = t[c.pos++]!;
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': out += String.fromCharCode(parseInt(t.slice(c.pos, c.pos + 2), 16)); c.pos += 2; break;
      case 'u': out += String.fromCharCode(parseInt(t.slice(c.pos, c.pos + 4), 16)); c.pos += 4; break;
      default:
        if (/[0-7]/.test(e)) {
          let o = e;
          while (o.length < 3 && /[0-7]/.test(t[c.pos] ?? '')) o += t[c.pos++];
          out += String.fromCharCode(parseInt(o, 8));
        } else out += '\\' + e;
    }
  }
}

function parseSource(s: string): SourceLocation {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(s);
  if (!m) return { file: s, line: 0 };
  const loc: SourceLocation = { file: m[1]!, line: Number(m[2]) };
  if (m[3] !== undefined) loc.col = Number(m[3]);
  return loc;
}

/** Reshapes a parsed literal to its declared type (tuples vs lists, Optional). */
function coerce(v: unknown, t: IRType): unknown {
  if (v === null) return null;
  switch (t.kind) {
    case 'bool':
      // PyTorch prints bool constants as 0/1
      return typeof v === 'number' ? v !== 0 : v;
    case 'Optional':
      return coerce(v, t.elem);
    case 'List':
      return Array.isArray(v) ? [...v].map((e) => coerce(e, t.elem)) : v;
    case 'Tuple':
      return Array.isArray(v) ? tuple(v.map((e, i) => coerce(e, t.elems[i] ?? AnyType)), t.name ? t : undefined) : v;
    case 'Dict':
      return v instanceof Map ? new Map([...v].map(([k, x]) => [coerce(k, t.key), coerce(x, t.value)])) : v;
    default:
      return v;
  }
}
