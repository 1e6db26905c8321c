/**
 * TorchScript-style source for a graph (PyTorch's `traced.code`): one statement per node,
 * constants inlined, registry ops as `torch.<name>(...)` (other namespaces as
 * `ops.<ns>.<name>(...)`) with keyword-only arguments by name and trailing defaults omitted.
 */
import { Tensor, type Overload, type SchemaArg } from '@torchlet/core';
import {
  formatFloat, prim, quoteString, resolveNodeOverload, typeToPython, type Block, type Graph, type IRType, type Node, type Value,
} from '@torchlet/ir';
import { TupleValue } from '@torchlet/ir';

const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'self', 'torch', 'ops', 'CONSTANTS',
]);

class Names {
  private readonly names = new Map<Value, string>();
  private readonly used = new Set<string>();
  private counter = 0;
  name(v: Value): string {
    let s = this.names.get(v);
    if (s) return s;
    let base = v.debugName ? v.debugName.replace(/[^A-Za-z0-9_]/g, '_') : '';
    if (/^\d/.test(base)) base = `_${base}`;
    if (!base || PY_KEYWORDS.has(base)) s = base && !this.used.has(`${base}0`) ? `${base}0` : this.fresh();
    else {
      s = base;
      for (let k = 0; this.used.has(s); k++) s = `${base}${k}`;
    }
    this.used.add(s);
    this.names.set(v, s);
    return s;
  }
  set(v: Value, s: string): void {
    this.names.set(v, s);
    this.used.add(s);
  }
  private fresh(): string {
    let s: string;
    do s = `_${this.counter++}`;
    while (this.used.has(s));
    return s;
  }
}

export interface CodeOptions {
  /** the function name (default 'forward') */
  name?: string;
  /** graph input 0 is `self` */
  self?: boolean;
  /** tensor constants print as CONSTANTS.c<i>, indexes into this table */
  constants?: Tensor[];
}

export function generateCode(g: Graph, opts: CodeOptions = {}): string {
  const names = new Names();
  const constants = opts.constants ?? [];
  const lines: string[] = [];
  const params = g.inputs.map((v, i) => {
    if (i === 0 && opts.self) {
      names.set(v, 'self');
      return 'self';
    }
    return `${names.name(v)}: ${typeToPython(v.type)}`;
  });
  const ret = g.outputs.length === 1 ? typeToPython(g.outputs[0]!.type) : `Tuple[${g.outputs.map((o) => typeToPython(o.type)).join(', ')}]`;
  lines.push(`def ${opts.name ?? 'forward'}(${params.join(',\n    ')}) -> ${ret}:`);
  const w = new Writer(names, constants);
  w.block(g.block, 1, lines);
  const outs = g.outputs.map((v) => w.ref(v));
  lines.push(`  return ${outs.length === 1 ? outs[0] : `(${outs.join(', ')})`}`);
  return lines.join('\n') + '\n';
}

class Writer {
  constructor(
    readonly names: Names,
    readonly constants: Tensor[],
  ) {}

  ref(v: Value): string {
    const c = v.constantValue();
    if (c) return this.literal(c.value, v.type);
    return this.names.name(v);
  }

  literal(v: unknown, t: IRType): string {
    if (v === null || v === undefined) return 'None';
    if (v instanceof Tensor) {
      let i = this.constants.indexOf(v);
      if (i < 0) i = this.constants.push(v) - 1;
      return `CONSTANTS.c${i}`;
    }
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v === 'number') return t.kind === 'float' ? formatFloat(v) : Number.isInteger(v) ? String(v) : formatFloat(v);
    if (typeof v === 'string') return quoteString(v);
    if (v instanceof TupleValue || (Array.isArray(v) && t.kind === 'Tuple')) {
      const items = (v as unknown[]).map((e, i) => this.literal(e, t.kind === 'Tuple' ? t.elems[i] ?? t : t));
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    if (Array.isArray(v)) return `[${v.map((e) => this.literal(e, t.kind === 'List' ? t.elem : t)).join(', ')}]`;
    if (v instanceof Map) return `{${[...v].map(([k, x]) => `${this.literal(k, t.kind === 'Dict' ? t.key : t)}: ${this.literal(x, t.kind === 'Dict' ? t.value : t)}`).join(', ')}}`;
    return String(v);
  }

  block(b: Block, depth: number, lines: string[]): void {
    const ind = '  '.repeat(depth);
    let any = false;
    for (const n of b) {
      if (n.kind === prim.Constant) continue;
      any = true;
      this.node(n, depth, lines, ind);
    }
    if (!any && b.owningNode) lines.push(`${ind}pass`);
  }

  private assign(n: Node, rhs: string, ind: string, lines: string[]): void {
    if (n.outputs.length === 0) lines.push(`${ind}${rhs}`);
    else if (n.outputs.length === 1) lines.push(`${ind}${this.names.name(n.output())} = ${rhs}`);
    else lines.push(`${ind}${n.outputs.map((o) => this.names.name(o)).join(', ')}, = ${rhs}`);
  }

  private node(n: Node, depth: number, lines: string[], ind: string): void {
    const r = (i: number): string => this.ref(n.input(i));
    const all = (): string[] => n.inputs.map((v) => this.ref(v));
    switch (n.kind) {
      case prim.GetAttr:
        return this.assign(n, attrRef(r(0), n.s('name')), ind, lines);
      case prim.SetAttr:
        lines.push(`${ind}${attrRef(r(0), n.s('name'))} = ${r(1)}`);
        return;
      case prim.TupleConstruct: {
        const items = all();
        return this.assign(n, items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`, ind, lines);
      }
      case prim.ListConstruct:
        return this.assign(n, `[${all().join(', ')}]`, ind, lines);
      case prim.DictConstruct: {
        const items = all();
        const kv: string[] = [];
        for (let i = 0; i + 1 < items.length; i += 2) kv.push(`${items[i]}: ${items[i + 1]}`);
        return this.assign(n, `{${kv.join(', ')}}`, ind, lines);
      }
      case prim.TupleUnpack:
      case prim.ListUnpack:
        return this.assign(n, r(0), ind, lines);
      case prim.TupleIndex:
        return this.assign(n, `${r(0)}[${r(1)}]`, ind, lines);
      case prim.CallMethod:
        return this.assign(n, `${r(0)}.${n.s('name')}(${all().slice(1).join(', ')})`, ind, lines);
      case prim.CallFunction:
        return this.assign(n, `${n.s('name')}(${all().join(', ')})`, ind, lines);
      case prim.RaiseException:
        lines.push(`${ind}raise ${n.inputs.length > 1 ? r(1) : 'Exception'}(${r(0)})`);
        return;
      case prim.uncheckedCast:
        return this.assign(n, `unchecked_cast(${typeToPython(n.output().type)}, ${r(0)})`, ind, lines);
      case prim.Print:
        lines.push(`${ind}print(${all().join(', ')})`);
        return;
      case prim.If: {
        const outs = n.outputs.map((o) => this.names.name(o));
        lines.push(`${ind}if ${r(0)}:`);
        n.blocks.forEach((b, i) => {
          if (i === 1) lines.push(`${ind}else:`);
          this.block(b, depth + 1, lines);
          b.returns.forEach((v, k) => lines.push(`${ind}  ${outs[k]} = ${this.ref(v)}`));
          if (b.isEmpty && b.returns.length === 0 && i === 0) lines.push(`${ind}  pass`);
        });
        return;
      }
      case prim.Loop: {
        const b = n.blocks[0]!;
        const carried = n.outputs.map((o) => this.names.name(o));
        n.inputs.slice(2).forEach((v, k) => lines.push(`${ind}${carried[k]} = ${this.ref(v)}`));
        b.params.slice(1).forEach((p, k) => this.names.set(p, carried[k]!));
        const i = this.names.name(b.params[0]!);
        lines.push(`${ind}${i} = 0`);
        const cond = this.ref(n.input(1));
        lines.push(`${ind}_cond = ${cond}`);
        lines.push(`${ind}while _cond and ${i} < ${r(0)}:`);
        this.block(b, depth + 1, lines);
        b.returns.slice(1).forEach((v, k) => lines.push(`${ind}  ${carried[k]} = ${this.ref(v)}`));
        lines.push(`${ind}  _cond = ${this.ref(b.returns[0]!)}`);
        lines.push(`${ind}  ${i} = ${i} + 1`);
        return;
      }
      default:
        return this.assign(n, this.call(n), ind, lines);
    }
  }

  private call(n: Node): string {
    let ov: Overload | undefined;
    try {
      ov = resolveNodeOverload(n);
    } catch {
      ov = undefined;
    }
    const [ns, name] = n.kind.split('::') as [string, string];
    const callee = ns === 'aten' ? `torch.${name}` : `ops.${ns}.${name}`;
    if (!ov) return `${callee}(${n.inputs.map((v) => this.ref(v)).join(', ')})`;
    const args: SchemaArg[] = ov.schema.args;
    const shown: string[] = [];
    // drop trailing inputs equal to their defaults
    let last = n.inputs.length - 1;
    while (last >= 0 && last < args.length && isDefault(n.input(last), args[last]!)) last--;
    for (let i = 0; i <= last; i++) {
      const a = args[i];
      const s = this.ref(n.input(i));
      shown.push(a?.kwargOnly ? `${a.name}=${s}` : s);
    }
    return `${callee}(${shown.join(', ')})`;
  }
}

/** `obj.name`, or `getattr(obj, "0")` for names that are not identifiers (Sequential children). */
function attrRef(obj: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${obj}.${name}` : `getattr(${obj}, ${quoteString(name)})`;
}

function isDefault(v: Value, a: SchemaArg): boolean {
  if (!a.hasDefault && a.type.kind !== 'optional') return false;
  const c = v.constantValue();
  if (!c) return false;
  const d = a.hasDefault ? a.default : null;
  if (d === null || d === undefined) return c.value === null;
  if (Array.isArray(d)) return Array.isArray(c.value) && c.value.length === d.length && d.every((x, i) => (c.value as unknown[])[i] === x);
  if (typeof d === 'string' && typeof c.value === 'number') return false;
  return c.value === d;
}

