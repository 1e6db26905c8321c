import { getRegistry, resolveOverload, runOverload, splitKwargs, OpError } from './dispatch.js';
import type { OpDecl, Overload, Variant } from './registry.js';
import type { Tensor } from './tensor.js';

/** A value the eager API accepts as an op argument. */
export type OpArg = Tensor | number | boolean | bigint | string | null | undefined | readonly OpArg[] | Record<string, unknown>;

interface PyEntry {
  op: OpDecl;
  /** every overload under this name, whatever the variant */
  overloads: Overload[];
  variants: ReadonlySet<Variant>;
  /** a name may mean different ops per variant (`Tensor.unfold` vs `F.unfold`) */
  byVariant: Map<Variant, Overload[]>;
}

function addEntry(index: Map<string, PyEntry>, name: string, op: OpDecl, overloads: Overload[], variants: ReadonlySet<Variant>): void {
  const prev = index.get(name);
  if (!prev) {
    index.set(name, { op, overloads, variants, byVariant: new Map([...variants].map((v) => [v, overloads])) });
    return;
  }
  const clash = [...variants].filter((v) => prev.variants.has(v));
  if (clash.length) throw new Error(`two op declarations use the Python name '${name}' for ${clash.join('/')} (${prev.overloads[0]?.key}, ${overloads[0]?.key})`);
  for (const v of variants) prev.byVariant.set(v, overloads);
  index.set(name, { ...prev, overloads: [...prev.overloads, ...overloads], variants: new Set([...prev.variants, ...variants]) });
}

let index: Map<string, PyEntry> | undefined;

/** Python-visible names (`add`, `add_`, `absolute`) -> the overloads they resolve among. */
export function pythonIndex(): Map<string, PyEntry> {
  if (index) return index;
  const reg = getRegistry();
  index = new Map();
  const all = reg.allOverloads();
  for (const op of reg.ops) {
    const variants = new Set<Variant>(op.variants ?? ['function', 'method']);
    // internal ops (TorchScript scalar/list ops, prim::) are reachable through callOp only
    if (variants.size === 0) continue;
    const mine = all.filter((o) => o.op === op);
    const functional = mine.filter((o) => !o.inplaceOf);
    const inplace = mine.filter((o) => o.inplaceOf);
    for (const name of [op.name, ...(op.aliases ?? [])]) {
      addEntry(index, name, op, functional, variants);
      if (inplace.length) addEntry(index, `${name}_`, op, inplace, new Set<Variant>(['method', ...(variants.has('F') ? (['F'] as const) : [])]));
    }
  }
  return index;
}

function entry(name: string, variant: Variant): PyEntry {
  const e = pythonIndex().get(name);
  const overloads = e?.byVariant.get(variant);
  if (!e || !overloads) {
    const where = variant === 'method' ? `Tensor.${name}` : variant === 'F' ? `torch.nn.functional.${name}` : `torch.${name}`;
    throw new OpError(`${where} is not supported by torchlet (unknown op '${name}')`, name);
  }
  return { ...e, overloads };
}

/** torch.<name>(...args, {kwargs}) */
export function callFunction(name: string, args: readonly unknown[], variant: Variant = 'function'): unknown {
  const e = entry(name, variant);
  const [pos, kw] = splitKwargs(args);
  const r = resolveOverload(e.overloads, pos, kw);
  return runOverload(r.overload, r.args);
}

/** tensor.<name>(...args, {kwargs}) */
export function callMethod(name: string, self: unknown, args: readonly unknown[]): unknown {
  const e = entry(name, 'method');
  const [pos, kw] = splitKwargs(args);
  // the tensor binds to the schema argument named `self`, which is not always the first one
  // (`x.where(cond, y)` is `where(condition=cond, self=x, other=y)`)
  const k = selfPosition(e.overloads[0]!);
  if (k > 0) {
    const overloads = e.overloads.filter((o) => selfPosition(o) === k);
    const r = resolveOverload(overloads, [...pos.slice(0, k), self, ...pos.slice(k)], kw);
    return runOverload(r.overload, r.args);
  }
  const r = resolveOverload(e.overloads, [self, ...pos], kw);
  return runOverload(r.overload, r.args);
}

function selfPosition(o: Overload): number {
  return o.schema.args.filter((a) => !a.kwargOnly).findIndex((a) => a.name === 'self');
}

/** Builds `torch`-style function tables for the given variant (used for dynamic namespaces). */
export function functionTable(variant: Variant): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, e] of pythonIndex()) {
    if (e.variants.has(variant)) out[name] = (...args: unknown[]) => callFunction(name, args, variant);
  }
  return out;
}
