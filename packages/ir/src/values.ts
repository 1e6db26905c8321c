import type { Tensor } from '@torchlet/core';
import type { ClassType, TupleType } from './types.js';

/**
 * Runtime values of the interpreter ("IValues"):
 *
 * | TorchScript type        | JS value                                                         |
 * |-------------------------|------------------------------------------------------------------|
 * | Tensor                  | `Tensor`                                                          |
 * | int, float              | `number` (the Value's static type says which; see `isFloatValue`) |
 * | bool                    | `boolean`                                                         |
 * | str                     | `string`                                                          |
 * | NoneType / None         | `null`                                                            |
 * | List[T]                 | a plain JS array (mutable, shared by reference like Python lists) |
 * | Tuple[...] / NamedTuple | `TupleValue` (an Array subclass, so `Array.isArray` is true)      |
 * | Dict[K, V]              | `Map` (insertion-ordered like Python dicts)                       |
 * | class / module objects  | `ScriptObject`                                                    |
 * | Device                  | `string` ('cpu', 'webgpu', 'cuda:0' ...)                          |
 * | ScalarType/Layout/...   | `number` (c10 codes, as TorchScript does: float32 = 6)           |
 * | Future[T]               | `Promise`                                                         |
 */
export type IValue = unknown;

/**
 * An immutable tuple. It is an Array (so registry ops taking tuple-typed arguments accept it),
 * marked so that lists and tuples can be told apart at runtime. `map`/`slice` return plain arrays.
 */
export class TupleValue<T = unknown> extends Array<T> {
  /** NamedTuple type, when the tuple was built as one */
  namedType?: TupleType;
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /** Field by name for NamedTuples. */
  field(name: string): T {
    const i = this.namedType?.fields?.indexOf(name) ?? -1;
    if (i < 0) throw new Error(`tuple has no field '${name}'`);
    return this[i]!;
  }
}

export function tuple<T>(items: readonly T[], namedType?: TupleType): TupleValue<T> {
  const t = new TupleValue<T>();
  for (const x of items) t.push(x);
  if (namedType?.name) t.namedType = namedType;
  return t;
}

export function isTuple(v: unknown): v is TupleValue {
  return v instanceof TupleValue;
}

/** An instance of a TorchScript class or module: a ClassType plus one slot per attribute. */
export class ScriptObject {
  readonly slots: IValue[];
  constructor(
    readonly type: ClassType,
    slots?: IValue[],
  ) {
    this.slots = slots ?? new Array<IValue>(type.attributes.length).fill(undefined);
  }
  hasAttr(name: string): boolean {
    const i = this.type.findAttribute(name);
    return i >= 0 && this.slots[i] !== undefined;
  }
  getAttr(name: string): IValue {
    const i = this.type.findAttribute(name);
    if (i < 0) {
      const c = this.type.constants.get(name);
      if (c) return c.value;
      throw new Error(`'${this.type.name}' object has no attribute '${name}'`);
    }
    const v = this.slots[i];
    if (v === undefined) throw new Error(`attribute '${name}' of '${this.type.name}' was never set`);
    return v;
  }
  setAttr(name: string, v: IValue): void {
    const i = this.type.findAttribute(name);
    if (i < 0) throw new Error(`'${this.type.name}' object has no attribute '${name}'`);
    this.slots[i] = v;
  }
  toString(): string {
    return `<${this.type.name} object>`;
  }
}
