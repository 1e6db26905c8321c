import { Tensor } from '@torchlet/core';
import { ClassType, ScriptObject, TupleValue, tuple, typeToPython, type IRType } from '@torchlet/ir';
import { containerTypeTags, UnsupportedTensor } from './archive/pickle.js';
import { JitError, ScriptRuntimeError } from './errors.js';
import type { FunctionSig } from './script/unit.js';

/**
 * Conversions between pickled values / JS call arguments and interpreter values (IValues),
 * driven by the declared TorchScript types.
 */

/** Thrown when a pickled attribute does not have its declared type. */
export class AttributeTypeError extends JitError {}

/**
 * A pickled value as an IValue: tuples (untagged pickle arrays) become TupleValues, lists and
 * dicts keep their identity (shared containers stay shared), NamedTuples get their type.
 */
export function fromPickled(v: unknown, t: IRType | undefined, where: string): unknown {
  if (v === null || v === undefined) {
    if (t && t.kind !== 'Optional' && t.kind !== 'NoneType' && t.kind !== 'Any' && t.kind !== 'Union') {
      // PyTorch leaves parameter slots such as MultiheadAttention.q_proj_weight None while typing them NoneType
      throw new AttributeTypeError(`${where}: None where a ${typeToPython(t)} is declared`);
    }
    return null;
  }
  if (!t || t.kind === 'Any' || t.kind === 'Union') return generic(v);
  switch (t.kind) {
    case 'Optional':
      return fromPickled(v, t.elem, where);
    case 'Tensor':
      if (v instanceof Tensor || v instanceof UnsupportedTensor) return v;
      break;
    case 'int':
    case 'float':
    case 'number':
    case 'ScalarType':
    case 'Layout':
    case 'MemoryFormat':
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean' && t.kind === 'number') return v;
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case 'str':
    case 'Device':
      if (typeof v === 'string') return v;
      break;
    case 'NoneType':
      break;
    case 'List':
      if (Array.isArray(v) && !(v instanceof TupleValue)) {
        for (let i = 0; i < v.length; i++) v[i] = fromPickled(v[i], t.elem, `${where}[${i}]`);
        return v;
      }
      break;
    case 'Tuple':
      if (Array.isArray(v)) {
        if (v.length !== t.elems.length) break;
        if (v instanceof TupleValue) return v;
        return tuple(v.map((x, i) => fromPickled(x, t.elems[i], `${where}[${i}]`)), t.name ? t : undefined);
      }
      break;
    case 'Dict':
      if (v instanceof Map) {
        for (const [k, x] of v) v.set(k, fromPickled(x, t.value, `${where}[${JSON.stringify(k)}]`));
        return v;
      }
      break;
    case 'Class':
      if (v instanceof ScriptObject) return v;
      break;
    default:
      return generic(v);
  }
  throw new AttributeTypeError(`${where}: pickled value ${describe(v)} does not match its declared type ${typeToPython(t)}`);
}

/** Without a declared type: untagged arrays are tuples (PyTorch tags every list it pickles). */
export function generic(v: unknown): unknown {
  if (Array.isArray(v) && !(v instanceof TupleValue)) {
    if (containerTypeTags.has(v)) {
      for (let i = 0; i < v.length; i++) v[i] = generic(v[i]);
      return v;
    }
    return tuple(v.map(generic));
  }
  if (v instanceof Map) {
    for (const [k, x] of v) v.set(k, generic(x));
    return v;
  }
  return v;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return 'Tensor';
  if (v instanceof UnsupportedTensor) return String(v);
  if (v instanceof ScriptObject) return `<${v.type.name}>`;
  if (Array.isArray(v)) return v instanceof TupleValue ? 'tuple' : 'list';
  if (v instanceof Map) return 'dict';
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

/** Converts a JS argument of a module call to the parameter's type, or throws a clear error. */
export function fromJs(v: unknown, t: IRType, where: string): unknown {
  const fail = (): never => {
    throw new ScriptRuntimeError(`${where} must be ${typeToPython(t)}, not ${describeJs(v)}`);
  };
  if (v === undefined) v = null;
  switch (t.kind) {
    case 'Any':
      return v;
    case 'Optional':
      return v === null ? null : fromJs(v, t.elem, where);
    case 'NoneType':
      return v === null ? null : fail();
    case 'Union':
      for (const m of t.types) {
        try {
          return fromJs(v, m, where);
        } catch {
          // try the next member
        }
      }
      return fail();
    case 'Tensor':
      return v instanceof Tensor ? v : fail();
    case 'int':
    case 'ScalarType':
    case 'Layout':
    case 'MemoryFormat':
      if (typeof v === 'bigint') return Number(v);
      return typeof v === 'number' && Number.isInteger(v) ? v : fail();
    case 'float':
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : fail();
    case 'number':
      return typeof v === 'number' || typeof v === 'boolean' ? v : fail();
    case 'bool':
      return typeof v === 'boolean' ? v : fail();
    case 'str':
      return typeof v === 'string' ? v : fail();
    case 'Device':
      return typeof v === 'string' ? v : fail();
    case 'List':
      if (!Array.isArray(v)) return fail();
      return v.map((x, i) => fromJs(x, t.elem, `${where}[${i}]`));
    case 'Tuple':
      if (!Array.isArray(v) || v.length !== t.elems.length) return fail();
      return tuple(v.map((x, i) => fromJs(x, t.elems[i]!, `${where}[${i}]`)), t.name ? t : undefined);
    case 'Dict': {
      const entries: [unknown, unknown][] = v instanceof Map ? [...v] : v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) ? Object.entries(v) : fail();
      return new Map(entries.map(([k, x]) => [fromJs(k, t.key, `${where} key`), fromJs(x, t.value, `${where}[${String(k)}]`)]));
    }
    case 'Class':
      if (v instanceof ScriptObject && (v.type === t || (t as ClassType).isInterface)) return v;
      if (v && typeof v === 'object' && 'object' in v && (v as { object: unknown }).object instanceof ScriptObject) return (v as { object: ScriptObject }).object;
      return fail();
    default:
      return v;
  }
}

export function describeJs(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof Tensor) return `Tensor(${v.dtype}[${v.shape.join(', ')}])`;
  if (typeof v === 'number') return Number.isInteger(v) ? `int ${v}` : `float ${v}`;
  if (typeof v === 'string') return `str ${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `bool ${v}`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof Map) return 'a Map';
  return typeof v;
}

/** Binds JS arguments to a method's parameters (defaults for missing trailing ones) with type checks. */
export function bindArgs(sig: FunctionSig, args: unknown[], where: string): unknown[] {
  let pos = args;
  let kwargs: Record<string, unknown> | undefined;
  const last = args[args.length - 1];
  // a trailing plain object whose keys are parameter names holds keyword arguments (unless a Dict is expected there)
  const atType = sig.params[args.length - 1]?.type;
  if (
    last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype &&
    Object.keys(last).every((k) => sig.params.some((p) => p.name === k)) &&
    (args.length > sig.params.length || (atType?.kind !== 'Dict' && !(atType?.kind === 'Optional' && atType.elem.kind === 'Dict')))
  ) {
    kwargs = last as Record<string, unknown>;
    pos = args.slice(0, -1);
  }
  if (pos.length > sig.params.length) {
    throw new ScriptRuntimeError(`${where}() takes ${sig.params.length} argument(s) (${sig.params.map((p) => p.name).join(', ')}) but ${pos.length} were given`);
  }
  return sig.params.map((p, i) => {
    let v: unknown;
    if (i < pos.length) v = pos[i];
    else if (kwargs && p.name in kwargs) v = kwargs[p.name];
    else if (p.default) return fromJs(p.default.value, p.type, `default of '${p.name}'`);
    else throw new ScriptRuntimeError(`${where}() is missing argument '${p.name}' (${p.type.kind === 'Class' ? p.type.toString() : p.type.kind})`);
    return fromJs(v, p.type, `argument '${p.name}' of ${where}()`);
  });
}
