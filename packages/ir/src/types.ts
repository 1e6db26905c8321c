/**
 * Static types of IR Values, modelled on TorchScript's type system (torch/csrc/jit/frontend
 * and aten/src/ATen/core/jit_type.h). Types are plain immutable objects compared structurally
 * with `typesEqual`, except class types, which are `ClassType` instances compared by qualified
 * name.
 *
 * Text forms (as PyTorch's `graph.str()` prints them, `typeToString`):
 *   Tensor  int  float  bool  str  complex  NoneType  Device  Any  Scalar  ScalarType  Layout
 *   MemoryFormat  Generator  Storage  Stream
 *   int[]               List[int]
 *   Tensor?             Optional[Tensor]
 *   (Tensor, int)       Tuple[Tensor, int]      ()  is Tuple[()]
 *   Dict(str, Tensor)   Dict[str, Tensor]
 *   Union(int, str)     Union[int, str]
 *   Future(int)         Future[int]
 *   __torch__.M         a class / module / interface type (ClassType)
 *   __torch__.Stats(mean : Tensor, count : int)   a NamedTuple type (TupleType with name + fields)
 *   Function(__torch__.f)                          a first-class function value
 */

/** Base (non-parameterised) types. `ScalarType`, `Layout`, `MemoryFormat` hold c10 int codes at runtime. */
export type BaseKind =
  | 'Tensor' | 'int' | 'float' | 'bool' | 'str' | 'complex' | 'NoneType' | 'Device' | 'Any'
  | 'number' | 'ScalarType' | 'Layout' | 'MemoryFormat' | 'Generator' | 'Storage' | 'Stream';

export interface BaseType { readonly kind: BaseKind }
export interface ListType { readonly kind: 'List'; readonly elem: IRType }
export interface OptionalType { readonly kind: 'Optional'; readonly elem: IRType }
export interface TupleType {
  readonly kind: 'Tuple';
  readonly elems: readonly IRType[];
  /** NamedTuple: its qualified name (`__torch__.Stats`) and field names, one per element */
  readonly name?: string;
  readonly fields?: readonly string[];
}
export interface DictType { readonly kind: 'Dict'; readonly key: IRType; readonly value: IRType }
export interface UnionType { readonly kind: 'Union'; readonly types: readonly IRType[] }
export interface FutureType { readonly kind: 'Future'; readonly elem: IRType }
export interface FunctionType { readonly kind: 'Function'; readonly name: string }

export type IRType = BaseType | ListType | OptionalType | TupleType | DictType | UnionType | FutureType | FunctionType | ClassType;

/** An attribute slot of a class type. */
export interface ClassAttribute {
  name: string;
  type: IRType;
  isParameter?: boolean;
  isBuffer?: boolean;
}

/**
 * A callable attached to a class or resolved by name: either a Graph whose first input is
 * `self` (for methods), or a native JS function on interpreter values.
 */
export type NativeFunction = (args: unknown[]) => unknown;

/**
 * A TorchScript class, module or interface type (`__torch__.M`). Attribute slots are ordered
 * (slot i of a ScriptObject holds attribute i). `methods` maps names to compiled graphs (or
 * native functions); loaders may fill it lazily, or leave it empty and compile on demand
 * through the interpreter's `resolveMethod` callback.
 */
export class ClassType {
  readonly kind = 'Class' as const;
  readonly attributes: ClassAttribute[] = [];
  /** `Final` class constants (`in_features : Final[int] = 4`) */
  readonly constants = new Map<string, { value: unknown; type: IRType }>();
  /** compiled methods: a Graph (first input is self) or a native function; typed loosely to avoid a cycle */
  readonly methods = new Map<string, unknown>();
  isModule: boolean;
  /** an interface: calls dispatch on the runtime object's class */
  isInterface: boolean;
  constructor(
    readonly name: string,
    opts: { isModule?: boolean; isInterface?: boolean } = {},
  ) {
    this.isModule = opts.isModule ?? false;
    this.isInterface = opts.isInterface ?? false;
  }
  /** Given a new attribute name; Result: a new slot at the end (index returned). Throws if it exists. */
  addAttribute(name: string, type: IRType, opts: { isParameter?: boolean; isBuffer?: boolean } = {}): number {
    if (this.findAttribute(name) >= 0) throw new Error(`class ${this.name} already has an attribute '${name}'`);
    this.attributes.push({ name, type, ...opts });
    return this.attributes.length - 1;
  }
  /** slot index, or -1 */
  findAttribute(name: string): number {
    return this.attributes.findIndex((a) => a.name === name);
  }
  attributeType(name: string): IRType | undefined {
    return this.attributes.find((a) => a.name === name)?.type;
  }
  toString(): string {
    return this.name;
  }
}

const base = <K extends BaseKind>(kind: K): BaseType & { kind: K } => Object.freeze({ kind });
export const TensorType = base('Tensor');
export const IntType = base('int');
export const FloatType = base('float');
export const BoolType = base('bool');
export const StrType = base('str');
export const ComplexType = base('complex');
export const NoneType = base('NoneType');
export const DeviceType = base('Device');
export const AnyType = base('Any');
/** TorchScript's `number` (printed `Scalar`): int, float, bool or complex */
export const NumberType = base('number');
export const ScalarTypeType = base('ScalarType');
export const LayoutType = base('Layout');
export const MemoryFormatType = base('MemoryFormat');
export const GeneratorType = base('Generator');
export const StorageType = base('Storage');
export const StreamType = base('Stream');

const BASES: Record<BaseKind, BaseType> = {
  Tensor: TensorType, int: IntType, float: FloatType, bool: BoolType, str: StrType, complex: ComplexType,
  NoneType, Device: DeviceType, Any: AnyType, number: NumberType, ScalarType: ScalarTypeType, Layout: LayoutType,
  MemoryFormat: MemoryFormatType, Generator: GeneratorType, Storage: StorageType, Stream: StreamType,
};
export function baseType(kind: BaseKind): BaseType {
  return BASES[kind];
}
export function isBaseKind(s: string): s is BaseKind {
  return Object.prototype.hasOwnProperty.call(BASES, s);
}

export const ListOf = (elem: IRType): ListType => ({ kind: 'List', elem });
export const OptionalOf = (elem: IRType): IRType => (elem.kind === 'Optional' || elem.kind === 'NoneType' || elem.kind === 'Any' ? elem : { kind: 'Optional', elem });
export const TupleOf = (elems: readonly IRType[]): TupleType => ({ kind: 'Tuple', elems: [...elems] });
export const NamedTupleOf = (name: string, fields: readonly string[], elems: readonly IRType[]): TupleType => ({ kind: 'Tuple', elems: [...elems], name, fields: [...fields] });
export const DictOf = (key: IRType, value: IRType): DictType => ({ kind: 'Dict', key, value });
export const UnionOf = (types: readonly IRType[]): UnionType => ({ kind: 'Union', types: [...types] });
export const FutureOf = (elem: IRType): FutureType => ({ kind: 'Future', elem });
export const FunctionOf = (name: string): FunctionType => ({ kind: 'Function', name });

/** Structural equality (class types by qualified name). */
export function typesEqual(a: IRType, b: IRType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'List': case 'Optional': case 'Future':
      return typesEqual(a.elem, (b as ListType).elem);
    case 'Tuple': {
      const t = b as TupleType;
      if (a.name !== t.name || a.elems.length !== t.elems.length) return false;
      if ((a.fields ?? []).join(',') !== (t.fields ?? []).join(',')) return false;
      return a.elems.every((e, i) => typesEqual(e, t.elems[i]!));
    }
    case 'Dict':
      return typesEqual(a.key, (b as DictType).key) && typesEqual(a.value, (b as DictType).value);
    case 'Union': {
      const u = b as UnionType;
      return a.types.length === u.types.length && a.types.every((e, i) => typesEqual(e, u.types[i]!));
    }
    case 'Function':
      return a.name === (b as FunctionType).name;
    case 'Class':
      return a.name === (b as ClassType).name;
    default:
      return true;
  }
}

/**
 * TorchScript subtyping, enough for overload matching: T <: Optional[T], NoneType <: Optional[T],
 * int/float/bool/complex <: number, everything <: Any, T <: Union[..T..], List[T] <: List[Any]...
 * (PyTorch lists are invariant; `Any` element types are the only relaxation here.)
 */
export function isSubtype(a: IRType, b: IRType): boolean {
  if (b.kind === 'Any') return true;
  if (typesEqual(a, b)) return true;
  switch (b.kind) {
    case 'Optional':
      return a.kind === 'NoneType' || isSubtype(a.kind === 'Optional' ? a.elem : a, b.elem);
    case 'Union':
      if (a.kind === 'Union') return a.types.every((t) => isSubtype(t, b));
      if (a.kind === 'Optional') return isSubtype(NoneType, b) && isSubtype(a.elem, b);
      return b.types.some((t) => isSubtype(a, t));
    case 'number':
      return a.kind === 'int' || a.kind === 'float' || a.kind === 'bool' || a.kind === 'complex';
    case 'int':
      return a.kind === 'ScalarType' || a.kind === 'Layout' || a.kind === 'MemoryFormat';
    case 'ScalarType': case 'Layout': case 'MemoryFormat':
      return a.kind === 'int';
    case 'List':
      return a.kind === 'List' && (b.elem.kind === 'Any' || isSubtype(a.elem, b.elem) && isSubtype(b.elem, a.elem));
    case 'Tuple':
      return a.kind === 'Tuple' && a.elems.length === b.elems.length && a.elems.every((e, i) => isSubtype(e, b.elems[i]!));
    case 'Dict':
      return a.kind === 'Dict' && (b.key.kind === 'Any' || typesEqual(a.key, b.key)) && (b.value.kind === 'Any' || typesEqual(a.value, b.value));
    case 'Class':
      return a.kind === 'Class' && b.isInterface;
    default:
      return false;
  }
}

/** Graph-text form (`int[]`, `Tensor?`, `(int, str)`, `Dict(str, Tensor)`), as PyTorch's graph printer writes it. */
export function typeToString(t: IRType): string {
  switch (t.kind) {
    case 'List': return `${wrapPostfix(t.elem)}[]`;
    case 'Optional': return `${wrapPostfix(t.elem)}?`;
    case 'Tuple':
      if (t.name) return `${t.name}(${t.elems.map((e, i) => `${t.fields?.[i] ?? `_${i}`} : ${typeToString(e)}`).join(', ')})`;
      return `(${t.elems.map(typeToString).join(', ')})`;
    case 'Dict': return `Dict(${typeToString(t.key)}, ${typeToString(t.value)})`;
    case 'Union': return `Union(${t.types.map(typeToString).join(', ')})`;
    case 'Future': return `Future(${typeToString(t.elem)})`;
    case 'Function': return `Function(${t.name})`;
    case 'Class': return t.name;
    case 'number': return 'Scalar';
    default: return t.kind;
  }
}
// `(int, str)[]` would be ambiguous with a named tuple's call syntax only for class names; unions and
// postfix forms read left to right, so no extra parentheses are needed.
function wrapPostfix(t: IRType): string {
  return typeToString(t);
}

/** Python annotation form (`List[int]`, `Optional[Tensor]`), as TorchScript source writes it. */
export function typeToPython(t: IRType): string {
  switch (t.kind) {
    case 'List': return `List[${typeToPython(t.elem)}]`;
    case 'Optional': return `Optional[${typeToPython(t.elem)}]`;
    case 'Tuple':
      if (t.name) return t.name;
      return t.elems.length ? `Tuple[${t.elems.map(typeToPython).join(', ')}]` : 'Tuple[()]';
    case 'Dict': return `Dict[${typeToPython(t.key)}, ${typeToPython(t.value)}]`;
    case 'Union': return `Union[${t.types.map(typeToPython).join(', ')}]`;
    case 'Future': return `Future[${typeToPython(t.elem)}]`;
    case 'Function': return t.name;
    case 'Class': return t.name;
    case 'number': return 'number';
    default: return t.kind;
  }
}

/** The element type of an Optional, or the type itself. */
export function unwrapOptional(t: IRType): IRType {
  return t.kind === 'Optional' ? t.elem : t;
}

/** Most specific common supertype of two types (for list displays and If outputs); undefined if none. */
export function unifyTypes(a: IRType, b: IRType): IRType | undefined {
  if (isSubtype(a, b)) return b;
  if (isSubtype(b, a)) return a;
  if (a.kind === 'NoneType') return OptionalOf(b);
  if (b.kind === 'NoneType') return OptionalOf(a);
  if (a.kind === 'Optional' && isSubtype(b, a.elem)) return a;
  if (b.kind === 'Optional' && isSubtype(a, b.elem)) return b;
  if (a.kind === 'Tuple' && b.kind === 'Tuple' && a.elems.length === b.elems.length && !a.name && !b.name) {
    const elems: IRType[] = [];
    for (let i = 0; i < a.elems.length; i++) {
      const u = unifyTypes(a.elems[i]!, b.elems[i]!);
      if (!u) return undefined;
      elems.push(u);
    }
    return TupleOf(elems);
  }
  return undefined;
}
