import {
  AnyType, DictOf, FutureOf, ListOf, NoneType, OptionalOf, TupleOf, UnionOf, baseType, isBaseKind, type IRType,
} from '@torchlet/ir';
import type { Expr } from './ast.js';

/** Thrown for annotations that are not TorchScript types; the compiler adds the source position. */
export class TypeParseError extends Error {}

/** Resolves `__torch__.a.b.C` (a class, NamedTuple, interface or enum) to its type. */
export type ClassResolver = (qualifiedName: string) => IRType;

/** Dotted name of an `Attr`/`Name` chain (`__torch__.a.b.C`), or undefined. */
export function dottedName(e: Expr): string | undefined {
  if (e.k === 'Name') return e.id;
  if (e.k === 'Attr') {
    const b = dottedName(e.value);
    return b === undefined ? undefined : `${b}.${e.attr}`;
  }
  return undefined;
}

const BASE_ALIASES: Record<string, string> = {
  None: 'NoneType', Scalar: 'number', number: 'number', Number: 'number', 'torch.Tensor': 'Tensor', 'torch.device': 'Device',
};

/** Converts a type annotation expression (`List[Tensor]`, `Optional[int]`, `__torch__.M`) to an IRType. */
export function parseTypeExpr(e: Expr, resolveClass: ClassResolver): IRType {
  const t = (x: Expr): IRType => parseTypeExpr(x, resolveClass);
  if (e.k === 'None') return NoneType;
  const name = dottedName(e);
  if (name !== undefined) {
    const n = BASE_ALIASES[name] ?? name.replace(/^typing\./, '');
    if (isBaseKind(n)) return baseType(n);
    if (n === 'Tuple') return TupleOf([]);
    if (n === 'List') return ListOf(AnyType);
    if (n === 'Dict') return DictOf(AnyType, AnyType);
    // `__torch__.a.C`, or a short class name of the same file (hand-written source)
    return resolveClass(name);
  }
  if (e.k === 'Subscript') {
    const head = dottedName(e.value)?.replace(/^typing\./, '');
    const args = e.index.k === 'Tuple' ? e.index.elts : [e.index];
    const arity = (n: number): void => {
      if (args.length !== n) throw new TypeParseError(`${head}[...] takes ${n} type argument(s), got ${args.length}`);
    };
    switch (head) {
      case 'List':
        arity(1);
        return ListOf(t(args[0]!));
      case 'Optional':
        arity(1);
        return OptionalOf(t(args[0]!));
      case 'Dict':
        arity(2);
        return DictOf(t(args[0]!), t(args[1]!));
      case 'Tuple':
        // Tuple[()] is the empty tuple
        if (e.index.k === 'Tuple' && e.index.elts.length === 0) return TupleOf([]);
        if (args.length === 1 && args[0]!.k === 'Tuple' && (args[0] as { elts: Expr[] }).elts.length === 0) return TupleOf([]);
        return TupleOf(args.map(t));
      case 'Union': {
        const ts = args.map(t);
        const nonNone = ts.filter((x) => x.kind !== 'NoneType');
        if (nonNone.length === 1 && ts.length === 2) return OptionalOf(nonNone[0]!);
        return UnionOf(ts);
      }
      case 'Future':
      case 'Await':
        arity(1);
        return FutureOf(t(args[0]!));
      case 'Final':
        arity(1);
        return t(args[0]!);
      case 'RRef':
        throw new TypeParseError('RRef types are not supported by torchlet');
      default:
        throw new TypeParseError(`unknown generic type '${head ?? '?'}'`);
    }
  }
  if (e.k === 'Tuple' && e.elts.length === 0) return TupleOf([]);
  throw new TypeParseError(`not a type annotation (${e.k})`);
}

/** True for `Final[...]` annotations (class constants). */
export function isFinalAnnotation(e: Expr): boolean {
  return e.k === 'Subscript' && dottedName(e.value)?.replace(/^typing\./, '') === 'Final';
}
