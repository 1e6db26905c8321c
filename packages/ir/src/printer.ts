/**
 * Graph text in the style of PyTorch's `graph.str()`:
 *
 *   graph(%self : __torch__.M,
 *         %x.1 : Tensor):
 *     %2 : int = prim::Constant[value=1]()
 *     %3 : Tensor = aten::add.Tensor(%x.1, %x.1, %2) # code/__torch__.py:12:4
 *     %y : Tensor = prim::If(%c)
 *       block0():
 *         -> (%x.1)
 *       block1():
 *         -> (%3)
 *      = prim::SetAttr[name="x"](%self, %3)
 *     return (%y)
 *
 * Differences from PyTorch, so that `parseGraph` can read every graph back exactly:
 * - a resolved registry overload is part of the kind: `aten::add.Tensor(...)`; the default
 *   overload (key without a suffix, `aten::relu`) prints as `aten::relu.default(...)`; an
 *   unresolved node prints its bare kind;
 * - constants keep int vs float (`1` vs `1.`), strings are escaped, tensors print inline
 *   (`tensor(float32, [2], [1., 2.])`) or as `CONSTANTS.c<i>` references into a table;
 * - unnamed values print as `%<n>` numbered in order of definition; duplicate debug names get
 *   `.1`, `.2` suffixes.
 */
import { Tensor } from '@torchlet/core';
import type { Block, Graph, Node, Value } from './graph.js';
import { formatSource } from './graph.js';
import { typeToString, type IRType } from './types.js';
import { ScriptObject, TupleValue } from './values.js';

export interface PrintOptions {
  /**
   * When given, tensor constants print as `CONSTANTS.c<i>` where i is the tensor's index in
   * this array (tensors not yet in it are appended). Otherwise tensors print inline.
   */
  constantTable?: Tensor[];
  /** print `# file:line:col` source comments (default true) */
  sources?: boolean;
}

/** Assigns every Value of a graph a unique printed name. */
export class ValueNamer {
  private readonly names = new Map<Value, string>();
  private readonly reserved = new Set<string>();
  private readonly used = new Set<string>();
  private counter = 0;
  constructor(g: Graph) {
    const all: Value[] = [];
    const walk = (b: Block): void => {
      all.push(...b.params);
      for (const n of b) {
        all.push(...n.outputs);
        for (const sb of n.blocks) walk(sb);
      }
    };
    walk(g.block);
    for (const v of all) if (v.debugName !== undefined) this.reserved.add(sanitizeName(v.debugName));
    for (const v of all) this.name(v);
  }
  name(v: Value): string {
    let s = this.names.get(v);
    if (s !== undefined) return s;
    if (v.debugName === undefined) s = String(++this.counter);
    else {
      const base = sanitizeName(v.debugName);
      s = base;
      if (this.used.has(s)) {
        // strip an existing numeric suffix so x.1 duplicates become x.2, not x.1.1
        const m = /^(.*)\.(\d+)$/.exec(base);
        const stem = m ? m[1]! : base;
        let k = m ? Number(m[2]) + 1 : 1;
        while (this.used.has(`${stem}.${k}`) || this.reserved.has(`${stem}.${k}`)) k++;
        s = `${stem}.${k}`;
      }
    }
    this.used.add(s);
    this.names.set(v, s);
    return s;
  }
}

function sanitizeName(s: string): string {
  const r = s.replace(/[^A-Za-z0-9_.]/g, '_');
  return /^\d+$/.test(r) ? `_${r}` : r;
}

/** The whole graph as text. */
export function printGraph(g: Graph, opts: PrintOptions = {}): string {
  const namer = new ValueNamer(g);
  const p = new Printer(namer, opts);
  const params = g.inputs.map((v) => `%${namer.name(v)} : ${typeToString(v.type)}`);
  const lines: string[] = [`graph(${params.join(',\n      ')}):`];
  p.printNodes(g.block, 1, lines);
  lines.push(`  return (${g.outputs.map((v) => `%${namer.name(v)}`).join(', ')})`);
  return lines.join('\n') + '\n';
}

/** One node on one line (sub-blocks omitted), with `%name`/`%id` value references, for messages. */
export function printNode(n: Node, namer?: ValueNamer): string {
  const name = (v: Value): string => (namer ? namer.name(v) : v.debugName ?? String(v.id));
  const p = new Printer({ name } as ValueNamer, { sources: true });
  return p.nodeLine(n);
}

class Printer {
  constructor(
    readonly namer: ValueNamer,
    readonly opts: PrintOptions,
  ) {}

  ref(v: Value): string {
    return `%${this.namer.name(v)}`;
  }

  printNodes(b: Block, depth: number, lines: string[]): void {
    const ind = '  '.repeat(depth);
    for (const n of b) {
      lines.push(ind + this.nodeLine(n));
      n.blocks.forEach((sb, i) => {
        lines.push(`${ind}  block${i}(${sb.params.map((v) => `${this.ref(v)} : ${typeToString(v.type)}`).join(', ')}):`);
        this.printNodes(sb, depth + 2, lines);
        lines.push(`${ind}    -> (${sb.returns.map((v) => this.ref(v)).join(', ')})`);
      });
    }
  }

  nodeLine(n: Node): string {
    const outs = n.outputs.map((v) => `${this.ref(v)} : ${typeToString(v.type)}`).join(', ');
    let kind = n.kind;
    if (n.overload !== undefined) {
      if (n.overload === n.kind) kind = `${n.kind}.default`;
      else if (n.overload.startsWith(`${n.kind}.`)) kind = n.overload;
      else throw new Error(`node ${n.kind} has overload key '${n.overload}' of another op`);
    }
    const attrs = n.attrs.size ? `[${[...n.attrs].map(([k, a]) => `${k}=${this.literal(a.value, a.type)}`).join(', ')}]` : '';
    const ins = n.inputs.map((v) => this.ref(v)).join(', ');
    const src = n.source && this.opts.sources !== false ? ` # ${formatSource(n.source)}` : '';
    return `${outs} = ${kind}${attrs}(${ins})${src}`;
  }

  literal(v: unknown, t: IRType): string {
    if (v === null || v === undefined) return 'None';
    switch (t.kind) {
      case 'int': case 'ScalarType': case 'Layout': case 'MemoryFormat':
        if (typeof v === 'number' || typeof v === 'bigint') return formatInt(v);
        break;
      case 'float':
        if (typeof v === 'number') return formatFloat(v);
        break;
      case 'bool':
        if (typeof v === 'boolean' || typeof v === 'number') return v ? 'True' : 'False';
        break;
      case 'str': case 'Device':
        if (typeof v === 'string') return quoteString(v);
        break;
      case 'Optional':
        return this.literal(v, t.elem);
      case 'List':
        if (Array.isArray(v)) return `[${v.map((e) => this.literal(e, t.elem)).join(', ')}]`;
        break;
      case 'Tuple':
        if (Array.isArray(v)) {
          const items = v.map((e, i) => this.literal(e, t.elems[i] ?? { kind: 'Any' }));
          return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
        }
        break;
      case 'Dict':
        if (v instanceof Map) return `{${[...v].map(([k, x]) => `${this.literal(k, t.key)}: ${this.literal(x, t.value)}`).join(', ')}}`;
        break;
      case 'Tensor':
        if (v instanceof Tensor) return this.tensorLiteral(v);
        break;
      default:
        break;
    }
    return this.untyped(v);
  }

  /** A literal whose static type is Any / number / a union: its JS shape decides. */
  untyped(v: unknown): string {
    if (v === null || v === undefined) return 'None';
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? formatInt(v) : formatFloat(v);
    if (typeof v === 'bigint') return String(v);
    if (typeof v === 'string') return quoteString(v);
    if (v instanceof Tensor) return this.tensorLiteral(v);
    if (v instanceof TupleValue) return v.length === 1 ? `(${this.untyped(v[0])},)` : `(${v.map((e) => this.untyped(e)).join(', ')})`;
    if (Array.isArray(v)) return `[${v.map((e) => this.untyped(e)).join(', ')}]`;
    if (v instanceof Map) return `{${[...v].map(([k, x]) => `${this.untyped(k)}: ${this.untyped(x)}`).join(', ')}}`;
    if (v instanceof ScriptObject) return `<${v.type.name} object>`;
    return `<${typeof v}>`;
  }

  tensorLiteral(t: Tensor): string {
    const table = this.opts.constantTable;
    if (table) {
      let i = table.indexOf(t);
      if (i < 0) i = table.push(t) - 1;
      return `CONSTANTS.c${i}`;
    }
    if (t.isDisposed) return '<disposed tensor>';
    if (t.device !== 'cpu') return `<${t.device} tensor>`;
    const a = t.contiguousArray();
    const isF = t.isFloatingPoint;
    const items: string[] = [];
    for (let i = 0; i < a.length; i++) items.push(isF ? formatFloat(a[i]!) : String(a[i]!));
    return `tensor(${t.dtype}, [${t.shape.join(', ')}], [${items.join(', ')}])`;
  }
}

/** An int literal; ints beyond 2^53 print exactly, and 2^63 (INT64_MAX rounded to a double) as INT64_MAX. */
export function formatInt(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Math.abs(v) < 2 ** 53) return String(v);
  if (v === 2 ** 63) return '9223372036854775807';
  return BigInt(v).toString();
}

/** A float literal that always reads back as a float: `1.`, `0.5`, `1e-05`, `inf`, `-inf`, `nan`, `-0.`. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.';
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.`;
}

/** A double-quoted string with Python/TorchScript escapes (`\\ \" \n \t ...`, `\ooo` for other control bytes). */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (c < 0x20 || c === 0x7f) out += '\\' + c.toString(8).padStart(3, '0');
        else out += ch;
    }
  }
  return out + '"';
}
