import { getRegistry, type Overload } from '@torchlet/core';
import {
  AnyType, FloatType, IntType, ListOf, NoneType, TensorType, isSubtype, typeToString, typesEqual, unifyTypes, type IRType,
} from '@torchlet/ir';
import { schemaOf, stypeToString, substitute, type SArg, type SSchema, type SType } from './schematypes.js';

/**
 * TorchScript-style overload resolution on static types (torch/csrc/jit/frontend/schema_matching.cpp):
 * each overload is tried first without implicit conversions, then with them; among several matches
 * the most specific one (most exact argument types) wins, ties going to declaration order.
 */

/** An argument as the matcher sees it: its static type, and whether it is a fresh literal that may be retyped. */
export interface MatchArg {
  type: IRType;
  /** a list/dict display or `None`: its element types may be widened to the parameter's */
  literal?: 'list' | 'dict';
  /** element types of a list display */
  elemTypes?: IRType[];
  /** the value is a compile-time int (for `int[N]` broadcasting of literals) */
  isConst?: boolean;
}

/** How an argument is converted to its parameter type. */
export type Conversion =
  | { k: 'id' }
  | { k: 'retype'; type: IRType }
  | { k: 'op'; op: 'aten::Int' | 'aten::Float' | 'aten::Bool' | 'aten::ScalarImplicit' | 'prim::NumToTensor' | 'aten::device'; type: IRType }
  | { k: 'broadcast'; size: number }
  | { k: 'tupleToList'; type: IRType };

export interface ArgBinding {
  /** index into the positional args, or a kwarg name */
  source: { pos: number } | { kw: string } | { default: unknown; type: IRType };
  conv: Conversion;
}

export interface Match {
  overload?: Overload;
  schema: SSchema;
  /** one binding per schema argument up to the last given one (trailing defaults omitted) */
  bindings: ArgBinding[];
  /** positional args beyond the schema's (varargs schemas) */
  varargs: number[];
  returnTypes: IRType[];
  score: number;
}

interface Env {
  vars: Map<string, IRType>;
}

function isNumberKind(t: IRType): boolean {
  return t.kind === 'int' || t.kind === 'float' || t.kind === 'bool' || t.kind === 'complex' || t.kind === 'number';
}
function isIntLike(t: IRType): boolean {
  return t.kind === 'int' || t.kind === 'ScalarType' || t.kind === 'Layout' || t.kind === 'MemoryFormat';
}

/** Matches a static type against a schema type, binding type variables. Returns the conversion or undefined. */
export function matchType(arg: MatchArg, p: SType, env: Env, allowConv: boolean): { conv: Conversion; exact: boolean } | undefined {
  const a = arg.type;
  // a value of unknown type (the result of an op missing from the registry) matches anything
  if (a.kind === 'Any' && !(p.k === 'base' && p.t.kind === 'Any')) {
    if (p.k === 'var' && !env.vars.has(p.name)) env.vars.set(p.name, a);
    return { conv: { k: 'id' }, exact: false };
  }
  switch (p.k) {
    case 'var': {
      const bound = env.vars.get(p.name);
      if (!bound) {
        env.vars.set(p.name, a);
        return { conv: { k: 'id' }, exact: true };
      }
      if (typesEqual(bound, a)) return { conv: { k: 'id' }, exact: true };
      if (isSubtype(a, bound)) return { conv: { k: 'id' }, exact: false };
      const u = unifyTypes(bound, a);
      if (u && isSubtype(bound, u)) {
        env.vars.set(p.name, u);
        return { conv: { k: 'id' }, exact: false };
      }
      return undefined;
    }
    case 'base': {
      const t = p.t;
      if (t.kind === 'Any') return { conv: { k: 'id' }, exact: a.kind === 'Any' };
      if (typesEqual(a, t)) return { conv: { k: 'id' }, exact: true };
      switch (t.kind) {
        case 'Tensor':
          if (allowConv && isNumberKind(a) && a.kind !== 'complex') return { conv: { k: 'op', op: 'prim::NumToTensor', type: TensorType }, exact: false };
          return undefined;
        case 'int':
          if (isIntLike(a)) return { conv: { k: 'id' }, exact: false };
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::Int', type: IntType }, exact: false };
          return undefined;
        case 'float':
          if (allowConv && a.kind === 'int') return { conv: { k: 'op', op: 'aten::Float', type: FloatType }, exact: false };
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::Float', type: FloatType }, exact: false };
          return undefined;
        case 'number':
          if (isNumberKind(a)) return { conv: { k: 'id' }, exact: false };
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::ScalarImplicit', type: t }, exact: false };
          return undefined;
        case 'bool':
          if (allowConv && a.kind === 'Tensor') return { conv: { k: 'op', op: 'aten::Bool', type: t }, exact: false };
          return undefined;
        case 'ScalarType': case 'Layout': case 'MemoryFormat':
          if (a.kind === 'int') return { conv: { k: 'id' }, exact: false };
          return undefined;
        case 'Device':
          if (allowConv && a.kind === 'str') return { conv: { k: 'op', op: 'aten::device', type: t }, exact: false };
          return undefined;
        case 'NoneType':
          return undefined;
        default:
          return isSubtype(a, t) ? { conv: { k: 'id' }, exact: false } : undefined;
      }
    }
    case 'opt': {
      if (a.kind === 'NoneType') return { conv: { k: 'id' }, exact: true };
      if (a.kind === 'Optional') {
        // Optional[X] only matches Optional[T] when X matches T exactly
        const inner = matchType({ type: a.elem }, p.elem, env, false);
        return inner && inner.conv.k === 'id' ? { conv: { k: 'id' }, exact: inner.exact } : undefined;
      }
      return matchType(arg, p.elem, env, allowConv);
    }
    case 'list': {
      if (a.kind === 'List') {
        const m = matchElem(a.elem, p.elem, env);
        if (m) return { conv: { k: 'id' }, exact: m.exact };
        // a list display whose elements all fit the parameter's element type is retyped
        if (arg.literal === 'list' && arg.elemTypes) {
          const want = concrete(p.elem, env);
          if (want && arg.elemTypes.every((e) => isSubtype(e, want))) return { conv: { k: 'retype', type: ListOf(want) }, exact: false };
          if (want && allowConv && want.kind === 'float' && arg.elemTypes.every((e) => e.kind === 'int' || e.kind === 'float')) {
            return { conv: { k: 'retype', type: ListOf(want) }, exact: false };
          }
        }
        return undefined;
      }
      // int[2] accepts a single int (broadcasting list), as TorchScript does
      if (p.size !== undefined && p.elem.k === 'base' && (p.elem.t.kind === 'int' || p.elem.t.kind === 'float') && (isIntLike(a) || (p.elem.t.kind === 'float' && a.kind === 'float'))) {
        return { conv: { k: 'broadcast', size: p.size }, exact: false };
      }
      if (a.kind === 'Tuple' && !a.name) {
        const want = concrete(p.elem, env);
        if (want && a.elems.every((e) => isSubtype(e, want))) return { conv: { k: 'tupleToList', type: ListOf(want) }, exact: false };
        if (!want && a.elems.length) {
          const u = a.elems.reduce<IRType | undefined>((x, y) => (x ? unifyTypes(x, y) : undefined), a.elems[0]);
          if (u) {
            const m = matchElem(u, p.elem, env);
            if (m) return { conv: { k: 'tupleToList', type: ListOf(u) }, exact: false };
          }
        }
      }
      return undefined;
    }
    case 'tuple': {
      if (a.kind !== 'Tuple' || a.elems.length !== p.elems.length) return undefined;
      let exact = true;
      for (let i = 0; i < p.elems.length; i++) {
        const m = matchType({ type: a.elems[i]! }, p.elems[i]!, env, false);
        if (!m || m.conv.k !== 'id') return undefined;
        exact &&= m.exact;
      }
      return { conv: { k: 'id' }, exact };
    }
    case 'dict': {
      if (a.kind !== 'Dict') {
        return undefined;
      }
      const k = matchElem(a.key, p.key, env);
      const v = matchElem(a.value, p.value, env);
      if (k && v) return { conv: { k: 'id' }, exact: k.exact && v.exact };
      if (arg.literal === 'dict' && k) {
        const want = concrete(p.value, env);
        if (want && isSubtype(a.value, want)) return { conv: { k: 'retype', type: { kind: 'Dict', key: a.key, value: want } }, exact: false };
      }
      return undefined;
    }
    case 'future':
      if (a.kind !== 'Future') return undefined;
      return matchElem(a.elem, p.elem, env) ? { conv: { k: 'id' }, exact: true } : undefined;
  }
}

/** Invariant element match (List[int] is not a List[float]); type variables bind. */
function matchElem(a: IRType, p: SType, env: Env): { exact: boolean } | undefined {
  if (p.k === 'var') {
    const bound = env.vars.get(p.name);
    if (!bound) {
      env.vars.set(p.name, a);
      return { exact: true };
    }
    return typesEqual(bound, a) ? { exact: true } : undefined;
  }
  if (p.k === 'base') {
    if (p.t.kind === 'Any') return { exact: false };
    if (typesEqual(a, p.t)) return { exact: true };
    if (p.t.kind === 'int' && isIntLike(a)) return { exact: false };
    return undefined;
  }
  if (p.k === 'opt') {
    if (a.kind === 'Optional') return matchElem(a.elem, p.elem, env);
    return undefined;
  }
  if (p.k === 'list') return a.kind === 'List' ? matchElem(a.elem, p.elem, env) : undefined;
  if (p.k === 'tuple') {
    if (a.kind !== 'Tuple' || a.elems.length !== p.elems.length) return undefined;
    for (let i = 0; i < p.elems.length; i++) if (!matchElem(a.elems[i]!, p.elems[i]!, env)) return undefined;
    return { exact: true };
  }
  if (p.k === 'dict') {
    if (a.kind !== 'Dict') return undefined;
    return matchElem(a.key, p.key, env) && matchElem(a.value, p.value, env) ? { exact: true } : undefined;
  }
  if (p.k === 'future') return a.kind === 'Future' ? matchElem(a.elem, p.elem, env) : undefined;
  return undefined;
}

/** The schema type with variables substituted, or undefined if a variable is still free. */
function concrete(p: SType, env: Env): IRType | undefined {
  const free = (t: SType): boolean => {
    switch (t.k) {
      case 'var': return !env.vars.has(t.name);
      case 'base': return false;
      case 'list': case 'opt': case 'future': return free(t.elem);
      case 'tuple': return t.elems.some(free);
      case 'dict': return free(t.key) || free(t.value);
    }
  };
  return free(p) ? undefined : substitute(p, env.vars);
}

/** Tries one schema against the arguments. */
export function matchSchema(schema: SSchema, args: readonly MatchArg[], kwargs: ReadonlyMap<string, MatchArg>, allowConv: boolean): Match | string {
  const env: Env = { vars: new Map() };
  const positional = schema.args.filter((a) => !a.kwargOnly);
  if (args.length > positional.length && !schema.varargs) {
    // `x.view(2, 3)`: trailing ints packed into an int[] parameter (TorchScript's varargs sugar)
    return `expected at most ${positional.length} positional argument(s) but got ${args.length}`;
  }
  for (const k of kwargs.keys()) {
    const a = schema.args.find((x) => x.name === k);
    if (!a) return `unexpected keyword argument '${k}'`;
    const i = positional.indexOf(a);
    if (i >= 0 && i < args.length) return `argument '${k}' given twice`;
  }
  const bindings: ArgBinding[] = [];
  let score = 0;
  let lastGiven = -1;
  const provisional: (ArgBinding | undefined)[] = [];
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
      const m = matchType(arg, p.type, env, allowConv);
      if (!m) return `argument '${p.name}' must be ${stypeToString(p.type)}, not ${typeToString(arg.type)}`;
      if (m.exact) score++;
      provisional.push({ source: src, conv: m.conv });
      lastGiven = i;
    } else {
      if (!p.hasDefault && !(p.type.k === 'opt')) return `missing argument '${p.name}'`;
      provisional.push(undefined);
    }
  }
  for (let i = 0; i <= lastGiven; i++) {
    const b = provisional[i];
    if (b) bindings.push(b);
    else {
      const p = schema.args[i]!;
      bindings.push({ source: { default: p.hasDefault ? p.default : null, type: defaultType(p, env) }, conv: { k: 'id' } });
    }
  }
  const varargs: number[] = [];
  if (schema.varargs) for (let i = positional.length; i < args.length; i++) varargs.push(i);
  const returnTypes = schema.returns.map((r) => substitute(r, env.vars));
  return { schema, bindings, varargs, returnTypes, score };
}

function defaultType(p: SArg, env: Env): IRType {
  const t = substitute(p.type, env.vars);
  return t;
}

export interface ResolveResult {
  match?: Match;
  error?: string;
}

/** Resolves among registry overloads of `qualifiedName` (`aten::add`). */
export function resolveOverloads(candidates: readonly Overload[], args: readonly MatchArg[], kwargs: ReadonlyMap<string, MatchArg>): ResolveResult {
  const reasons: string[] = [];
  for (const allowConv of [false, true]) {
    let best: Match | undefined;
    for (const ov of candidates) {
      let schema: SSchema;
      try {
        schema = schemaOf(ov);
      } catch {
        continue;
      }
      const r = matchSchema(schema, args, kwargs, allowConv);
      if (typeof r === 'string') {
        if (allowConv) reasons.push(`  ${ov.schema.text}\n      ${r}`);
        continue;
      }
      r.overload = ov;
      if (!best || r.score > best.score) best = r;
    }
    if (best) return { match: best };
  }
  return { error: reasons.join('\n') };
}

export function registryOverloads(qualifiedName: string): readonly Overload[] | undefined {
  return getRegistry().overloads(qualifiedName);
}

export { AnyType, NoneType };
