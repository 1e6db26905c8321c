import { tidy } from '@torchlet/core';
import { isPlainObject } from '../args.js';
import { Module } from '../module.js';

type Named = Map<string, Module> | Record<string, Module>;

function entriesOf(x: Named | Iterable<readonly [string, Module]>): [string, Module][] {
  if (x instanceof Map) return [...x.entries()];
  if (isPlainObject(x)) return Object.entries(x as Record<string, Module>);
  return [...(x as Iterable<readonly [string, Module]>)].map(([k, v]) => [k, v]);
}

function get(m: Module, name: string): Module {
  return (m as unknown as Record<string, Module>)[name]!;
}

/** Base of the list-like containers: children named '0', '1', ... */
abstract class IndexedContainer extends Module {
  protected _items(): Module[] {
    return this._children().map(([, m]) => m);
  }

  get length(): number {
    return this._children().length;
  }

  protected _index(idx: number): number {
    const n = this.length;
    if (!Number.isInteger(idx) || idx < -n || idx >= n) throw new RangeError(`index ${idx} is out of range`);
    return idx < 0 ? idx + n : idx;
  }

  /** `seq[idx]` (negative indices count from the end). */
  get(idx: number): Module {
    return get(this, String(this._index(idx)));
  }

  /** `seq[idx] = module` */
  set(idx: number, module: Module): void {
    this.registerModule(String(this._index(idx)), module);
  }

  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: Module): void {
    const items = this._items();
    const n = items.length;
    let i = index < 0 ? index + n : index;
    i = Math.max(0, Math.min(n, i));
    items.splice(i, 0, module);
    this._renumber(items);
  }

  /** Removes and returns the module at `idx`, renumbering the rest. */
  pop(idx = -1): Module {
    const i = this._index(idx);
    const items = this._items();
    const [m] = items.splice(i, 1);
    this._renumber(items);
    return m!;
  }

  protected _renumber(items: Module[]): void {
    for (const [k] of this._children()) this._unregister(k);
    items.forEach((m, i) => this.registerModule(String(i), m));
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._items()[Symbol.iterator]();
  }
}

/** Modules run in order, each one's output feeding the next. */
export class Sequential extends IndexedContainer {
  constructor(...modules: Module[] | [Named]) {
    super();
    if (modules.length === 1 && !(modules[0] instanceof Module)) {
      for (const [k, m] of entriesOf(modules[0] as Named)) this.registerModule(k, m);
    } else {
      (modules as Module[]).forEach((m, i) => this.registerModule(String(i), m));
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(input: any): any {
    // intermediate outputs are disposed; the result moves to the caller's scope
    return tidy(() => {
      let x = input;
      for (const m of this._items()) x = m.forward(x);
      return x;
    });
  }

  /** `seq[start:end]` as a new Sequential sharing the modules. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...this._items().slice(start, end));
  }

  /** `seq[idx]` by index, or a child by name for a Sequential built from a dict. */
  override get(idx: number | string): Module {
    if (typeof idx === 'string') {
      const m = (this as unknown as Record<string, unknown>)[idx];
      if (!(m instanceof Module)) throw new RangeError(`Sequential has no module '${idx}'`);
      return m;
    }
    const items = this._items();
    const n = items.length;
    if (!Number.isInteger(idx) || idx < -n || idx >= n) throw new RangeError(`index ${idx} is out of range`);
    return items[idx < 0 ? idx + n : idx]!;
  }
}

/** A list of submodules (registered, so their parameters are found); not callable itself. */
export class ModuleList extends IndexedContainer {
  constructor(modules?: Iterable<Module> | null) {
    super();
    if (modules) this.extend(modules);
  }

  forward(): never {
    throw new Error('ModuleList is not callable: iterate over it and call its modules');
  }

  slice(start?: number, end?: number): ModuleList {
    return new ModuleList(this._items().slice(start, end));
  }
}

/** An ordered dict of submodules keyed by name. */
export class ModuleDict extends Module {
  constructor(modules?: Named | Iterable<readonly [string, Module]> | null) {
    super();
    if (modules) this.update(modules);
  }

  forward(): never {
    throw new Error('ModuleDict is not callable: look up a module and call it');
  }

  get length(): number {
    return this._children().length;
  }
  get(key: string): Module {
    const m = this._children().find(([k]) => k === key);
    if (!m) throw new RangeError(`ModuleDict has no key '${key}'`);
    return m[1];
  }
  set(key: string, module: Module): void {
    this.registerModule(key, module);
  }
  has(key: string): boolean {
    return this._children().some(([k]) => k === key);
  }
  /** Removes `key` and returns its module. */
  pop(key: string): Module {
    const m = this.get(key);
    this._unregister(key);
    return m;
  }
  delete(key: string): boolean {
    if (!this.has(key)) return false;
    this._unregister(key);
    return true;
  }
  clear(): void {
    for (const [k] of this._children()) this._unregister(k);
  }
  keys(): string[] {
    return this._children().map(([k]) => k);
  }
  values(): Module[] {
    return this._children().map(([, m]) => m);
  }
  items(): [string, Module][] {
    return this._children();
  }
  update(modules: Named | Iterable<readonly [string, Module]>): void {
    for (const [k, m] of entriesOf(modules)) this.registerModule(k, m);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}
