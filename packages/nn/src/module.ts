import { Tensor, callOp, keep, toDevice, isDType, parseDType, isFloating, copyInto, type DType, type DeviceType, DEVICE_TYPES } from '@torchlet/core';
import { Parameter } from './parameter.js';

type SlotKind = 'param' | 'buffer' | 'module';

export type StateDict = Record<string, Tensor>;

export interface LoadResult {
  missing_keys: string[];
  unexpected_keys: string[];
}

export interface ModuleToOptions {
  device?: DeviceType | string;
  dtype?: DType | string;
}

/** Internal bookkeeping lives in non-enumerable properties so that field walking never sees it. */
interface Hidden {
  _slots: Map<string, SlotKind>;
  _nonPersistent: Set<string>;
}

function hidden(m: Module): Hidden {
  return m as unknown as Hidden;
}
function props(m: Module): Record<string, unknown> {
  return m as unknown as Record<string, unknown>;
}

function checkName(kind: string, name: string, owner: Module): void {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes('.')) throw new RangeError(`${kind} name can't contain ".", got: ${name}`);
  if (name === '') throw new RangeError(`${kind} name can't be empty string ""`);
  const cur = props(owner)[name];
  if (!hidden(owner)._slots.has(name) && name in owner && cur !== undefined && cur !== null && !(cur instanceof Parameter) && !(cur instanceof Module)) {
    throw new RangeError(`attribute '${name}' already exists`);
  }
}

function shapeStr(s: readonly number[]): string {
  return `torch.Size([${s.join(', ')}])`;
}

/**
 * torch.nn.Module. Parameters, buffers and submodules are found by walking the module's own
 * properties in insertion order (a `Parameter` or `Module` value is picked up automatically;
 * buffers need `registerBuffer`), so `state_dict` keys come out in PyTorch's order:
 * parameters, then buffers, then each child's entries with a `child.` prefix.
 *
 * JavaScript cannot make instances callable: run a module with `m.call(x)` or `m.forward(x)`.
 * Register integer-like names (`'0'`, `'1'`) through `registerModule`: JS orders such
 * properties numerically, so only registration keeps their insertion order.
 */
export abstract class Module {
  training = true;

  constructor() {
    Object.defineProperty(this, '_slots', { value: new Map<string, SlotKind>(), writable: true, enumerable: false, configurable: true });
    Object.defineProperty(this, '_nonPersistent', { value: new Set<string>(), writable: true, enumerable: false, configurable: true });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract forward(...args: any[]): any;

  /** Runs `forward` (Python's `module(x)`). */
  call<M extends Module>(this: M, ...args: Parameters<M['forward']>): ReturnType<M['forward']> {
    return this.forward(...args) as ReturnType<M['forward']>;
  }

  // ------------------------------------------------------------------ registration

  /** Picks up Parameter- and Module-valued properties assigned since the last walk. */
  private _sync(): Map<string, SlotKind> {
    const slots = hidden(this)._slots;
    const p = props(this);
    for (const k of Object.keys(this)) {
      if (slots.has(k)) continue;
      const v = p[k];
      if (v instanceof Parameter) slots.set(k, 'param');
      else if (v instanceof Module) slots.set(k, 'module');
    }
    return slots;
  }

  /** Adds a parameter (or a `null` placeholder, as `register_parameter(name, None)`). */
  registerParameter(name: string, param: Parameter | null): void {
    checkName('parameter', name, this);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${describe(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    const slots = this._sync();
    props(this)[name] = param;
    if (!slots.has(name)) slots.set(name, 'param');
  }

  /** Adds a buffer: state that is not a parameter (BatchNorm's running_mean). */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    checkName('buffer', name, this);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`cannot assign '${describe(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    const slots = this._sync();
    if (tensor) keep(tensor);
    props(this)[name] = tensor;
    if (!slots.has(name)) slots.set(name, 'buffer');
    if (persistent) hidden(this)._nonPersistent.delete(name);
    else hidden(this)._nonPersistent.add(name);
  }

  /** Adds a child module. */
  registerModule(name: string, module: Module | null): void {
    checkName('module', name, this);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${describe(module)} is not a Module subclass`);
    const slots = this._sync();
    props(this)[name] = module;
    if (!slots.has(name)) slots.set(name, 'module');
  }

  /** Removes a registered name (used by containers). */
  protected _unregister(name: string): void {
    hidden(this)._slots.delete(name);
    hidden(this)._nonPersistent.delete(name);
    delete props(this)[name];
  }

  private *_entries(kind: SlotKind): Generator<[string, unknown]> {
    const p = props(this);
    for (const [k, declared] of this._sync()) {
      const v = p[k];
      if (v === null || v === undefined) continue;
      const actual: SlotKind | undefined =
        v instanceof Parameter ? 'param' : v instanceof Module ? 'module' : v instanceof Tensor ? (declared === 'module' ? undefined : declared) : undefined;
      if (actual === kind) yield [k, v];
    }
  }

  // ------------------------------------------------------------------ traversal

  /** This module's children, (name, module) in registration order; a module held twice appears once. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    return this._children().filter(([, m]) => !seen.has(m) && !!seen.add(m));
  }
  /** Every child slot, shared modules included (state_dict walks these). */
  protected _children(): [string, Module][] {
    return [...this._entries('module')] as [string, Module][];
  }
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Every module in the tree, pre-order, this one first with name `prefix`. Shared modules appear once. */
  namedModules(prefix = '', memo: Set<Module> = new Set()): [string, Module][] {
    const out: [string, Module][] = [];
    if (memo.has(this)) return out;
    memo.add(this);
    out.push([prefix, this]);
    for (const [name, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name, memo));
    return out;
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  private _namedMembers(kind: 'param' | 'buffer', prefix: string, recurse: boolean): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mp, m] of mods) {
      for (const [k, v] of m._entries(kind)) {
        const t = v as Tensor;
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([mp ? `${mp}.${k}` : k, t]);
      }
    }
    return out;
  }

  /** (name, parameter) pairs: 'layer.0.weight'. Shared parameters appear once. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    return this._namedMembers('param', prefix, recurse) as [string, Parameter][];
  }
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this._namedMembers('buffer', prefix, recurse);
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** Looks up a submodule by dotted path ('layer.0'). */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const part of target.split('.')) {
      const next = props(m)[part];
      if (!(next instanceof Module)) throw new RangeError(`${m.constructor.name} has no attribute \`${part}\``);
      m = next;
    }
    return m;
  }

  // ------------------------------------------------------------------ state dict

  /**
   * Parameters and persistent buffers keyed by dotted name, in PyTorch's order. The values are
   * the module's own tensors (shared, not copies): do not dispose them.
   */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = {};
    this._saveToStateDict(out, prefix);
    return out;
  }

  private _saveToStateDict(out: StateDict, prefix: string): void {
    const np = hidden(this)._nonPersistent;
    for (const [k, v] of this._entries('param')) out[prefix + k] = v as Tensor;
    for (const [k, v] of this._entries('buffer')) if (!np.has(k)) out[prefix + k] = v as Tensor;
    for (const [k, m] of this._children()) m._saveToStateDict(out, `${prefix}${k}.`);
  }

  /**
   * Copies values from `stateDict` (a plain object or Map) into this module's parameters and
   * buffers. With `strict` (the default) missing or unexpected keys are an error; a shape
   * mismatch is always one. Returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: Record<string, Tensor> | Map<string, Tensor>, strict: boolean | { strict?: boolean } = true): LoadResult {
    const isStrict = typeof strict === 'object' ? strict.strict ?? true : strict;
    const sd = new Map<string, unknown>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const missing: string[] = [], unexpected: string[] = [], errors: string[] = [];
    const load = (m: Module, prefix: string): void => {
      m._loadFromStateDict(sd, prefix, missing, unexpected, errors);
      for (const [k, c] of m._children()) load(c, `${prefix}${k}.`);
    };
    load(this, '');
    if (isStrict) {
      if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    return { missing_keys: missing, unexpected_keys: unexpected };
  }

  /** One module's part of loadStateDict (PyTorch's `_load_from_state_dict`). */
  protected _loadFromStateDict(sd: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[]): void {
    const np = hidden(this)._nonPersistent;
    const local = new Map<string, Tensor>();
    for (const [k, v] of this._entries('param')) local.set(k, v as Tensor);
    for (const [k, v] of this._entries('buffer')) if (!np.has(k)) local.set(k, v as Tensor);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!sd.has(key)) {
        missing.push(key);
        continue;
      }
      const raw = sd.get(key);
      if (!(raw instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${describe(raw)}`);
        continue;
      }
      let input: Tensor = raw;
      let sliced: Tensor | undefined;
      if (param.ndim === 0 && input.ndim === 1 && input.shape[0] === 1) input = sliced = callOp('aten::reshape', [input, []]) as Tensor;
      if (input.shape.length !== param.shape.length || input.shape.some((s, i) => s !== param.shape[i])) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${shapeStr(input.shape)} from checkpoint, the shape in current model is ${shapeStr(param.shape)}.`);
        sliced?.dispose();
        continue;
      }
      try {
        copyInto(param, input);
      } catch (e) {
        errors.push(`While copying the parameter named "${key}", whose dimensions in the model are ${shapeStr(param.shape)} and whose dimensions in the checkpoint are ${shapeStr(input.shape)}, an exception occurred : ${(e as Error).message}.`);
      } finally {
        sliced?.dispose();
      }
    }
    const children = new Set(this._children().map(([k]) => k));
    for (const key of sd.keys()) {
      if (!key.startsWith(prefix)) continue;
      const first = key.slice(prefix.length).split('.', 1)[0]!;
      if (!children.has(first) && !local.has(first)) unexpected.push(key);
    }
  }

  // ------------------------------------------------------------------ modes, devices, dtypes

  /** Sets training mode on this module and its descendants. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every submodule (children first, then this one), like PyTorch's `apply`. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Replaces every parameter and buffer by `fn(t)` (when it returns a different tensor); the old
   * ones are disposed.
   */
  protected _apply(fn: (t: Tensor) => Tensor): this {
    for (const c of this.children()) c._apply(fn);
    const p = props(this);
    for (const [k, v] of [...this._entries('param')]) {
      const old = v as Tensor;
      const t = fn(old);
      if (t === old) continue;
      p[k] = Parameter.adopt(t, old.requiresGrad);
      old.dispose();
    }
    for (const [k, v] of [...this._entries('buffer')]) {
      const old = v as Tensor;
      const t = fn(old);
      if (t === old) continue;
      p[k] = keep(t);
      old.dispose();
    }
    return this;
  }

  /**
   * Moves parameters and buffers to a device and/or casts the floating point ones to a dtype:
   * `m.to('webgpu')`, `m.to('float64')`, `m.to({device, dtype})`.
   */
  to(arg: string | ModuleToOptions, dtype?: DType | string): this {
    let device: DeviceType | undefined;
    let dt: DType | undefined;
    const setDevice = (d: string): void => {
      const base = d.split(':')[0] as DeviceType;
      if (!DEVICE_TYPES.includes(base)) throw new RangeError(`Expected one of ${DEVICE_TYPES.join(', ')} device type at start of device string: ${d}`);
      device = base;
    };
    if (typeof arg === 'string') {
      if (isDType(arg) || isDTypeName(arg)) dt = parseDType(arg);
      else setDevice(arg);
    } else {
      if (arg.device !== undefined) setDevice(arg.device);
      if (arg.dtype !== undefined) dt = parseDType(arg.dtype);
    }
    if (dtype !== undefined) dt = parseDType(dtype);
    if (dt !== undefined && !isFloating(dt)) throw new TypeError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${dt}`);
    return this._apply((t) => {
      let r = t;
      if (dt !== undefined && isFloating(t.dtype) && t.dtype !== dt) r = callOp('aten::_to_copy', [t], { dtype: dt }) as Tensor;
      if (device !== undefined && r.device !== device) {
        const moved = toDevice(r, device);
        if (r !== t) r.dispose();
        r = moved;
      }
      return r;
    });
  }
  float(): this {
    return this.to('float32');
  }
  double(): this {
    return this.to('float64');
  }
  half(): this {
    return this.to('float16');
  }
  cpu(): this {
    return this.to('cpu');
  }

  /** Frees every parameter and buffer of this module and its descendants. */
  dispose(): void {
    for (const m of this.modules()) {
      for (const [, t] of m._entries('param')) (t as Tensor).dispose();
      for (const [, t] of m._entries('buffer')) (t as Tensor).dispose();
    }
  }

  // ------------------------------------------------------------------ printing

  /** Extra text inside the parentheses of this module's repr (`in_features=4, ...`). */
  extraRepr(): string {
    return '';
  }

  toString(): string {
    const lines: string[] = [];
    const extra = this.extraRepr();
    if (extra) lines.push(...extra.split('\n'));
    for (const [k, m] of this._children()) {
      const s = m.toString().split('\n');
      lines.push(`(${k}): ${s[0]}`, ...s.slice(1));
    }
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (lines.length === 1 && this._children().length === 0) return `${name}(${lines[0]})`;
    return `${name}(\n${lines.map((l) => `  ${l}`).join('\n')}\n)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ------------------------------------------------------------------ PyTorch spellings

  named_parameters(prefix = '', recurse = true): [string, Parameter][] {
    return this.namedParameters(prefix, recurse);
  }
  named_buffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedBuffers(prefix, recurse);
  }
  named_children(): [string, Module][] {
    return this.namedChildren();
  }
  named_modules(prefix = ''): [string, Module][] {
    return this.namedModules(prefix);
  }
  state_dict(prefix = ''): StateDict {
    return this.stateDict(prefix);
  }
  load_state_dict(stateDict: Record<string, Tensor> | Map<string, Tensor>, strict: boolean | { strict?: boolean } = true): LoadResult {
    return this.loadStateDict(stateDict, strict);
  }
  register_parameter(name: string, param: Parameter | null): void {
    this.registerParameter(name, param);
  }
  register_buffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.registerBuffer(name, tensor, persistent);
  }
  register_module(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }
  add_module(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }
  get_submodule(target: string): Module {
    return this.getSubmodule(target);
  }
}

const DTYPE_ALIASES = new Set(['float', 'double', 'half', 'long', 'int', 'short', 'char', 'byte']);
function isDTypeName(s: string): boolean {
  const b = s.startsWith('torch.') ? s.slice(6) : s;
  return isDType(b) || DTYPE_ALIASES.has(b);
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `Tensor(${v.dtype})`;
  if (v === null) return 'None';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** copy.deepcopy for modules: new parameters and buffers with copied data, shared code. */
export function deepcopy<T>(x: T, memo: Map<unknown, unknown> = new Map()): T {
  if (x === null || typeof x !== 'object') return x;
  if (memo.has(x)) return memo.get(x) as T;
  if (x instanceof Parameter) {
    const p = Parameter.adopt(callOp('aten::clone', [x]) as Tensor, x.requiresGrad);
    memo.set(x, p);
    return p as T;
  }
  if (x instanceof Tensor) {
    const c = keep(callOp('aten::clone', [x]) as Tensor);
    memo.set(x, c);
    return c as T;
  }
  if (x instanceof Module) {
    const c = Object.create(Object.getPrototypeOf(x)) as Module;
    memo.set(x, c);
    for (const key of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, key)!;
      if ('value' in d) d.value = deepcopy(d.value, memo);
      Object.defineProperty(c, key, d);
    }
    return c as T;
  }
  if (Array.isArray(x)) {
    const c: unknown[] = [];
    memo.set(x, c);
    for (const v of x) c.push(deepcopy(v, memo));
    return c as T;
  }
  if (x instanceof Map) {
    const c = new Map();
    memo.set(x, c);
    for (const [k, v] of x) c.set(k, deepcopy(v, memo));
    return c as T;
  }
  if (x instanceof Set) {
    const c = new Set();
    memo.set(x, c);
    for (const v of x) c.add(deepcopy(v, memo));
    return c as T;
  }
  if (Object.getPrototypeOf(x) === Object.prototype) {
    const c: Record<string, unknown> = {};
    memo.set(x, c);
    for (const [k, v] of Object.entries(x)) c[k] = deepcopy(v, memo);
    return c as T;
  }
  return x;
}

/** Ensures `t` is a floating tensor (for init and parameter creation). */
export function checkDType(dtype: DType | string | null | undefined): DType {
  if (dtype === null || dtype === undefined) return 'float32';
  return parseDType(dtype);
}
